from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from villagemarket.core.admin import OperatorSafeAdmin, YuanFields

from .models import Courier, FreightRule, FreightTemplate


class RuleInline(YuanFields, admin.TabularInline):
    model = FreightRule
    extra = 0
    yuan_fields = {
        "first_minor": _("first item / kg (yuan)"),
        "additional_minor": _("each further item / kg (yuan)"),
        "free_above_minor": _("free from order amount (yuan)"),
    }


@admin.register(FreightTemplate)
class FreightTemplateAdmin(OperatorSafeAdmin):
    list_display = ["name", "shop", "basis", "is_default", "updated_at"]
    list_filter = ["basis", "is_default"]
    search_fields = ["name", "shop__name"]
    raw_id_fields = ["shop"]
    inlines = [RuleInline]


@admin.register(Courier)
class CourierAdmin(OperatorSafeAdmin):
    """Operators keep the courier list: codes, patterns (checked as regular expressions on
    save), tracking pages, and which ones sellers are offered."""

    # The list shows the Chinese name only (codes, patterns and pages are on each form).
    list_display = ["name", "is_active", "position"]
    list_editable = ["is_active", "position"]
    search_fields = ["code", "name", "name_en", "aliases"]
