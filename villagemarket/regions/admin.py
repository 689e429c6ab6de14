"""Back-office for the region tree: search by code, name or pinyin; filter by level and flags."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from villagemarket.core.admin import OperatorSafeAdmin
from villagemarket.regions.models import Level, Region


class ProvinceFilter(admin.SimpleListFilter):
    title = _("province")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        return list(Region.objects.filter(level=Level.PROVINCE).values_list("code", "short_name"))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(province_code=self.value())
        return queryset


@admin.register(Region)
class RegionAdmin(OperatorSafeAdmin):
    deactivate_hint = _("Regions that shops, addresses or statistics use stay in the tree.")
    list_display = [
        "code",
        "short_name",
        "name",
        "level",
        "parent",
        "township_kind",
        "is_rural",
        "is_statistical",
        "households",
        "is_featured",
    ]
    list_display_links = ["code", "short_name"]
    list_filter = [
        "level",
        "township_kind",
        "is_rural",
        "is_statistical",
        "is_featured",
        ProvinceFilter,
    ]
    # code first: an operator usually pastes a code; prefix matching keeps it on the index.
    search_fields = ["=code", "^code", "name", "short_name", "^name_pinyin"]
    search_help_text = _("Code, Chinese name or pinyin (e.g. 371721121227, 丁楼 or dinglou).")
    raw_id_fields = ["parent"]
    list_select_related = ["parent"]
    list_editable = ["is_featured"]
    list_per_page = 50
    # Counting 660k rows on every page costs more than it tells; the pager shows "more".
    show_full_result_count = False
    readonly_fields = [
        "province_code",
        "prefecture_code",
        "county_code",
        "township_code",
        "imported_at",
    ]
    fieldsets = [
        (None, {"fields": ["code", "name", "short_name", "name_pinyin", "level", "parent"]}),
        (_("Flags"), {"fields": ["township_kind", "is_rural", "is_statistical", "is_featured"]}),
        (_("Operator data"), {"fields": ["households", "latitude", "longitude", "imported_at"]}),
        (
            _("Ancestors"),
            {"fields": ["province_code", "prefecture_code", "county_code", "township_code"]},
        ),
    ]
