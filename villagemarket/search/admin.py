"""Operators edit synonym groups here; the next query uses them (no deploy, no reindex)."""

from django.contrib import admin

from .models import ShopPlace, Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ("words", "note", "updated_at")
    search_fields = ("words", "note")


@admin.register(ShopPlace)
class ShopPlaceAdmin(admin.ModelAdmin):
    """Derived by the indexer (`villagemarket search reindex` rebuilds it): read only."""

    list_display = ("shop_id", "place")
    search_fields = ("=shop_id",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
