from django.contrib import admin

from villagemarket.core.admin import OperatorSafeAdmin

from .models import FreightRule, FreightTemplate


class RuleInline(admin.TabularInline):
    model = FreightRule
    extra = 0


@admin.register(FreightTemplate)
class FreightTemplateAdmin(OperatorSafeAdmin):
    list_display = ["name", "shop", "basis", "is_default", "updated_at"]
    list_filter = ["basis", "is_default"]
    search_fields = ["name", "shop__name"]
    raw_id_fields = ["shop"]
    inlines = [RuleInline]
