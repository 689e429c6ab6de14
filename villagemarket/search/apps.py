from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "villagemarket.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from villagemarket.catalog import hooks as catalog_hooks

        from .index import index_product

        # The index follows the catalog after each commit (catalog services call the hook).
        catalog_hooks.register_product_listener(index_product)
