"""A "Report" link on product and shop pages (core.panels slots; no template of another app
is edited). Reviews and messages link to moderation:report with their own kind."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from villagemarket.core import panels

from . import hooks


def report_link(kind: str, obj, text: str) -> str:
    if hooks.kind(kind) is None:
        return ""
    url = reverse("moderation:report", args=[kind, obj.pk])
    return format_html('<p class="report-link"><a href="{}" rel="nofollow">{}</a></p>', url, text)


def product_report(request, product) -> str:
    return report_link("product", product, _("Report this listing"))


def shop_report(request, shop) -> str:
    return report_link("shop", shop, _("Report this shop"))


def register() -> None:
    panels.register("product.actions", product_report, position=900)
    panels.register("shop.main", shop_report, position=900)
