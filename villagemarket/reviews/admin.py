from django.contrib import admin

from .models import Review, ReviewPhoto


class PhotoInline(admin.TabularInline):
    model = ReviewPhoto
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("id", "product", "shop", "item_stars", "status", "flagged", "created_at")
    list_filter = ("status", "flagged", "is_default")
    raw_id_fields = ("line", "order", "product", "shop", "author", "reply_by")
    inlines = [PhotoInline]
