from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    name = "villagemarket.promotions"
    label = "promotions"
    verbose_name = _("Promotions")

    def ready(self):
        from . import panels

        panels.connect()
