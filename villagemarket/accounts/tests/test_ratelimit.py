"""Failed sign-ins are limited per account and per client address, without leaking accounts."""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from villagemarket.accounts.backends import EmailOrMobileBackend
from villagemarket.core.ratelimit import FixedWindow
from villagemarket.testing import PASSWORD
from villagemarket.testing.threads import run_together

SIGNIN = reverse("accounts:signin")


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.SIGNIN_MAX_FAILURES = 3
    settings.SIGNIN_MAX_FAILURES_PER_ADDRESS = 5
    settings.SIGNIN_WINDOW_SECONDS = 600


def attempt(login, password="wrong password", ip="10.0.0.1"):  # noqa: S107
    client = Client(REMOTE_ADDR=ip)
    response = client.post(SIGNIN, {"username": login, "password": password})
    return client, response


def is_limited(response) -> bool:
    return "Too many failed sign-ins" in response.content.decode()


@pytest.mark.django_db
def test_an_account_is_locked_after_too_many_failures_even_with_the_right_password(alice):
    for i in range(3):
        _, response = attempt("alice@example.com", ip=f"10.0.0.{i}")
        assert not is_limited(response)
    # the right password, from yet another address, is refused while the window lasts
    client, response = attempt("alice@example.com", PASSWORD, ip="10.9.9.9")
    assert is_limited(response)
    assert "Try again in" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_when_limited_the_password_is_not_even_checked(alice, monkeypatch):
    for _ in range(3):
        attempt("alice@example.com")
    calls = []
    original = EmailOrMobileBackend.authenticate

    def spy(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(EmailOrMobileBackend, "authenticate", spy)
    _, response = attempt("alice@example.com", PASSWORD)
    assert is_limited(response)
    assert calls == []


@pytest.mark.django_db
def test_an_address_is_limited_across_many_accounts(alice):
    for i in range(5):
        _, response = attempt(f"guess{i}@example.com", ip="10.1.1.1")
        assert not is_limited(response)
    _, response = attempt("alice@example.com", PASSWORD, ip="10.1.1.1")
    assert is_limited(response)
    # another address is not affected
    client, response = attempt("alice@example.com", PASSWORD, ip="10.2.2.2")
    assert response.status_code == 302


@pytest.mark.django_db
def test_being_limited_looks_the_same_for_accounts_that_do_not_exist(alice):
    real, ghost = [], []
    for i in range(4):
        real.append(attempt("alice@example.com", ip=f"10.3.0.{i}")[1])
        ghost.append(attempt("nobody@example.com", ip=f"10.4.0.{i}")[1])
    for r, g in zip(real, ghost, strict=True):
        assert r.status_code == g.status_code
        assert r.context["form"].errors == g.context["form"].errors
    assert is_limited(real[-1]) and is_limited(ghost[-1])


@pytest.mark.django_db
def test_mobile_typed_differently_counts_as_the_same_account():
    from villagemarket.accounts.models import User

    User.objects.create_user(mobile="13800138000", password=PASSWORD)
    for typed in ["13800138000", "+86 138 0013 8000", "138-0013-8000"]:
        attempt(typed, ip=str(uuid.uuid4()))
    _, response = attempt("13800138000", PASSWORD, ip="10.5.5.5")
    assert is_limited(response)


@pytest.mark.django_db
def test_a_successful_sign_in_clears_the_account_count(alice):
    attempt("alice@example.com", ip="10.6.0.1")
    attempt("alice@example.com", ip="10.6.0.2")
    client, response = attempt("alice@example.com", PASSWORD, ip="10.6.0.3")
    assert response.status_code == 302
    for i in range(2):
        _, response = attempt("alice@example.com", ip=f"10.7.0.{i}")
    _, response = attempt("alice@example.com", PASSWORD, ip="10.7.0.9")
    assert response.status_code == 302


def test_a_new_window_starts_a_new_count(settings):
    window = FixedWindow("test-window", limit=2, window=60)
    ident = str(uuid.uuid4())
    window.hit(ident, now=1000.0)
    window.hit(ident, now=1001.0)
    assert window.wait_seconds(ident, now=1010.0) == 10  # windows align to 60 s: 960..1020
    assert window.wait_seconds(ident, now=1021.0) == 0


@pytest.mark.django_db
def test_database_cache_counts_with_add_slots(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "vm_cache_test",
        }
    }
    call_command("createcachetable", verbosity=0)
    window = FixedWindow("db-window", limit=3, window=60)
    counts = [window.hit("someone", now=5.0) for _ in range(5)]
    assert counts == [1, 2, 3, 4, 4]
    assert window.wait_seconds("someone", now=6.0) == 54
    window.reset("someone", now=6.0)
    assert window.count("someone", now=6.0) == 0


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_on_the_database_cache_are_all_counted(settings):
    # given the database cache (no Redis), where Django's incr is get-then-set
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "vm_cache_race",
        }
    }
    call_command("createcachetable", verbosity=0)
    window = FixedWindow("race", limit=20, window=3600)
    threads_n = 8

    def fail_once():
        return window.hit("victim@example.com", now=100.0)

    # when 8 failures arrive at once
    counts = run_together(*[fail_once] * threads_n)
    # then every one was counted exactly once
    assert sorted(counts) == list(range(1, threads_n + 1))
    assert window.count("victim@example.com", now=100.0) == threads_n


@pytest.mark.skipif(
    not os.environ.get("REDIS_TEST_URL"),
    reason="set REDIS_TEST_URL=redis://127.0.0.1:6379/15 to test against a real Redis",
)
@pytest.mark.django_db
def test_rate_limiting_works_against_a_real_redis(settings, alice):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_TEST_URL"],
            "KEY_PREFIX": f"vmtest-{uuid.uuid4().hex}",
        }
    }
    window = FixedWindow("redis", limit=3, window=60)
    assert [window.hit("x", now=30.0) for _ in range(4)] == [1, 2, 3, 4]
    assert window.wait_seconds("x", now=31.0) == 29
    # and through the sign-in page
    for i in range(3):
        attempt("alice@example.com", ip=f"10.8.0.{i}")
    _, response = attempt("alice@example.com", PASSWORD, ip="10.8.0.9")
    assert is_limited(response)
