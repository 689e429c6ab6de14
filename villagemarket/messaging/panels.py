"""What messaging adds to other apps' pages (core.panels): the header's unread count, "Contact
the seller" on product and order pages, "Message the buyer" on the seller's order page."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from villagemarket.core import panels

from . import selectors


def header(request, user) -> str:
    return render_to_string(
        "messaging/_header.html", {"unread": selectors.unread_total(user)}, request=request
    )


def _button(request, url: str, label: str) -> str:
    return render_to_string(
        "messaging/_contact.html", {"url": url, "label": label}, request=request
    )


def _on_staff(request, shop_id: int) -> bool:
    user = request.user
    return user.is_authenticated and user.shop_memberships.filter(shop_id=shop_id).exists()


def product_contact(request, product) -> str:
    """On a product page: everybody but the shop's own staff may ask the seller."""
    if _on_staff(request, product.shop_id):
        return ""
    url = reverse("messaging:start", args=[product.shop.slug]) + f"?product={product.pk}"
    return _button(request, url, _("Contact the seller"))


def order_contact(request, order) -> str:
    url = reverse("messaging:start", args=[order.shop.slug]) + f"?order={order.pk}"
    return _button(request, url, _("Contact the seller"))


def seller_order_contact(request, order) -> str:
    url = reverse("seller_messaging:about_order", args=[order.shop.slug, order.pk])
    return _button(request, url, _("Message the buyer"))


def register_all() -> None:
    panels.register("header.user", header)
    panels.register("product.actions", product_contact)
    panels.register("order.actions", order_contact)
    panels.register("seller_order.actions", seller_order_contact)
