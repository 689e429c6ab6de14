from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from villagemarket.core.admin import OperatorSafeAdmin, money_column

from .models import Cart, CartLine


class LineInline(admin.TabularInline):
    model = CartLine
    extra = 0
    raw_id_fields = ["sku"]
    price_when_added = money_column("price_when_added_minor", _("price when added"))
    exclude = ["price_when_added_minor"]
    readonly_fields = ["price_when_added"]

    def has_add_permission(self, request, obj=None):
        return False  # lines are added by the buyer, at the price of the moment


@admin.register(Cart)
class CartAdmin(OperatorSafeAdmin):
    list_display = ["id", "user", "created_at", "updated_at"]
    search_fields = ["user__email", "user__mobile"]
    raw_id_fields = ["user"]
    inlines = [LineInline]
