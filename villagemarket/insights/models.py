"""The dashboard's own figures: product views and shop visitors per day (flushed from the hot
counters, core/counters.py) and the low-stock alert's memory of which SKUs it has told about."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductViewDay(models.Model):
    """Views of one product page on one day (site time zone)."""

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("product views on a day")
        verbose_name_plural = _("product views by day")
        constraints = [
            models.UniqueConstraint(fields=["product", "day"], name="productviewday_once")
        ]
        indexes = [models.Index(fields=["day", "product"])]

    def __str__(self) -> str:
        return f"{self.product_id} {self.day}: {self.views}"


class ShopVisitDay(models.Model):
    """One shop's product page views and unique visitors on one day."""

    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="+", verbose_name=_("shop")
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)
    visitors = models.PositiveIntegerField(_("visitors"), default=0)

    class Meta:
        verbose_name = _("shop visits on a day")
        verbose_name_plural = _("shop visits by day")
        constraints = [models.UniqueConstraint(fields=["shop", "day"], name="shopvisitday_once")]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.day}: {self.visitors}/{self.views}"


class ShopVisitor(models.Model):
    """A visitor (hashed device id) seen at a shop on a day. Kept only without Redis, where no
    HyperLogLog counts unique visitors; old rows are swept after VISITOR_DAYS_KEPT days."""

    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="+", verbose_name=_("shop")
    )
    day = models.DateField(_("day"))
    visitor = models.CharField(_("visitor"), max_length=32)

    class Meta:
        verbose_name = _("shop visitor")
        verbose_name_plural = _("shop visitors")
        constraints = [
            models.UniqueConstraint(fields=["shop", "day", "visitor"], name="shopvisitor_once")
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.day}: {self.visitor}"


class LowStockAlert(models.Model):
    """The alert's memory for one SKU: `low` while it sits at or below its threshold (told
    once), cleared when it goes back above; `crossings` numbers the times it went low, so each
    crossing is one notification (its key) and a repeat sweep tells nobody twice."""

    sku = models.OneToOneField(
        "catalog.SKU", on_delete=models.CASCADE, related_name="+", verbose_name=_("SKU")
    )
    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="+", verbose_name=_("shop")
    )
    low = models.BooleanField(_("low now"), default=True)
    crossings = models.PositiveIntegerField(_("times it went low"), default=1)
    stock_when_told = models.IntegerField(_("stock when told"), default=0)
    told_at = models.DateTimeField(_("told at"), auto_now_add=True)
    cleared_at = models.DateTimeField(_("back above at"), null=True, blank=True)

    class Meta:
        verbose_name = _("low-stock alert")
        verbose_name_plural = _("low-stock alerts")
        indexes = [models.Index(fields=["shop", "low"])]

    def __str__(self) -> str:
        return f"SKU {self.sku_id}: {'low' if self.low else 'ok'} ({self.crossings})"
