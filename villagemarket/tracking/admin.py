from django.contrib import admin

from villagemarket.core.admin import OperatorSafeAdmin

from .models import Parcel, TrackingEvent


@admin.register(Parcel)
class ParcelAdmin(OperatorSafeAdmin):
    list_display = [
        "order",
        "courier_code",
        "tracking_no",
        "last_status",
        "next_poll_at",
        "failures",
    ]
    list_filter = ["courier_code", "last_status"]
    search_fields = ["tracking_no", "order__id"]
    raw_id_fields = ["order"]
    readonly_fields = ["last_polled_at", "last_error"]


@admin.register(TrackingEvent)
class TrackingEventAdmin(OperatorSafeAdmin):
    list_display = ["order", "time", "status", "location", "description"]
    list_filter = ["status"]
    search_fields = ["order__tracking_no", "order__id"]
    raw_id_fields = ["order"]
    readonly_fields = ["fingerprint", "raw"]
