"""Back-office: the outbox (with "send again" for deliveries whose outcome is unknown), what the
sandbox SMS provider would have sent, and people's notifications and choices."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import events, sending
from .models import Delivery, Notification, Preference, SandboxSms


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "address", "status", "attempts", "provider_id", "sent_at", "last_error"]
    readonly_fields = fields


class EventTypeFilter(admin.SimpleListFilter):
    """Filter by event type, named as people read it (the stored codes are internal)."""

    title = _("event type")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(code, kind.label) for code, kind in events.EVENT_TYPES.items()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "event_type", "read_at"]
    list_filter = [EventTypeFilter]
    search_fields = ["key", "recipient__email", "recipient__mobile"]
    readonly_fields = ["recipient", "kind", "key", "params", "url", "created_at", "read_at"]
    inlines = [DeliveryInline]
    list_select_related = ["recipient"]

    @admin.display(description=_("event type"), ordering="kind")
    def event_type(self, obj: Notification) -> str:
        return obj.kind_label


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "channel",
        "address",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["address", "provider_id", "notification__key"]
    readonly_fields = [
        "notification",
        "channel",
        "address",
        "status",
        "attempts",
        "next_attempt_at",
        "lease_until",
        "provider_id",
        "last_error",
        "created_at",
        "sent_at",
    ]
    actions = ["send_again"]

    @admin.action(description=_("Send again (only after checking it did not go out)"))
    def send_again(self, request, queryset):
        count = sending.send_again(queryset.values_list("pk", flat=True))
        self.message_user(
            request, _("%(count)d deliveries queued again.") % {"count": count}, messages.SUCCESS
        )


@admin.register(SandboxSms)
class SandboxSmsAdmin(admin.ModelAdmin):
    list_display = ["created_at", "mobile", "template_code", "text"]
    search_fields = ["mobile", "text", "key"]
    readonly_fields = [
        "key",
        "mobile",
        "sign_name",
        "template_code",
        "template_params",
        "text",
        "created_at",
    ]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "email", "sms"]
    list_filter = [EventTypeFilter]
    search_fields = ["user__email", "user__mobile"]
