"""Reviews of completed order lines: stars, text, photos, one follow-up and one seller reply."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Moderation state of a piece of text (the review, its follow-up, the seller's reply)."""

    PUBLISHED = "published", _("published")
    HELD = "held", _("held for moderation")
    REJECTED = "rejected", _("rejected by moderation")


def _stars(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__gte": 1}) & Q(**{f"{name}__lte": 5}), name=f"review_{name}_1_to_5"
    )


class ReviewQuerySet(models.QuerySet):
    def counted(self):
        """Reviews that count in ratings: published (default ratings too) and not flagged."""
        return self.filter(status=Visibility.PUBLISHED, flagged=False)

    def shown(self):
        """Reviews shown as text on pages and in the API: counted and written by a buyer."""
        return self.counted().filter(is_default=False)


class Review(models.Model):
    """A buyer's review of one line of a completed shop order (at most one per line).

    `is_default` marks the positive rating the sweep gives a line left unreviewed past the
    window: it counts in ratings and is never shown as text. `flagged` (anti-brushing) hides the
    review from ratings and pages while True.
    """

    line = models.OneToOneField(
        "orders.ShopOrderLine",
        on_delete=models.CASCADE,
        related_name="review",
        verbose_name=_("order line"),
    )
    order = models.ForeignKey(
        "orders.ShopOrder", on_delete=models.CASCADE, related_name="+", verbose_name=_("order")
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="+", verbose_name=_("shop")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("author"),
    )
    item_stars = models.PositiveSmallIntegerField(_("item"))
    service_stars = models.PositiveSmallIntegerField(_("seller's service"))
    delivery_stars = models.PositiveSmallIntegerField(_("delivery"))
    text = models.TextField(_("review"), blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    is_default = models.BooleanField(_("default rating"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLISHED
    )
    flagged = models.BooleanField(_("flagged"), default=False)
    flag_reason = models.CharField(_("why flagged"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True, db_index=True)

    follow_up_text = models.TextField(_("follow-up"), blank=True)
    follow_up_at = models.DateTimeField(_("follow-up written"), null=True, blank=True)
    follow_up_status = models.CharField(
        _("follow-up status"), max_length=10, choices=Visibility.choices, blank=True
    )

    reply_text = models.TextField(_("seller's reply"), blank=True)
    reply_at = models.DateTimeField(_("replied"), null=True, blank=True)
    reply_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replied by"),
    )
    reply_status = models.CharField(
        _("reply status"), max_length=10, choices=Visibility.choices, blank=True
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["product", "-created_at"]),
            models.Index(fields=["shop", "-created_at"]),
        ]
        constraints = [_stars("item_stars"), _stars("service_stars"), _stars("delivery_stars")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.item_stars}★ {self.product_id}"

    @property
    def follow_up_shown(self) -> bool:
        return bool(self.follow_up_at) and self.follow_up_status == Visibility.PUBLISHED

    @property
    def reply_shown(self) -> bool:
        return bool(self.reply_at) and self.reply_status == Visibility.PUBLISHED


class ReviewPhoto(models.Model):
    """A photo of a review or of its follow-up, re-encoded on upload (no EXIF, random name)."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="photos", verbose_name=_("review")
    )
    image = models.ImageField(_("photo"), upload_to="reviews/")
    width = models.PositiveIntegerField(default=0, verbose_name=_("width"))
    height = models.PositiveIntegerField(default=0, verbose_name=_("height"))
    follow_up = models.BooleanField(_("of the follow-up"), default=False)

    class Meta:
        verbose_name = _("review photo")
        verbose_name_plural = _("review photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image.name
