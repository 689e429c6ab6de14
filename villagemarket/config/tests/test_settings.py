"""Settings come from the environment; production mode refuses unsafe values.

Each case imports the settings in a fresh subprocess, since settings are read once per process.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[3]
# Variables that would leak the outer test run's configuration into the subprocess.
CONTROLLED = {
    "VM_ENV",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "REDIS_URL",
    "DATABASE_URL",
    "VM_TEST_DB_NAME",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "SERVE_MEDIA",
    "SECURE_SSL_REDIRECT",
    "DJANGO_SETTINGS_MODULE",
}


def run(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    base.update(
        DJANGO_SETTINGS_MODULE="villagemarket.config.settings",
        VM_VAR_DIR=str(tmp_path),
        PYTHONWARNINGS="ignore",
    )
    base.update(env)
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, *args],
        cwd=PROJECT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(tmp_path, expression: str, **env: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = run(tmp_path, "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def production_env(**extra: str) -> dict[str, str]:
    return {
        "VM_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "market.example.cn",
        **extra,
    }


@pytest.mark.parametrize(
    ("env", "reason"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "dev-insecure-villagemarket-key-change-me"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"DEBUG": "1"}, "DEBUG"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_with_unsafe_settings(tmp_path, env, reason):
    environment = production_env(**env)
    if env.get("SECRET_KEY") == "":
        del environment["SECRET_KEY"]  # not set at all: the development default applies
    result = run(tmp_path, "manage.py", "check", **environment)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert reason in result.stderr


def test_production_settings_pass_the_deploy_check_at_warning_level(tmp_path):
    result = run(
        tmp_path,
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **production_env(CSRF_TRUSTED_ORIGINS="https://market.example.cn"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_defaults_run_without_any_environment(tmp_path):
    debug, engine, mailer, cache = setting(
        tmp_path,
        "settings.DEBUG, settings.DATABASES['default']['ENGINE'],"
        " settings.MAILERS['default']['BACKEND'], settings.CACHES['default']['BACKEND'],"
        " sep='|'",
    ).split("|")
    assert debug == "True"
    assert engine.endswith("sqlite3")
    assert mailer.endswith("console.EmailBackend")
    # no Redis configured: the database cache (shared by all processes) holds rate limits
    assert cache == "django.core.cache.backends.db.DatabaseCache"


def test_production_sends_mail_over_smtp_configured_from_the_environment(tmp_path):
    env = production_env(EMAIL_HOST="smtp.example.cn", EMAIL_PORT="465", EMAIL_USE_SSL="1")
    options = setting(tmp_path, "settings.MAILERS['default']", **env)
    assert "smtp.EmailBackend" in options
    assert "'host': 'smtp.example.cn'" in options and "'port': 465" in options
    assert "'use_ssl': True" in options


def test_redis_cache_backend_is_used_when_redis_url_is_set(tmp_path):
    backend, location = setting(
        tmp_path,
        "settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'], sep='|'",
        REDIS_URL="redis://127.0.0.1:6379/3",
    ).split("|")
    assert backend == "django.core.cache.backends.redis.RedisCache"
    assert location == "redis://127.0.0.1:6379/3"


def test_database_url_selects_postgresql(tmp_path):
    engine = setting(
        tmp_path,
        "settings.DATABASES['default']['ENGINE']",
        DATABASE_URL="postgres://vm:pw@db.internal:5432/villagemarket",
    )
    assert engine == "django.db.backends.postgresql"
