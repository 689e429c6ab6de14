from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CartConfig(AppConfig):
    name = "villagemarket.cart"
    label = "cart"
    verbose_name = _("Cart")

    def ready(self):
        from . import signals  # noqa: F401  (connects the sign-in merge)
