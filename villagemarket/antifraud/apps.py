from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AntifraudConfig(AppConfig):
    name = "villagemarket.antifraud"
    label = "antifraud"
    verbose_name = _("Anti-brushing")

    def ready(self):
        from villagemarket.orders import hooks

        from . import checks

        hooks.on_order_event(checks.on_order_event)
        hooks.register_sale_gate(checks.sale_held)
        checks.connect_reviews()
