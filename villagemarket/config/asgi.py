import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villagemarket.config.settings")
application = get_asgi_application()

# Production with no usable payment provider refuses to serve (payments.E001 in `check`).
from villagemarket.payments.providers.checks import ensure_payments_configured  # noqa: E402

ensure_payments_configured()
