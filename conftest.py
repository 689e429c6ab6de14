import os

import pytest
from django.conf import settings
from django.utils import translation
from hypothesis import settings as hypothesis_settings

# Property tests assert correctness, not speed: on a shared 2-core machine one slow example is
# load, not a bug, so hypothesis's per-example deadline is off for every test.
hypothesis_settings.register_profile("villagemarket", deadline=None)
hypothesis_settings.load_profile("villagemarket")

pytest_plugins = ["villagemarket.testing.personas", "villagemarket.testing.ledger"]

NEEDS_POSTGRES = "concurrency needs PostgreSQL row locks; SQLite serialises writers"
NEEDS_CHROMIUM = "Debian's chromium is not installed (apt-get install chromium)"


def pytest_collection_modifyitems(config, items):
    """postgres_only tests skip on SQLite with the reason; browser tests skip without Chromium."""
    on_postgres = settings.DATABASES["default"]["ENGINE"].startswith(
        "django.db.backends.postgresql"
    )
    have_chromium = os.path.exists(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    for item in items:
        if "postgres_only" in item.keywords and not on_postgres:
            item.add_marker(
                pytest.mark.skip(
                    reason="concurrency needs PostgreSQL row locks; SQLite serialises writers"
                )
            )
        if "browser" in item.keywords and not have_chromium:
            item.add_marker(
                pytest.mark.skip(
                    reason="Debian's chromium is not installed (apt-get install chromium)"
                )
            )


def private_test_database() -> str | None:
    """The test database's name from VM_TEST_DB_NAME or any VM_TEST_DB_<who> variable.

    Several people (or CI jobs) share one PostgreSQL server: each sets its own variable so
    no run drops another's test database.
    """
    if os.environ.get("VM_TEST_DB_NAME"):
        return os.environ["VM_TEST_DB_NAME"]
    chosen = [v for k, v in sorted(os.environ.items()) if k.startswith("VM_TEST_DB_") and v]
    return chosen[0] if chosen else None


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    name = private_test_database()
    if name and settings.DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = name


@pytest.fixture(autouse=True)
def _seeded_couriers(request):
    """Every test with a database finds the couriers the migrations seed, even after a
    transactional test's flush emptied them (villagemarket/testing/couriers.py)."""
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if uses_db:
        from villagemarket.testing.couriers import ensure_couriers

        request.getfixturevalue("db")
        ensure_couriers()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Tests read messages in English (the msgids); test_i18n checks the Chinese default itself.
    settings.LANGUAGE_CODE = "en"
    translation.activate("en")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ANTIFRAUD_CHECKS = False  # test accounts are seconds old; antifraud's tests enable it
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
