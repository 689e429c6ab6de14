"""Back-office views of pickups: operators look, the pickup pages and API change them."""

from django.contrib import admin

from .models import PickupBatch, PickupItem, PickupMembership


@admin.register(PickupMembership)
class PickupMembershipAdmin(admin.ModelAdmin):
    list_display = ["point", "member", "status", "invited_at", "answered_at", "ended_at"]
    list_filter = ["status"]
    search_fields = ["point__name", "member__name", "point__slug", "member__slug"]
    raw_id_fields = ["point", "member", "invited_by", "answered_by"]


class PickupItemInline(admin.TabularInline):
    model = PickupItem
    raw_id_fields = ["order"]
    readonly_fields = ["added_at"]
    extra = 0


@admin.register(PickupBatch)
class PickupBatchAdmin(admin.ModelAdmin):
    list_display = ["id", "point", "courier_code", "pickup_date", "status", "handed_over_at"]
    list_filter = ["status", "courier_code"]
    search_fields = ["point__name", "point__slug", "items__tracking_no"]
    date_hierarchy = "pickup_date"
    raw_id_fields = ["point", "created_by", "handed_over_by"]
    inlines = [PickupItemInline]
