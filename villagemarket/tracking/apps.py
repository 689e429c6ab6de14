from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "villagemarket.tracking"
    label = "tracking"
    verbose_name = _("Parcel tracking")

    def ready(self) -> None:
        from villagemarket.core import panels
        from villagemarket.orders import hooks

        from . import panels as tracking_panels
        from . import services

        hooks.on_order_event(services.on_order_event)
        panels.register("order.shipment", tracking_panels.buyer_shipment)
        panels.register("seller_order.shipment", tracking_panels.seller_shipment)
