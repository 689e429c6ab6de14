from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "villagemarket.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self):
        from .services import payment_hooks

        payment_hooks.connect()
