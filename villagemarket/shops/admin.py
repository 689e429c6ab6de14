"""Operator back-office for shops: review, approve, suspend, reinstate, set commission.

Status changes go through services.set_shop_status (never a plain save), so the who/when
history is always written and an illegal move is refused.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from villagemarket.accounts.permissions import is_operator
from villagemarket.core.admin import OperatorSafeAdmin
from villagemarket.core.errors import DomainError

from . import services
from .models import Household, Shop, ShopInvitation, ShopMember, ShopStatusChange


class OperatorAdmin:
    """Operators (accounts.permissions.is_operator) manage shops; no per-model grants.

    Deleting stays with superusers: shops carry orders and money history.
    """

    def _operator(self, request) -> bool:
        return is_operator(request.user)

    def has_module_permission(self, request):
        return self._operator(request)

    def has_view_permission(self, request, obj=None):
        return self._operator(request)

    def has_change_permission(self, request, obj=None):
        return self._operator(request)

    def has_add_permission(self, request, obj=None):
        return self._operator(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ProvinceFilter(admin.SimpleListFilter):
    title = _("province")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        from villagemarket.regions.models import Region

        return list(Region.objects.filter(level=1).values_list("code", "name"))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(village__province_code=self.value())
        return queryset


class ShopMemberInline(OperatorAdmin, admin.TabularInline):
    model = ShopMember
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


class HouseholdInline(OperatorAdmin, admin.TabularInline):
    model = Household
    extra = 0
    raw_id_fields = ["village"]
    fields = ["name", "village", "contact_phone"]


class ShopStatusChangeInline(OperatorAdmin, admin.TabularInline):
    model = ShopStatusChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "from_status", "to_status", "changed_by", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _status_action(action: str, label, done):
    def run(modeladmin, request, queryset):
        changed, refused = 0, []
        for shop in queryset.order_by("pk"):
            try:
                services.set_shop_status(request.user, shop, action)
                changed += 1
            except DomainError as exc:
                refused.append(f"{shop.name}: {exc.message}")
        if changed:
            modeladmin.message_user(request, done(changed), messages.SUCCESS)
        if refused:
            modeladmin.message_user(request, "; ".join(refused), messages.WARNING)

    run.__name__ = action
    run.short_description = label
    return run


approve = _status_action(
    "approve",
    _("Approve selected shops"),
    lambda n: ngettext("%(n)d shop approved.", "%(n)d shops approved.", n) % {"n": n},
)
suspend = _status_action(
    "suspend",
    _("Suspend selected shops"),
    lambda n: ngettext("%(n)d shop suspended.", "%(n)d shops suspended.", n) % {"n": n},
)
reinstate = _status_action(
    "reinstate",
    _("Reinstate selected shops"),
    lambda n: ngettext("%(n)d shop reinstated.", "%(n)d shops reinstated.", n) % {"n": n},
)


@admin.register(Shop)
class ShopAdmin(OperatorAdmin, OperatorSafeAdmin):
    deactivate_hint = _(
        "Suspend the shop instead: it stops selling, and its orders and money history stay."
    )
    list_display = [
        "name", "slug", "kind", "village", "status", "commission_bp", "is_featured", "created_at",
    ]  # fmt: skip
    list_editable = ["commission_bp", "is_featured"]
    list_filter = ["status", "kind", ProvinceFilter, "is_featured"]
    list_select_related = ["village"]
    search_fields = [
        "name", "name_en", "slug", "phone", "village__name", "village__short_name", "village__code",
    ]  # fmt: skip
    raw_id_fields = ["village"]
    readonly_fields = [
        "status", "status_changed_at", "status_changed_by", "opened_by", "created_at", "updated_at",
    ]  # fmt: skip
    inlines = [ShopMemberInline, HouseholdInline, ShopStatusChangeInline]
    actions = [approve, suspend, reinstate]
    date_hierarchy = "created_at"

    def save_model(self, request, obj, form, change):
        # Commission goes through the service so its bounds give a clear message.
        if change and "commission_bp" in form.changed_data:
            services.set_commission(request.user, obj, form.cleaned_data["commission_bp"])
        super().save_model(request, obj, form, change)


@admin.register(ShopMember)
class ShopMemberAdmin(OperatorAdmin, OperatorSafeAdmin):
    list_display = ["shop", "user", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["shop", "user"]
    search_fields = ["shop__name", "shop__slug", "user__email", "user__mobile"]
    raw_id_fields = ["shop", "user"]


@admin.register(ShopInvitation)
class ShopInvitationAdmin(OperatorAdmin, OperatorSafeAdmin):
    list_display = ["shop", "login", "invited_by", "created_at", "accepted_at", "revoked_at"]
    list_select_related = ["shop", "invited_by"]
    search_fields = ["shop__name", "shop__slug", "login"]
    raw_id_fields = ["shop", "invited_by", "accepted_by"]
    # The token is a credential of the invited person; operators do not need to see it.
    exclude = ["token"]
    readonly_fields = ["created_at", "accepted_at", "accepted_by"]


@admin.register(Household)
class HouseholdAdmin(OperatorAdmin, OperatorSafeAdmin):
    deactivate_hint = _("A household with sales keeps its records; rename it instead.")
    list_display = ["name", "shop", "village", "contact_phone", "created_at"]
    list_select_related = ["shop", "village"]
    search_fields = ["name", "shop__name", "shop__slug", "village__name", "village__code"]
    raw_id_fields = ["shop", "village"]


@admin.register(ShopStatusChange)
class ShopStatusChangeAdmin(OperatorAdmin, OperatorSafeAdmin):
    list_display = ["shop", "from_status", "to_status", "changed_by", "changed_at", "reason"]
    list_filter = ["to_status"]
    list_select_related = ["shop", "changed_by"]
    search_fields = ["shop__name", "shop__slug"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
