from django.contrib import admin

from .models import LowStockAlert, ProductViewDay, ShopVisitDay


@admin.register(ProductViewDay)
class ProductViewDayAdmin(admin.ModelAdmin):
    list_display = ("day", "product", "views")
    list_filter = ("day",)
    raw_id_fields = ("product",)
    date_hierarchy = "day"


@admin.register(ShopVisitDay)
class ShopVisitDayAdmin(admin.ModelAdmin):
    list_display = ("day", "shop", "visitors", "views")
    list_filter = ("day",)
    raw_id_fields = ("shop",)
    date_hierarchy = "day"


@admin.register(LowStockAlert)
class LowStockAlertAdmin(admin.ModelAdmin):
    list_display = ("sku", "shop", "low", "crossings", "stock_when_told", "told_at", "cleared_at")
    list_filter = ("low",)
    raw_id_fields = ("sku", "shop")
