"""Carts: one per signed-in buyer, one per anonymous browser session (found by a token kept in the
session)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from villagemarket.catalog.rules import MAX_LINE_QUANTITY
from villagemarket.core.money import Money

# The session key under which an anonymous browser keeps its cart's token.
SESSION_KEY = "cart_token"


class Cart(models.Model):
    """A buyer's cart across shops. Exactly one of `user` / anonymous `token` identifies it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cart",
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")

    def __str__(self) -> str:
        return f"cart {self.pk} ({self.user or 'anonymous'})"


class CartLine(models.Model):
    """A SKU and quantity; the price seen when it was added, to show a change since."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey("catalog.SKU", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    price_when_added_minor = models.BigIntegerField()
    price_when_added_currency = models.CharField(max_length=3, default="CNY")
    # Checked lines go to checkout; unchecked ones stay in the cart for later.
    selected = models.BooleanField(_("selected for checkout"), default=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "sku"], name="one_cart_line_per_sku"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=MAX_LINE_QUANTITY),
                name="cart_line_quantity_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku_id} × {self.quantity}"

    @property
    def price_when_added(self) -> Money:
        return Money(self.price_when_added_minor, self.price_when_added_currency)
