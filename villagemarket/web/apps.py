from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "villagemarket.web"
    label = "web"
    verbose_name = _("Web")

    def ready(self):
        from django.contrib import admin

        # The back-office carries the market's name and opens on a link to the operator
        # dashboard (the queues), in the operator's language.
        admin.site.site_header = _("VillageMarket back-office")
        admin.site.site_title = _("VillageMarket back-office")
        admin.site.index_title = _("Back-office")
        admin.site.index_template = "admin/vm_index.html"
