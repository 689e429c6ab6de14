from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from villagemarket.core.admin import OperatorSafeAdmin, YuanFields, money_column
from villagemarket.observatory.models import Cluster, ImportBatch, PublishedCount, RuleSet


@admin.register(RuleSet)
class RuleSetAdmin(YuanFields, OperatorSafeAdmin):
    """Operators add a rule set for a new period here; thresholds left empty are not tested."""

    list_display = [
        "name",
        "year_from",
        "year_to",
        "village_min_sales",
        "village_min_active_shops",
        "rural_only",
        "town_min_villages",
        "exclude_subdistricts",
    ]
    yuan_fields = {
        "village_min_sales_minor": _("village: minimum annual sales (yuan)"),
        "town_alt_min_sales_minor": _("town (alternative): sales above (yuan)"),
        "cluster_min_sales_minor": _("cluster: minimum sales (yuan)"),
    }
    village_min_sales = money_column("village_min_sales_minor", _("village: least sales"))
    fieldsets = [
        (None, {"fields": ["name", "year_from", "year_to", "notes"]}),
        (
            _("Village"),
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
            _("Active shop"),
            {"fields": ["active_min_days_open", "active_window_months", "active_min_orders"]},
        ),
        (
            _("Town"),
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
            _("Cluster"),
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
class ImportBatchAdmin(OperatorSafeAdmin):
    list_display = ["source", "year", "rows", "file_name", "created_by", "created_at"]
    list_filter = ["year", "source"]
    readonly_fields = ["source", "year", "rows", "file_name", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False  # imports go through the validated import page or command


@admin.register(PublishedCount)
class PublishedCountAdmin(OperatorSafeAdmin):
    list_display = ["year", "villages", "towns", "source"]


@admin.register(Cluster)
class ClusterAdmin(OperatorSafeAdmin):
    sales = money_column("sales_minor", _("sales"))
    list_display = ["year", "number", "name", "village_count", "sales", "very_large"]
    list_filter = ["year"]
    # Computed by the observatory: the sales are shown as money (¥), not as a fen integer field.
    exclude = ["sales_minor"]
    readonly_fields = ["sales"]
