from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "villagemarket.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self) -> None:
        from villagemarket.core import converters

        converters.register()
