"""Back-office: users (Django's UserAdmin adapted to email/mobile) and API tokens."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from villagemarket.core.admin import OperatorSafeAdmin

from . import services
from .forms import AdminUserChangeForm, AdminUserCreationForm
from .models import ApiToken, User


@admin.register(User)
class UserAdmin(OperatorSafeAdmin, DjangoUserAdmin):
    deactivate_hint = _("Untick “active” instead: the account can no longer sign in.")
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    list_display = (
        "__str__",
        "email",
        "mobile",
        "is_staff",
        "is_active",
        "date_joined",
        "last_login",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "date_joined")
    search_fields = ("email", "mobile", "display_name")
    ordering = ("-date_joined",)
    readonly_fields = ("date_joined", "last_login")
    filter_horizontal = ("groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("email", "mobile", "password")}),
        (_("Personal info"), {"fields": ("display_name",)}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "mobile", "display_name", "password1", "password2"),
            },
        ),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(OperatorSafeAdmin):
    """Tokens are made by their owners; operators can only look and revoke. No secret is shown."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("name", "prefix", "user__email", "user__mobile", "user__display_name")
    list_select_related = ("user",)
    fields = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        count = services.revoke_api_tokens_as_operator(list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", count) % {"n": count},
            messages.SUCCESS,
        )
