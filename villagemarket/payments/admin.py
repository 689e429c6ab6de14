from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from villagemarket.core.admin import OperatorSafeAdmin, money_column

from .models import Payment, PaymentEvent, SandboxNotification


class PaymentEventInline(admin.TabularInline):
    model = PaymentEvent
    extra = 0
    can_delete = False
    amount = money_column("amount_minor", _("amount"))
    fields = ["created_at", "kind", "trade_no", "amount", "detail"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(OperatorSafeAdmin):
    amount_display = money_column("amount_minor", _("amount"))
    deactivate_hint = _("Payments are money history and are never deleted.")
    list_display = [
        "public_id",
        "buyer",
        "amount_display",
        "status",
        "provider",
        "provider_trade_no",
        "paid_at",
        "needs_refund",
        "created_at",
    ]
    list_filter = ["status", "provider", "needs_refund"]
    search_fields = ["public_id", "provider_trade_no", "buyer__email", "buyer__mobile"]
    list_select_related = ["buyer"]
    # Money and the provider's word are facts: the back-office reads them, never edits them.
    readonly_fields = [
        "public_id",
        "buyer",
        "amount_display",
        "status",
        "provider",
        "provider_trade_no",
        "created_at",
        "paid_at",
    ]
    exclude = ["amount_minor", "currency"]  # shown as amount_display
    inlines = [PaymentEventInline]
    date_hierarchy = "created_at"


@admin.register(PaymentEvent)
class PaymentEventAdmin(OperatorSafeAdmin):
    amount = money_column("amount_minor", _("amount"))
    list_display = ["created_at", "payment", "kind", "provider", "trade_no", "amount"]
    list_filter = ["kind", "provider"]
    search_fields = ["payment__public_id", "trade_no", "body_sha256"]
    list_select_related = ["payment"]

    exclude = ["amount_minor", "currency"]  # shown as amount

    def get_readonly_fields(self, request, obj=None):
        facts = [f.name for f in self.model._meta.fields if f.name not in self.exclude]
        return [*facts, "amount"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SandboxNotification)
class SandboxNotificationAdmin(OperatorSafeAdmin):
    list_display = [
        "pk",
        "payment",
        "deliver_after",
        "attempts",
        "delivered_at",
        "gave_up_at",
        "last_status",
    ]
    list_filter = ["delivered_at", "gave_up_at"]
    search_fields = ["payment__public_id", "body"]
    readonly_fields = ["payment", "body", "notify_url", "created_at"]
