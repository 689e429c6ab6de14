"""Village pickups: a service point (or cooperative) gathers the day's parcels of its own shop and
of the partner shops that joined it into one batch, which one courier collects at once.

Orders, stock and money stay with each shop (and household); a batch only groups parcels.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MembershipStatus(models.TextChoices):
    INVITED = "invited", _("invited")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    ENDED = "ended", _("ended")


class PickupMembership(models.Model):
    """A partner shop hands its parcels to a pickup point: the point invites, the member's owner
    accepts (nobody's orders are gathered without its owner's word)."""

    point = models.ForeignKey(
        "shops.Shop",
        on_delete=models.CASCADE,
        related_name="pickup_members",
        verbose_name=_("pickup point"),
    )
    member = models.ForeignKey(
        "shops.Shop",
        on_delete=models.CASCADE,
        related_name="pickup_points",
        verbose_name=_("member shop"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.INVITED,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("pickup membership")
        verbose_name_plural = _("pickup memberships")
        ordering = ["-invited_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(point=models.F("member")), name="pickup_member_is_another_shop"
            ),
            # One live invitation or membership per pair: inviting again answers with it.
            models.UniqueConstraint(
                fields=["point", "member"],
                condition=Q(status__in=["invited", "accepted"]),
                name="one_live_pickup_membership_per_pair",
            ),
            # A shop hands its parcels to one point at a time (no order gathered twice).
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status="accepted"),
                name="one_pickup_point_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.point} ({self.get_status_display()})"


class BatchStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("pickup batch", "open")
    HANDED_OVER = "handed_over", _("handed over")
    CANCELLED = "cancelled", _("cancelled")


class PickupBatch(models.Model):
    """The parcels one courier collects from a point on one day."""

    point = models.ForeignKey(
        "shops.Shop",
        on_delete=models.PROTECT,
        related_name="pickup_batches",
        verbose_name=_("pickup point"),
    )
    # A courier code of shipping's list (shipping/couriers.py), as ship_order takes it.
    courier_code = models.CharField(_("courier"), max_length=16)
    pickup_date = models.DateField(_("pickup date"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=BatchStatus.choices,
        default=BatchStatus.OPEN,
        db_index=True,
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handed over by"),
    )

    class Meta:
        verbose_name = _("pickup batch")
        verbose_name_plural = _("pickup batches")
        ordering = ["-pickup_date", "-id"]
        indexes = [models.Index(fields=["point", "status", "-pickup_date"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.point} {self.pickup_date} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == BatchStatus.OPEN


class PickupItem(models.Model):
    """One order (one parcel) in a batch, with the tracking number it will ship under."""

    batch = models.ForeignKey(
        PickupBatch, on_delete=models.CASCADE, related_name="items", verbose_name=_("batch")
    )
    order = models.ForeignKey(
        "orders.ShopOrder",
        on_delete=models.PROTECT,
        related_name="pickup_items",
        verbose_name=_("order"),
    )
    tracking_no = models.CharField(_("tracking number"), max_length=40, blank=True)
    # Mirrors batch.status == open, so the database itself keeps an order in one open batch
    # (a constraint cannot look through the foreign key); set with the batch's status.
    in_open_batch = models.BooleanField(_("in an open batch"), default=True, editable=False)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("pickup item")
        verbose_name_plural = _("pickup items")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(in_open_batch=True),
                name="order_in_one_open_pickup_batch",
            ),
            models.UniqueConstraint(fields=["batch", "order"], name="order_once_per_pickup_batch"),
            # Two parcels in open batches never share a tracking number.
            models.UniqueConstraint(
                fields=["tracking_no"],
                condition=Q(in_open_batch=True) & ~Q(tracking_no=""),
                name="tracking_no_once_in_open_batches",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}: #{self.order_id} {self.tracking_no}"
