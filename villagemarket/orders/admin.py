"""Operator back-office for orders: read-mostly; state changes go through the services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from villagemarket.core.admin import OperatorSafeAdmin, money_column

from .models import (
    Address,
    CheckoutRequest,
    Dispute,
    DisputeStatement,
    RefundRequest,
    ShopOrder,
    ShopOrderLine,
)


class LineInline(admin.TabularInline):
    model = ShopOrderLine
    extra = 0
    can_delete = False
    readonly_fields = [
        "sku",
        "product_title",
        "variant_label",
        "unit_price",
        "quantity",
        "line_total",
    ]
    fields = readonly_fields
    unit_price = money_column("unit_price_minor", _("unit price"))
    line_total = money_column("line_total_minor", _("line total"))

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ShopOrder)
class ShopOrderAdmin(OperatorSafeAdmin):
    goods = money_column("goods_minor", _("goods"))
    freight = money_column("freight_minor", _("freight"))
    total = money_column("total_minor", _("total"))
    refund_claimed = money_column("refund_claimed_minor", _("claimed by refunds"))
    refunded = money_column("refunded_minor", _("refunded"))
    list_display = [
        "id",
        "shop",
        "buyer",
        "status",
        "total",
        "created_at",
        "paid_at",
        "shipped_at",
        "completed_at",
    ]
    list_filter = ["status", "extended", "close_reason"]
    search_fields = [
        "=id",
        "shop__name",
        "buyer__email",
        "buyer__mobile",
        "tracking_no",
        "recipient",
        "mobile",
    ]
    date_hierarchy = "created_at"
    list_select_related = ["shop", "buyer"]
    raw_id_fields = ["buyer", "shop", "payment"]
    inlines = [LineInline]
    # Money, status and timers change only through orders.services (guarded updates, stock, ledger).
    readonly_fields = [
        "buyer",
        "shop",
        "payment",
        "status",
        "goods",
        "freight",
        "total",
        "created_at",
        "paid_at",
        "shipped_at",
        "completed_at",
        "closed_at",
        "close_reason",
        "auto_complete_at",
        "extended",
        "carrier",
        "courier",
        "tracking_no",
        "delivered_at",
        "refund_claimed",
        "refunded",
    ]
    exclude = [
        "goods_minor",
        "freight_minor",
        "total_minor",
        "refund_claimed_minor",
        "refunded_minor",
        "currency",
    ]  # shown as Money

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Address)
class AddressAdmin(OperatorSafeAdmin):
    list_display = ["user", "recipient", "mobile", "region", "is_default"]
    search_fields = ["user__email", "recipient", "mobile"]
    raw_id_fields = ["user", "region"]


@admin.register(CheckoutRequest)
class CheckoutRequestAdmin(OperatorSafeAdmin):
    list_display = ["buyer", "key", "payment", "created_at"]
    raw_id_fields = ["buyer", "payment"]
    readonly_fields = ["buyer", "key", "payment", "created_at"]


@admin.register(RefundRequest)
class RefundRequestAdmin(OperatorSafeAdmin):
    """Read-only: refunds move through orders.services (guarded claim, provider, ledger);
    operators decide disputes on the dispute page (/orders/disputes/)."""

    amount = money_column("amount_minor", _("amount"))
    list_display = ["id", "order", "status", "kind", "reason", "amount", "created_at"]
    list_filter = ["status", "kind", "reason", "after_shipment"]
    search_fields = ["=id", "=order__id", "order__buyer__email", "return_tracking_no"]
    list_select_related = ["order", "order__shop"]
    date_hierarchy = "created_at"
    readonly_fields = [
        f.name for f in RefundRequest._meta.fields if f.name not in ("amount_minor",)
    ] + ["amount"]
    exclude = ["amount_minor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatementInline(admin.TabularInline):
    model = DisputeStatement
    extra = 0
    can_delete = False
    readonly_fields = ["side", "author", "text", "image", "created_at"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dispute)
class DisputeAdmin(OperatorSafeAdmin):
    """Read-only list of disputes; the decision is made on the dispute page (it pays or frees
    the refund through the services)."""

    list_display = ["id", "refund", "opened_at", "decision", "decided_at"]
    list_filter = ["decision"]
    list_select_related = ["refund"]
    readonly_fields = [f.name for f in Dispute._meta.fields]
    inlines = [StatementInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
