from django.contrib import admin

from .models import Flag, Rule


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ("code", "enabled", "threshold", "window_minutes", "updated_at", "updated_by")
    list_editable = ("enabled", "threshold", "window_minutes")
    readonly_fields = ("code", "updated_at", "updated_by")

    def has_add_permission(self, request):
        return False  # the rules are seeded; code decides what each one means

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    """Read-only: decisions go through the queue (/operator/brushing/), which counts a cleared
    order's held sale."""

    list_display = ("id", "rule", "shop", "order", "review_id", "status", "created_at")
    list_filter = ("status", "rule")
    list_select_related = ("rule", "shop", "order")
    readonly_fields = [f.name for f in Flag._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
