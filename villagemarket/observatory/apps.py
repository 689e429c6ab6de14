from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _count_completed_sale(sale) -> None:
    """orders' completion hook: a completed order is a sale of its shop on that day."""
    from .services import record_sale

    record_sale(shop_id=sale.shop_id, ref=sale.ref, day=sale.day, amount_minor=sale.amount_minor)


def _count_refund(refund) -> None:
    """orders' refund hook: a refund lowers its shop's sales on the day it was paid back."""
    from .services import record_refund

    record_refund(
        shop_id=refund.shop_id, ref=refund.ref, day=refund.day, amount_minor=refund.amount_minor
    )


class ObservatoryConfig(AppConfig):
    name = "villagemarket.observatory"
    label = "observatory"
    verbose_name = _("Observatory")

    def ready(self):
        from villagemarket.orders import hooks

        hooks.on_order_completed(_count_completed_sale)
        hooks.on_order_refunded(_count_refund)
