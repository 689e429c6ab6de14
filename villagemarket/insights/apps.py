from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "villagemarket.insights"
    label = "insights"
    verbose_name = _("Shop insights")

    def ready(self):
        from villagemarket.core import counters, panels
        from villagemarket.orders.device import device_id_of

        from . import flush, views

        # core/counters knows no app: it stores through our sink and names visitors by the
        # anti-brushing device cookie (a long-lived random id, the same one checkout records).
        counters.set_sink(flush.store)
        counters.set_visitor_resolver(device_id_of)
        panels.register("seller.dashboard", views.dashboard_panel)
