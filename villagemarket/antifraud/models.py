"""Anti-brushing data: the rules the operator tunes, and the flags they raise."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import rules


class Rule(models.Model):
    """One anti-brushing rule's tunable figures (seeded by a data migration; see rules.py for
    what each threshold means). Disabled rules raise no flags."""

    class Code(models.TextChoices):
        ADDRESS = rules.ADDRESS, _("Many orders from one delivery address")
        DEVICE = rules.DEVICE, _("Many orders from one device")
        PAYER = rules.PAYER, _("Many orders from one payment account")
        NEW_ACCOUNT = rules.NEW_ACCOUNT, _("Account created just before buying")
        FAST_CONFIRM = rules.FAST_CONFIRM, _("Receipt confirmed very soon after shipment")
        TRACKING = rules.TRACKING, _("Tracking number used on several orders")
        SIMILAR_REVIEWS = rules.SIMILAR_REVIEWS, _("Near-identical review texts")
        STAFF_REVIEW = rules.STAFF_REVIEW, _("Review from an account linked to the shop's staff")

    code = models.CharField(_("rule"), max_length=20, choices=Code.choices, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    threshold = models.PositiveIntegerField(_("threshold"))
    window_minutes = models.PositiveIntegerField(
        _("window (minutes)"), default=0, help_text=_("0 for rules without a window")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("anti-brushing rule")
        verbose_name_plural = _("anti-brushing rules")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(threshold__gte=1), name="rule_threshold_positive")
        ]

    def __str__(self) -> str:
        return self.get_code_display()

    @property
    def params(self) -> rules.Params:
        return rules.Params(self.code, self.threshold, self.window_minutes, self.enabled)


class FlagStatus(models.TextChoices):
    OPEN = "open", _("waiting for an operator")
    CLEARED = "cleared", _("cleared")
    CONFIRMED = "confirmed", _("confirmed as fake")


class Flag(models.Model):
    """A rule fired on an order or a review, with the figures that made it fire.

    An order with an open or confirmed flag does not count in sales (orders' sale gate); a flagged
    review is hidden. An operator clears or confirms all open flags of one order (review) at once.
    """

    rule = models.ForeignKey(
        Rule, on_delete=models.PROTECT, related_name="+", verbose_name=_("rule")
    )
    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="+", verbose_name=_("shop")
    )
    order = models.ForeignKey(
        "orders.ShopOrder",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order"),
    )
    # The reviews app's Review id (reviews.services.set_flagged hides and restores it).
    review_id = models.PositiveBigIntegerField(_("review"), null=True, blank=True)
    figures = models.JSONField(_("figures"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    created_at = models.DateTimeField(_("flagged at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    note = models.CharField(_("operator's note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("anti-brushing flag")
        verbose_name_plural = _("anti-brushing flags")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "shop"]),
            models.Index(fields=["order", "status"]),
            models.Index(fields=["review_id", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "order"],
                condition=Q(order__isnull=False),
                name="one_flag_per_rule_order",
            ),
            models.UniqueConstraint(
                fields=["rule", "review_id"],
                condition=Q(review_id__isnull=False),
                name="one_flag_per_rule_review",
            ),
            models.CheckConstraint(
                condition=Q(order__isnull=False) | Q(review_id__isnull=False),
                name="flag_has_a_subject",
            ),
        ]

    def __str__(self) -> str:
        subject = f"order #{self.order_id}" if self.order_id else f"review #{self.review_id}"
        return f"{self.rule.code} {subject} {self.status}"

    @property
    def explanation(self) -> str:
        return rules.explain(self.rule.code, self.figures)
