"""Parcel tracking: what the courier said about an order's parcel, and when to ask again."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrackingStatus(models.TextChoices):
    ACCEPTED = "accepted", _("accepted by the courier")
    IN_TRANSIT = "in_transit", _("in transit")
    OUT_FOR_DELIVERY = "out_for_delivery", _("out for delivery")
    DELIVERED = "delivered", _("delivered")
    EXCEPTION = "exception", _("problem with the delivery")


class Parcel(models.Model):
    """The tracking of one shipped order (listed couriers only): the poll schedule.

    `next_poll_at` is when the worker asks the provider again (null: no more polls, because
    the parcel was delivered or the order is no longer shipped). It grows after polls that
    brought nothing new and after errors (tracking/rules.py)."""

    order = models.OneToOneField(
        "orders.ShopOrder",
        on_delete=models.CASCADE,
        related_name="parcel",
        verbose_name=_("order"),
    )
    courier_code = models.CharField(_("courier"), max_length=12)
    tracking_no = models.CharField(_("tracking number"), max_length=40)
    next_poll_at = models.DateTimeField(_("next poll"), null=True, blank=True, db_index=True)
    last_polled_at = models.DateTimeField(_("last poll"), null=True, blank=True)
    unchanged_polls = models.PositiveIntegerField(_("polls with nothing new"), default=0)
    failures = models.PositiveIntegerField(_("failed polls in a row"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    last_status = models.CharField(
        _("latest status"), max_length=20, choices=TrackingStatus.choices, blank=True
    )

    class Meta:
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")

    def __str__(self) -> str:
        return f"{self.courier_code} {self.tracking_no}"


class TrackingEvent(models.Model):
    """One step the courier reported (its words, as it wrote them; `raw` is the provider's
    record). A step is stored once: `fingerprint` is unique per order."""

    order = models.ForeignKey(
        "orders.ShopOrder",
        on_delete=models.CASCADE,
        related_name="tracking_events",
        verbose_name=_("order"),
    )
    time = models.DateTimeField(_("time"))
    status = models.CharField(_("status"), max_length=20, choices=TrackingStatus.choices)
    location = models.CharField(_("location"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=500)
    raw = models.JSONField(_("provider's record"), default=dict, blank=True)
    fingerprint = models.CharField(max_length=64, verbose_name=_("fingerprint"))
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        ordering = ["-time", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "fingerprint"], name="one_tracking_event_per_step"
            )
        ]
        indexes = [models.Index(fields=["order", "-time"])]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.status} {self.description[:40]}"
