"""Promotions: coupons (shop or platform) and the buyers' claims of them, spend-and-save offers
(a shop's 满减 tiers, the platform's cross-shop 满减) and SKU sale prices.

Each has a time window [starts_at, ends_at), caps (a quantity and/or a budget of total saving in
minor units) and who funds it (`funder`: the shop or the platform). `ended_at` records a seller
or operator ending it early. The rules they obey live in `rules.py`; `services.py` writes them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from villagemarket.core.money import Money

from . import rules


class Funder(models.TextChoices):
    SHOP = rules.SHOP, _("the shop")
    PLATFORM = rules.PLATFORM, _("the platform")


class PromotionQuerySet(models.QuerySet):
    def running(self, now=None):
        """In their window and not ended early."""
        now = now or timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now, ended_at__isnull=True)

    def not_over(self, now=None):
        """Running or still to come (what a seller may still change)."""
        now = now or timezone.now()
        return self.filter(ends_at__gt=now, ended_at__isnull=True)


class Promotion(models.Model):
    name = models.CharField(_("name"), max_length=60)
    funder = models.CharField(_("funded by"), max_length=8, choices=Funder.choices)
    shop = models.ForeignKey(
        "shops.Shop",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shop"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    ended_at = models.DateTimeField(_("ended early at"), null=True, blank=True)
    budget_minor = models.BigIntegerField(
        _("budget (minor units)"),
        null=True,
        blank=True,
        help_text=_("Total saving this promotion may give; empty for no budget cap."),
    )
    spent_minor = models.BigIntegerField(_("spent (minor units)"), default=0)
    currency = models.CharField(max_length=3, default="CNY", verbose_name=_("currency"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = PromotionQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def is_running(self, now=None) -> bool:
        now = now or timezone.now()
        return self.ended_at is None and self.starts_at <= now < self.ends_at

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.ended_at is not None or self.ends_at <= now:
            return "ended"
        return "running" if self.starts_at <= now else "scheduled"

    @property
    def budget_left(self) -> Money | None:
        if self.budget_minor is None:
            return None
        return Money(max(self.budget_minor - self.spent_minor, 0), self.currency)

    @staticmethod
    def funder_constraints(prefix: str) -> list:
        return [
            models.CheckConstraint(
                condition=(Q(funder=rules.SHOP) & Q(shop__isnull=False))
                | (Q(funder=rules.PLATFORM) & Q(shop__isnull=True)),
                name=f"{prefix}_shop_iff_shop_funded",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name=f"{prefix}_window_ordered"
            ),
            models.CheckConstraint(
                condition=Q(spent_minor__gte=0)
                & (Q(budget_minor__isnull=True) | Q(spent_minor__lte=F("budget_minor"))),
                name=f"{prefix}_spent_within_budget",
            ),
        ]


class Coupon(Promotion):
    """A fixed amount off goods of at least `threshold_minor`, claimed by buyers.

    A shop coupon (funder shop) counts the goods of that shop; a platform coupon (funder
    platform, no shop) counts the whole checkout across shops.
    """

    amount_minor = models.BigIntegerField(_("amount off (minor units)"))
    threshold_minor = models.BigIntegerField(_("minimum spend (minor units)"))
    total_quantity = models.PositiveIntegerField(
        _("coupons to give"), null=True, blank=True, help_text=_("Empty for no quantity cap.")
    )
    claimed_count = models.PositiveIntegerField(_("claimed"), default=0)
    per_buyer_limit = models.PositiveSmallIntegerField(_("per buyer"), default=1)

    class Meta:
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["shop", "ends_at"], name="coupon_shop_ends")]
        constraints = [
            *Promotion.funder_constraints("coupon"),
            models.CheckConstraint(
                condition=Q(amount_minor__gt=0) & Q(threshold_minor__gt=F("amount_minor")),
                name="coupon_threshold_above_amount",
            ),
            # The backstop of the guarded UPDATE in services.claim_coupon.
            models.CheckConstraint(
                condition=Q(total_quantity__isnull=True)
                | Q(claimed_count__lte=F("total_quantity")),
                name="coupon_claims_within_quantity",
            ),
            models.CheckConstraint(
                condition=Q(per_buyer_limit__gte=1), name="coupon_per_buyer_at_least_one"
            ),
        ]

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, self.currency)

    @property
    def threshold(self) -> Money:
        return Money(self.threshold_minor, self.currency)

    @property
    def left(self) -> int | None:
        if self.total_quantity is None:
            return None
        return max(self.total_quantity - self.claimed_count, 0)


class ClaimStatus(models.TextChoices):
    AVAILABLE = "available", _("available")
    USED = "used", pgettext_lazy("coupon", "used")
    VOID = "void", _("void")


class CouponClaim(models.Model):
    """A buyer holds one coupon. `number` counts the buyer's claims of that coupon from 1: the
    unique (coupon, buyer, number) makes the per-buyer limit hold under concurrent claims.

    `used_order_id` is the order's id as a plain integer: orders sit above promotions."""

    coupon = models.ForeignKey(
        Coupon, on_delete=models.PROTECT, related_name="claims", verbose_name=_("coupon")
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coupon_claims",
        verbose_name=_("buyer"),
    )
    number = models.PositiveSmallIntegerField(_("claim number"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.AVAILABLE
    )
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_order_id = models.BigIntegerField(_("used by order"), null=True, blank=True)

    class Meta:
        verbose_name = _("coupon claim")
        verbose_name_plural = _("coupon claims")
        ordering = ["-claimed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["coupon", "buyer", "number"], name="one_claim_per_number"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=ClaimStatus.USED)
                    & Q(used_at__isnull=False)
                    & Q(used_order_id__isnull=False)
                )
                | (~Q(status=ClaimStatus.USED) & Q(used_order_id__isnull=True)),
                name="claim_used_iff_order",
            ),
        ]
        indexes = [models.Index(fields=["buyer", "status"], name="claim_buyer_status")]

    def __str__(self) -> str:
        return f"{self.coupon} · {self.buyer_id}"


