"""Notifications: the in-site inbox (Notification), one outbox row per outside channel
(Delivery), each person's choices (Preference), and the sandbox SMS provider's record of what it
would have sent (SandboxSms)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import events


class Notification(models.Model):
    """One piece of news for one person. `key` names the event (``order:12:ship``): a repeated
    event finds its notification already there and notifies nobody again."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("event type"), max_length=32)
    key = models.CharField(_("event"), max_length=120)
    # Filled into the event type's words when shown (see events.render), so each reader gets
    # their own language.
    params = models.JSONField(_("details"), default=dict)
    url = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="one_notification_per_event")
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} → {self.recipient_id}"

    @property
    def title(self) -> str:
        return events.render(self.kind, self.params)[0]

    @property
    def body(self) -> str:
        return events.render(self.kind, self.params)[1]

    @property
    def kind_label(self) -> str:
        kind = events.EVENT_TYPES.get(self.kind)
        return str(kind.label) if kind else self.kind


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed (gave up)")
    # A worker died while sending it on a channel that cannot tell a repeat from a new message:
    # it may or may not have gone out, and sending again could send it twice. An operator
    # decides (the back-office action "send again").
    UNKNOWN = "unknown", _("outcome unknown (worker stopped mid-send)")


class Channel(models.TextChoices):
    EMAIL = events.EMAIL, _("e-mail")
    SMS = events.SMS, _("SMS")


class Delivery(models.Model):
    """Sending one notification on one outside channel: the outbox row the worker sends.
    Written in the event's own transaction; one per (notification, channel), i.e. per
    (event, recipient, channel)."""

    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("notification"),
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("sent to"), max_length=254)  # an e-mail address or a mobile
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    # While `sending`: the worker that claimed it owns it until then (see sending.py).
    lease_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    provider_id = models.CharField(_("provider's message id"), max_length=100, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="one_delivery_per_channel"
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(lease_until__isnull=False),
                name="sending_delivery_has_lease",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="delivery_due",
            ),
            models.Index(
                fields=["lease_until"], condition=Q(status="sending"), name="delivery_leased"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def idempotency_key(self) -> str:
        """What the provider is given to recognise a repeat of this send (stable per row)."""
        return f"vm-delivery-{self.pk}"


class Preference(models.Model):
    """A person's choice for one event type; without a row the event type's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("event type"), max_length=32)
    email = models.BooleanField(_("e-mail"))
    sms = models.BooleanField(_("SMS"))

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_event_type")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: email={self.email} sms={self.sms}"


class SandboxSms(models.Model):
    """What the sandbox SMS provider would have sent (shown in the back-office). One per
    idempotency key: a repeated send with the same key is the same message."""

    key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    mobile = models.CharField(_("mobile number"), max_length=11)
    sign_name = models.CharField(_("signature"), max_length=40)
    template_code = models.CharField(_("template"), max_length=40)
    template_params = models.JSONField(_("template parameters"), default=dict)
    text = models.CharField(_("text"), max_length=500)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("sandbox SMS")
        verbose_name_plural = _("sandbox SMS")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.mobile}: {self.text[:40]}"

    @property
    def provider_id(self) -> str:
        return f"SBXSMS{self.pk}"
