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
    "SITE_URL",
    "PAYMENTS_SANDBOX_ENABLED",
    "PAYMENT_DEFAULT_PROVIDER",
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
        "SITE_URL": "https://market.example.cn",
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


def test_production_settings_pass_the_deploy_check_but_for_the_simulated_payments(tmp_path):
    # A staging site (the only kind there can be until a real payment provider exists): every
    # Django deploy check passes; the one warning left says that payments are simulated.
    env = production_env(
        CSRF_TRUSTED_ORIGINS="https://market.example.cn", PAYMENTS_SANDBOX_ENABLED="1"
    )
    result = run(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "System check identified 1 issue" in result.stdout + result.stderr
    assert "payments.W001" in result.stderr and "simulated" in result.stderr

    errors_only = run(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "ERROR", **env)
    assert errors_only.returncode == 0


def test_production_without_a_payment_provider_refuses_to_start(tmp_path):
    env = production_env(CSRF_TRUSTED_ORIGINS="https://market.example.cn")
    check = run(tmp_path, "manage.py", "check", "--deploy", **env)
    serve = run(tmp_path, "-c", "import villagemarket.config.wsgi", **env)
    worker = run(tmp_path, "manage.py", "worker", "--once", **env)

    advice = "PAYMENTS_SANDBOX_ENABLED=1 for a staging site"
    assert check.returncode != 0 and "payments.E001" in check.stderr and advice in check.stderr
    assert serve.returncode != 0 and "ImproperlyConfigured" in serve.stderr
    assert advice in serve.stderr and "no real provider yet" in serve.stderr
    assert worker.returncode != 0 and "payments.E001" in worker.stderr


@pytest.mark.parametrize(
    ("site_url", "reason"),
    [
        ("", "needs SITE_URL"),
        ("http://market.example.cn", "https://"),
        ("https://market.example.cn/shop", "no path"),
        ("market.example.cn", "scheme and host"),
    ],
)
def test_production_refuses_a_missing_or_unsafe_site_url(tmp_path, site_url, reason):
    result = run(tmp_path, "manage.py", "check", **production_env(SITE_URL=site_url))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and reason in result.stderr


def test_development_site_url_defaults_to_the_local_server(tmp_path):
    assert setting(tmp_path, "settings.SITE_URL") == "http://127.0.0.1:8000"
    assert setting(tmp_path, "settings.SITE_URL", SITE_URL="http://10.0.0.5:9000/") == (
        "http://10.0.0.5:9000"
    )


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


def test_production_sends_hsts_and_the_content_security_policy(tmp_path):
    env = production_env(PAYMENTS_SANDBOX_ENABLED="1")
    hsts, subdomains, csp = setting(
        tmp_path,
        "settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " 'django.middleware.csp.ContentSecurityPolicyMiddleware' in settings.MIDDLEWARE, sep='|'",
        **env,
    ).split("|")
    assert (hsts, subdomains, csp) == ("31536000", "True", "True")
