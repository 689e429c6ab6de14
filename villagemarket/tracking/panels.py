"""The parcel panel on the buyer's and the seller's order page (slots order.shipment and
seller_order.shipment, core/panels.py)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse

from . import selectors


def _panel(request, order, refresh_url: str) -> str:
    if not order.shipped_at:
        return ""
    return render_to_string(
        "tracking/_shipment.html",
        {"shipment": selectors.shipment(order), "refresh_url": refresh_url},
        request=request,
    )


def buyer_shipment(request, order) -> str:
    return _panel(request, order, reverse("tracking:refresh", args=[order.pk]))


def seller_shipment(request, order) -> str:
    return _panel(
        request, order, reverse("seller_tracking:refresh", args=[order.shop.slug, order.pk])
    )
