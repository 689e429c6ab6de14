from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "villagemarket.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from . import panels

        panels.register()  # "Report" links on product and shop pages
