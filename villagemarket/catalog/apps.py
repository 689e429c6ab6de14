from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "villagemarket.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self):
        from . import moderation, shop_figures

        shop_figures.register()  # shops on region pages, product figures in the seller center
        moderation.register()  # listings held by screening or reported: the "product" kind