class SpendSave(Promotion):
    """满减: spend X, save Y. A shop's own (funder shop) measures that shop's goods; the
    platform's cross-shop one (funder platform) measures the goods of `shops` together (every
    shop when `all_shops`). Tiers: the highest reached applies; `every`: the single tier repeats
    for every full threshold, up to `max_save_minor`."""

    # [{"threshold_minor": 10000, "save_minor": 1000}, ...], checked by services.check_spend_save
    tiers = models.JSONField(_("tiers"), default=list)
    every = models.BooleanField(_("for every full threshold"), default=False)
    max_save_minor = models.BigIntegerField(_("most saved (minor units)"), null=True, blank=True)
    quantity_limit = models.PositiveIntegerField(_("orders it may apply to"), null=True, blank=True)
    used_count = models.PositiveIntegerField(_("applied"), default=0)
    all_shops = models.BooleanField(_("every shop takes part"), default=False)
    shops = models.ManyToManyField(
        "shops.Shop", blank=True, related_name="+", verbose_name=_("participating shops")
    )

    class Meta:
        verbose_name = _("spend-and-save offer")
        verbose_name_plural = _("spend-and-save offers")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            *Promotion.funder_constraints("spendsave"),
            models.CheckConstraint(
                condition=Q(quantity_limit__isnull=True) | Q(used_count__lte=F("quantity_limit")),
                name="spendsave_uses_within_quantity",
            ),
        ]

    def tier_values(self) -> tuple[rules.Tier, ...]:
        return tuple(
            rules.Tier(int(t["threshold_minor"]), int(t["save_minor"])) for t in self.tiers
        )

    def tiers_shown(self) -> list[tuple[Money, Money]]:
        return [
            (Money(t.threshold_minor, self.currency), Money(t.save_minor, self.currency))
            for t in sorted(self.tier_values(), key=lambda t: t.threshold_minor)
        ]


class SalePrice(Promotion):
    """A SKU at a lower price for a period, for at most `quantity_limit` units (shop funded)."""

    sku = models.ForeignKey(
        "catalog.SKU", on_delete=models.CASCADE, related_name="+", verbose_name=_("SKU")
    )
    price_minor = models.BigIntegerField(_("sale price (minor units)"))
    quantity_limit = models.PositiveIntegerField(
        _("units at this price"), null=True, blank=True, help_text=_("Empty for no cap.")
    )
    sold_count = models.PositiveIntegerField(_("sold"), default=0)

    class Meta:
        verbose_name = _("SKU sale price")
        verbose_name_plural = _("SKU sale prices")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            *Promotion.funder_constraints("saleprice"),
            models.CheckConstraint(condition=Q(price_minor__gt=0), name="sale_price_positive"),
            models.CheckConstraint(
                condition=Q(quantity_limit__isnull=True) | Q(sold_count__lte=F("quantity_limit")),
                name="sale_sold_within_quantity",
            ),
        ]

    @property
    def price(self) -> Money:
        return Money(self.price_minor, self.currency)

    @property
    def units_left(self) -> int | None:
        if self.quantity_limit is None:
            return None
        return max(self.quantity_limit - self.sold_count, 0)
