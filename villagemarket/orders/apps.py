from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "villagemarket.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self):
        from villagemarket.ledger.selectors import register_held_in_escrow

        from .services import payment_hooks, settlement

        payment_hooks.connect()
        register_held_in_escrow(settlement.held_in_escrow)
