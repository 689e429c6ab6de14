"""Back-office views of conversations (read-only: messages change through services only)."""

from django.contrib import admin

from .models import Conversation, Message


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["id", "buyer", "shop", "seq", "last_message_at", "buyer_unread", "shop_unread"]
    list_select_related = ["buyer", "shop"]
    search_fields = ["shop__name", "buyer__email"]
    raw_id_fields = ["buyer", "shop"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["id", "conversation", "sender_side", "status", "seq", "created_at"]
    list_filter = ["status", "sender_side"]
    list_select_related = ["conversation__shop", "conversation__buyer"]
    raw_id_fields = ["conversation", "sender", "product", "order"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
