from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "villagemarket.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from villagemarket.catalog import hooks as catalog_hooks
        from villagemarket.shops import hooks as shop_hooks

        from .index import index_product, index_shop

        # The index follows the catalog after each commit (catalog services call the hook), and a
        # shop's products follow its name, village, status and freight template.
        catalog_hooks.register_product_listener(index_product)
        shop_hooks.register_shop_listener(index_shop)
