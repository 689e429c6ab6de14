"""Operator back-office for orders: read-mostly; state changes go through the services."""

from django.contrib import admin

from .models import Address, CheckoutRequest, ShopOrder, ShopOrderLine


class LineInline(admin.TabularInline):
    model = ShopOrderLine
    extra = 0
    can_delete = False
    readonly_fields = [
        "sku",
        "product_title",
        "variant_label",
        "unit_price_minor",
        "quantity",
        "line_total_minor",
        "currency",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ShopOrder)
class ShopOrderAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "shop",
        "buyer",
        "status",
        "total_minor",
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
        "goods_minor",
        "freight_minor",
        "total_minor",
        "currency",
        "created_at",
        "paid_at",
        "shipped_at",
        "completed_at",
        "closed_at",
        "close_reason",
        "auto_complete_at",
        "extended",
        "carrier",
        "tracking_no",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ["user", "recipient", "mobile", "region", "is_default"]
    search_fields = ["user__email", "recipient", "mobile"]
    raw_id_fields = ["user", "region"]


@admin.register(CheckoutRequest)
class CheckoutRequestAdmin(admin.ModelAdmin):
    list_display = ["buyer", "key", "payment", "created_at"]
    raw_id_fields = ["buyer", "payment"]
    readonly_fields = ["buyer", "key", "payment", "created_at"]
