"""Back-office for moderation: terms (validated like the operator page, applied at once),
settings, cases and reports (read-mostly: decisions go through the queue)."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from . import rules, services
from .models import Case, Report, Settings, Term


class TermAdminForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["text", "is_regex", "category", "action", "is_active", "note"]

    def clean(self):
        data = super().clean()
        problem = rules.pattern_problem(data.get("text") or "", is_regex=data.get("is_regex"))
        if problem:
            self.add_error("text", problem)
        return data


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    form = TermAdminForm
    list_display = ["text", "is_regex", "category", "action", "is_active"]
    list_filter = ["category", "action", "is_active", "is_regex"]
    search_fields = ["text", "note"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.bump_terms_version()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.bump_terms_version()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.bump_terms_version()


@admin.register(Settings)
class SettingsAdmin(admin.ModelAdmin):
    list_display = ["strike_limit", "strike_days", "spam_max_links", "reports_per_hour"]

    def has_add_permission(self, request):
        return not Settings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.pk = 1
        super().save_model(request, obj, form, change)
        services.bump_terms_version()


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    can_delete = False
    readonly_fields = ["reporter", "reason", "detail", "created_at"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_id", "status", "held", "report_count", "opened_at"]
    list_filter = ["status", "kind", "held"]
    readonly_fields = [f.name for f in Case._meta.fields]
    inlines = [ReportInline]

    def has_add_permission(self, request):
        return False
