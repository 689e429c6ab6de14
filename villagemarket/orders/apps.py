from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "villagemarket.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self):
        from . import shop_figures

        shop_figures.register()  # order figures on the seller dashboard (shops.hooks)
        shop_figures.register_escrow()  # "held in escrow" on the seller's balance page (ledger)

        from villagemarket.ledger import references

        from .refund_selectors import orders_of_refunds

        references.register_refund_orders(orders_of_refunds)  # "Refund on order #12" (ledger)

        from .services import payment_hooks

        payment_hooks.connect()
