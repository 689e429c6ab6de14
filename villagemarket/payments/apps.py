from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "villagemarket.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self):
        from .providers import checks  # noqa: F401 - registers the payment-provider system checks
