"""Payments: one per checkout, covering one ShopOrder per shop (orders.ShopOrder.payment)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from villagemarket.core.money import Money


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("awaiting payment")
    SUCCEEDED = "succeeded", _("paid")
    FAILED = "failed", _("failed")
    CLOSED = "closed", _("closed")


class Payment(models.Model):
    """Money a buyer pays into escrow for one checkout."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments")
    amount_minor = models.BigIntegerField(_("amount (minor units)"))
    currency = models.CharField(max_length=3, default="CNY")
    status = models.CharField(
        _("status"), max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.PENDING, db_index=True
    )
    provider = models.CharField(_("provider"), max_length=20, default="sandbox")
    # The provider's own transaction number, set when it reports the payment.
    provider_trade_no = models.CharField(max_length=64, blank=True, db_index=True)
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    # Paid after its orders had closed (e.g. unpaid timeout): the money must go back.
    needs_refund = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(amount_minor__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.public_id} {self.amount}"

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, self.currency)
