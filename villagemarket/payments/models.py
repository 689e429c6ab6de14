"""Payments: one per checkout. What a payment covers (one shop order per shop) belongs to the app
above, which describes it through payments.hooks."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from villagemarket.core.money import Money

from .states import PaymentStatus

__all__ = ["EventKind", "Payment", "PaymentEvent", "PaymentStatus", "SandboxNotification"]


class Payment(models.Model):
    """Money a buyer pays into escrow for one checkout."""

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public ID")
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("buyer"),
    )
    amount_minor = models.BigIntegerField(_("amount (minor units)"))
    currency = models.CharField(max_length=3, default="CNY", verbose_name=_("currency"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PaymentStatus.choices,
        default=PaymentStatus.PENDING,
        db_index=True,
    )
    provider = models.CharField(_("provider"), max_length=20, default="sandbox")
    # The provider's own transaction number, set when it reports the payment.
    provider_trade_no = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("provider trade number")
    )
    description = models.CharField(max_length=200, blank=True, verbose_name=_("description"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    paid_at = models.DateTimeField(null=True, blank=True, verbose_name=_("paid at"))
    # The payer's account at the provider, as its success notification reported it (see
    # providers.base.Notification.payer_account); "" until paid or when it does not say.
    payer_account = models.CharField(_("payer account"), max_length=80, blank=True, db_index=True)
    # Paid after its orders had closed (e.g. unpaid timeout): the money must go back.
    needs_refund = models.BooleanField(default=False, verbose_name=_("needs refund"))

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="payment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.public_id} {self.amount}"

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, self.currency)


class EventKind(models.TextChoices):
    CREATED = "created", _("created")
    STARTED = "started", _("payment attempt started")
    NOTIFICATION_RECEIVED = "notification_received", _("notification received")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")
    DUPLICATE_IGNORED = "duplicate_ignored", _("duplicate ignored")
    REJECTED = "rejected", _("rejected")


class PaymentEvent(models.Model):
    """Append-only history of a payment, read by the ledger.

    `succeeded` exists at most once per payment (a DB constraint), so "payment captured" can be
    posted exactly once. `notification_key` (provider:trade_no:outcome) is unique: the record
    of processed notifications: a duplicate delivery, even a concurrent one, takes effect once.
    """

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="events", verbose_name=_("payment")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    provider = models.CharField(_("provider"), max_length=20, blank=True)
    trade_no = models.CharField(_("provider trade no"), max_length=64, blank=True)
    amount_minor = models.BigIntegerField(_("amount (minor units)"), null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, verbose_name=_("currency"))
    body_sha256 = models.CharField(_("raw body SHA-256"), max_length=64, blank=True)
    notification_key = models.CharField(
        max_length=120, null=True, blank=True, unique=True, verbose_name=_("notification key")
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(
        auto_now_add=True, db_index=True, verbose_name=_("created at")
    )

    class Meta:
        verbose_name = _("payment event")
        verbose_name_plural = _("payment events")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment"], condition=Q(kind="succeeded"), name="payment_succeeds_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} {self.kind}"


class SandboxNotification(models.Model):
    """Outbox of the sandbox provider: one signed server-to-server notification to deliver.

    The body is stored exactly as it will be sent (the signature covers the raw bytes); the
    timestamp header is made fresh at each delivery attempt, as real providers do on retries.
    """

    payment = models.ForeignKey(
        Payment,
        on_delete=models.CASCADE,
        related_name="sandbox_notifications",
        verbose_name=_("payment"),
    )
    body = models.TextField(verbose_name=_("body"))
    notify_url = models.CharField(max_length=300, verbose_name=_("notify URL"))
    deliver_after = models.DateTimeField(verbose_name=_("deliver after"))
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("attempts"))
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered at"))
    gave_up_at = models.DateTimeField(null=True, blank=True, verbose_name=_("gave up at"))
    last_status = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("last status"))
    last_error = models.CharField(max_length=300, blank=True, verbose_name=_("last error"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("sandbox notification")
        verbose_name_plural = _("sandbox notifications")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.payment_id} #{self.pk}"
