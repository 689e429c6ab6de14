from django.contrib import admin

from .models import Cart, CartLine


class LineInline(admin.TabularInline):
    model = CartLine
    extra = 0
    raw_id_fields = ["sku"]


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "created_at", "updated_at"]
    search_fields = ["user__email", "user__mobile"]
    raw_id_fields = ["user"]
    inlines = [LineInline]
