"""Buyer addresses, shop orders with line snapshots, and the checkout page's one-time tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from villagemarket.accounts.models import mobile_validator
from villagemarket.core.money import Money

from .refund_states import OPEN, RefundKind, RefundReason, RefundStatus
from .states import Status


class Address(models.Model):
    """An entry of a buyer's address book; `region` is a township (level 4) of the region tree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="addresses",
        verbose_name=_("user"),
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("township"),
        limit_choices_to={"level": 4},
    )
    detail = models.CharField(_("street and house"), max_length=200)
    recipient = models.CharField(_("recipient"), max_length=40)
    mobile = models.CharField(_("mobile number"), max_length=11, validators=[mobile_validator])
    is_default = models.BooleanField(_("default address"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-is_default", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_default=True), name="one_default_address_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.mobile} {self.detail}"

    @property
    def province_code(self) -> str:
        return self.region.province_code


class ShopOrder(models.Model):
    """What one shop owes one buyer from one checkout. Money in minor units; the address is a
    snapshot."""

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="shop_orders",
        verbose_name=_("buyer"),
    )
    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.PROTECT, related_name="orders", verbose_name=_("shop")
    )
    payment = models.ForeignKey(
        "payments.Payment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("payment"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.AWAITING_PAYMENT,
        db_index=True,
    )
    goods_minor = models.BigIntegerField(_("goods"))
    freight_minor = models.BigIntegerField(_("freight"))
    total_minor = models.BigIntegerField(_("total"))
    currency = models.CharField(max_length=3, default="CNY", verbose_name=_("currency"))
    # Address snapshot: later edits of the address book do not move a parcel.
    recipient = models.CharField(_("recipient"), max_length=40)
    mobile = models.CharField(_("mobile number"), max_length=11)
    region_code = models.CharField(max_length=12, verbose_name=_("region code"))
    region_label = models.CharField(_("region"), max_length=200)
    address_detail = models.CharField(_("street and house"), max_length=200)
    created_at = models.DateTimeField(_("placed"), auto_now_add=True, db_index=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(_("close reason"), max_length=20, blank=True)
    auto_complete_at = models.DateTimeField(_("completes automatically"), null=True, blank=True)
    extended = models.BooleanField(_("auto-confirm extended"), default=False)
    carrier = models.CharField(_("carrier"), max_length=40, blank=True)
    # The listed courier (null for orders shipped before the list, or with an unlisted carrier,
    # whose name is only in `carrier`): only these are tracked.
    courier = models.ForeignKey(
        "shipping.Courier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("courier"),
    )
    # When the courier reported the parcel delivered (services.mark_delivered).
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    tracking_no = models.CharField(_("tracking number"), max_length=40, blank=True)
    # What the buyer asked the seller at checkout ("no chili, please"); shown on the packing slip.
    note_to_seller = models.CharField(_("note to the seller"), max_length=200, blank=True)
    # Refunds: `refund_claimed_minor` is held by open and paid refund requests (raised by one
    # guarded UPDATE, so concurrent requests never claim more than the total); `refunded_minor`
    # is what was actually paid back.
    refund_claimed_minor = models.BigIntegerField(_("claimed by refunds"), default=0)
    refunded_minor = models.BigIntegerField(_("refunded"), default=0)
    # Who is behind the order, for anti-brushing (orders/identity.py): the normalised delivery
    # address as a key, and the device id the checkout came from ("" when unknown).
    address_key = models.CharField(_("address key"), max_length=40, blank=True)
    device_id = models.CharField(_("device"), max_length=64, blank=True)
    # Completed, but its sale is held back by the sale gate (a suspected fake order): not in
    # sales counts until an operator clears it (services.count_held_sale).
    sale_held = models.BooleanField(_("sale held back"), default=False)

    class Meta:
        verbose_name = _("shop order")
        verbose_name_plural = _("shop orders")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["buyer", "-created_at"]),
            models.Index(fields=["shop", "status", "-created_at"]),
            models.Index(fields=["status", "auto_complete_at"]),
            # Anti-brushing's look-ups at each step: orders of one shop from one address or
            # device in a window, and orders shipped under one tracking number.
            models.Index(fields=["shop", "address_key", "created_at"]),
            models.Index(fields=["shop", "device_id", "created_at"]),
            models.Index(fields=["tracking_no"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_minor=models.F("goods_minor") + models.F("freight_minor")),
                name="order_total_is_goods_plus_freight",
            ),
            models.CheckConstraint(
                condition=Q(goods_minor__gt=0) & Q(freight_minor__gte=0),
                name="order_amounts_positive",
            ),
            models.CheckConstraint(
                condition=Q(refunded_minor__gte=0)
                & Q(refunded_minor__lte=models.F("refund_claimed_minor"))
                & Q(refund_claimed_minor__lte=models.F("total_minor")),
                name="order_refunds_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.shop} {self.get_status_display()}"

    @property
    def goods(self) -> Money:
        return Money(self.goods_minor, self.currency)

    @property
    def freight(self) -> Money:
        return Money(self.freight_minor, self.currency)

    @property
    def total(self) -> Money:
        return Money(self.total_minor, self.currency)

    @property
    def refundable(self) -> Money:
        return Money(self.total_minor - self.refund_claimed_minor, self.currency)

    @property
    def refunded(self) -> Money:
        return Money(self.refunded_minor, self.currency)


class ShopOrderLine(models.Model):
    """One SKU of an order, frozen at checkout: title, variant, unit price, quantity."""

    order = models.ForeignKey(
        ShopOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    sku = models.ForeignKey(
        "catalog.SKU", on_delete=models.PROTECT, related_name="+", verbose_name=_("sku")
    )
    product_title = models.CharField(_("product"), max_length=160)
    variant_label = models.CharField(_("variant"), max_length=120, blank=True)
    unit_price_minor = models.BigIntegerField(_("unit price"))
    quantity = models.PositiveIntegerField(_("quantity"))
    line_total_minor = models.BigIntegerField(_("line total"))
    currency = models.CharField(max_length=3, default="CNY", verbose_name=_("currency"))

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(line_total_minor=models.F("unit_price_minor") * models.F("quantity")),
                name="order_line_total_is_price_times_quantity",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="order_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_title} {self.variant_label} × {self.quantity}"

    @property
    def unit_price(self) -> Money:
        return Money(self.unit_price_minor, self.currency)

    @property
    def line_total(self) -> Money:
        return Money(self.line_total_minor, self.currency)


class CheckoutRequest(models.Model):
    """The checkout page's one-time form token, taken by the checkout it placed, so a resubmitted
    form (double tap, back button) goes to the same payment. The token is made by the server for
    each rendered form; API clients use core.idempotency's Idempotency-Key instead."""

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("buyer"),
    )
    key = models.CharField(max_length=100, verbose_name=_("key"))
    # Null only inside the transaction that creates it (the row is taken first to serialise
    # duplicates).
    payment = models.ForeignKey(
        "payments.Payment",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        verbose_name=_("payment"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("checkout request")
        verbose_name_plural = _("checkout requests")
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "key"], name="one_checkout_per_idempotency_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.buyer_id}:{self.key}"


class RefundRequest(models.Model):
    """A buyer's request for money back on one shop order, with or without returning goods.

    At most one is open per order. Deadlines are set from the database clock when the state
    that needs them is entered; the sweep in tasks.py acts when they pass."""

    order = models.ForeignKey(
        ShopOrder, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("order")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RefundStatus.choices,
        default=RefundStatus.REQUESTED,
        db_index=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RefundKind.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=RefundReason.choices)
    detail = models.CharField(_("details"), max_length=500, blank=True)
    amount_minor = models.BigIntegerField(_("amount"))
    currency = models.CharField(max_length=3, default="CNY", verbose_name=_("currency"))
    # Whether the order had shipped when the buyer asked (decides grant-at-once).
    after_shipment = models.BooleanField(default=False, verbose_name=_("after shipment"))
    seller_note = models.CharField(_("seller's answer"), max_length=500, blank=True)
    return_carrier = models.CharField(_("return carrier"), max_length=40, blank=True)
    return_tracking_no = models.CharField(_("return tracking number"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True, db_index=True)
    seller_due_at = models.DateTimeField(_("seller answers by"), null=True, blank=True)
    return_due_at = models.DateTimeField(_("seller confirms the return by"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded"), null=True, blank=True)
    # Paying back through the provider (services/refund_payments.py): our refund number at the
    # provider for the current attempt (a retried call with it is the same refund there), the
    # attempts so far, when the attempt started, the status to go back to if the provider refuses
    # at once, and what the provider said last (shown to the operator when it failed).
    provider_refund_no = models.CharField(
        _("provider refund number"), max_length=64, null=True, blank=True, unique=True
    )
    provider_attempts = models.PositiveSmallIntegerField(_("provider attempts"), default=0)
    paying_since = models.DateTimeField(_("sent to the provider"), null=True, blank=True)
    status_before_paying = models.CharField(
        _("status before paying"), max_length=20, choices=RefundStatus.choices, blank=True
    )
    provider_note = models.CharField(_("provider's answer"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("refund request")
        verbose_name_plural = _("refund requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "seller_due_at"]),
            models.Index(fields=["status", "return_due_at"]),
            models.Index(fields=["status", "paying_since"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="refund_amount_positive"),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status__in=[s.value for s in OPEN]),
                name="one_open_refund_per_order",
            ),
        ]

    def __str__(self) -> str:
        return f"refund #{self.pk} of order #{self.order_id} {self.get_status_display()}"

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, self.currency)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class Dispute(models.Model):
    """The operator's arbitration of one refund request: both sides' statements and a decision."""

    refund = models.OneToOneField(
        RefundRequest, on_delete=models.PROTECT, related_name="dispute", verbose_name=_("refund")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(auto_now_add=True, verbose_name=_("opened at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    decision = models.CharField(_("decision"), max_length=20, blank=True)
    decision_note = models.CharField(_("operator's reasons"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"dispute #{self.pk} on refund #{self.refund_id}"


class DisputeStatement(models.Model):
    """What one side says in a dispute, optionally with one evidence image."""

    class Side(models.TextChoices):
        BUYER = "buyer", _("buyer")
        SELLER = "seller", _("seller")

    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="statements", verbose_name=_("dispute")
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.CharField(_("statement"), max_length=1000)
    image = models.ImageField(_("evidence"), upload_to="disputes/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("dispute statement")
        verbose_name_plural = _("dispute statements")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.side}: {self.text[:30]}"
