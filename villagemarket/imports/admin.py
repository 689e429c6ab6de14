"""Back-office for imports: read-only jobs (the seller's file is kept, never edited here)."""

from __future__ import annotations

from django.contrib import admin

from .models import ImportJob, ProductHandle


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "shop",
        "filename",
        "file_format",
        "status",
        "total_rows",
        "created_at",
        "finished_at",
    )
    list_filter = ("status", "file_format")
    search_fields = ("shop__name", "shop__slug", "filename")
    list_select_related = ("shop",)
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ImportJob._meta.fields if f.name != "content"]
    exclude = ("content",)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProductHandle)
class ProductHandleAdmin(admin.ModelAdmin):
    list_display = ("handle", "shop", "product")
    search_fields = ("handle", "shop__slug")
    list_select_related = ("shop", "product")
    raw_id_fields = ("shop", "product")
