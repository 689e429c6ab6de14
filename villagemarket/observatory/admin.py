from django.contrib import admin

from villagemarket.observatory.models import Cluster, ImportBatch, PublishedCount, RuleSet


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    """Operators add a rule set for a new period here; thresholds left empty are not tested."""

    list_display = [
        "name",
        "year_from",
        "year_to",
        "village_min_sales_minor",
        "village_min_active_shops",
        "rural_only",
        "town_min_villages",
        "exclude_subdistricts",
    ]
    fieldsets = [
        (None, {"fields": ["name", "year_from", "year_to", "notes"]}),
        (
            "Village",
            {
                "fields": [
                    "village_min_sales_minor",
                    "village_min_registered_shops",
                    "village_min_active_shops",
                    "village_min_active_share_pct",
                    "rural_only",
                ]
            },
        ),
        (
            "Active shop",
            {"fields": ["active_min_days_open", "active_window_months", "active_min_orders"]},
        ),
        (
            "Town",
            {
                "fields": [
                    "town_min_villages",
                    "town_alt_min_sales_minor",
                    "town_alt_min_active_shops",
                    "exclude_subdistricts",
                ]
            },
        ),
        (
            "Cluster",
            {
                "fields": [
                    "cluster_min_villages",
                    "cluster_min_sales_minor",
                    "cluster_very_large_villages",
                    "contiguity_km",
                ]
            },
        ),
    ]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["source", "year", "rows", "file_name", "created_by", "created_at"]
    list_filter = ["year", "source"]
    readonly_fields = ["source", "year", "rows", "file_name", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False  # imports go through the validated import page or command


@admin.register(PublishedCount)
class PublishedCountAdmin(admin.ModelAdmin):
    list_display = ["year", "villages", "towns", "source"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["year", "number", "name", "village_count", "sales_minor", "very_large"]
    list_filter = ["year"]
