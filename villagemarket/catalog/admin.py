"""Back-office for the catalog: categories, products (moderation actions), SKUs.

Stock and status are read-only here: they change through catalog.services only, so a
moderation is recorded with its reason and stock never bypasses the guarded UPDATE.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from villagemarket.core.admin import OperatorSafeAdmin, money_column
from villagemarket.core.errors import DomainError
from villagemarket.regions.models import Region

from . import services
from .models import SKU, Category, Product, ProductImage


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "parent", "slug", "position")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "name_en", "slug")
    list_select_related = ("parent",)
    prepopulated_fields = {"slug": ("name_en",)}
    autocomplete_fields = ("parent",)


sku_price = money_column("price_minor", gettext_lazy("price"))


class SKUInline(admin.TabularInline):
    model = SKU
    extra = 0
    # Prices are the seller's (set in the seller center, in yuan); the back-office reads them.
    fields = ("code", "options", sku_price, "stock", "weight_grams", "is_active")
    readonly_fields = (sku_price, "stock")

    def has_add_permission(self, request, obj=None):
        return False  # variants are the seller's, with a price typed in yuan


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0
    fields = ("image", "width", "height", "position", "alt")
    readonly_fields = ("image", "width", "height")


class ProvinceFilter(admin.SimpleListFilter):
    title = gettext_lazy("province")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        return [(r.code, r.name) for r in Region.objects.filter(level=1).order_by("code")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(shop__village__province_code=self.value())
        return queryset


@admin.register(Product)
class ProductAdmin(OperatorSafeAdmin):
    min_price = money_column("min_price_minor", gettext_lazy("lowest price"))
    deactivate_hint = gettext_lazy(
        "Delist the product instead (with a reason): buyers no longer see it and its orders stay."
    )
    list_display = (
        "title",
        "title_en",
        "shop",
        "category",
        "status",
        "min_price",
        "moderated_at",
    )
    list_filter = (
        "status",
        ("category", admin.RelatedOnlyFieldListFilter),
        "shop__status",
        ProvinceFilter,
    )
    search_fields = ("title", "title_en", "shop__name", "shop__slug")
    list_select_related = ("shop", "category")
    autocomplete_fields = ("category",)
    raw_id_fields = ("shop", "household", "created_by")
    exclude = ("min_price_minor", "currency")  # derived from the SKUs; shown as min_price
    readonly_fields = (
        "status",
        "min_price",
        "search_text",
        "moderation_reason",
        "moderated_at",
        "published_at",
        "created_at",
        "updated_at",
        "created_by",
        "sales_count",
        "specs",  # the editor's matrix: changed through set_sku_matrix, with its variants
    )
    inlines = [SKUInline, ProductImageInline]
    actions = ["delist_with_reason", "publish_products"]

    @admin.action(description=gettext_lazy("Delist (moderation, with a reason)"))
    def delist_with_reason(self, request, queryset):
        reason = (request.POST.get("reason") or "").strip()
        if "apply" not in request.POST or not reason:
            if "apply" in request.POST:
                messages.error(request, _("Give a reason."))
            return render(
                request,
                "catalog/admin/delist_reason.html",
                {
                    **self.admin_site.each_context(request),
                    "products": queryset,
                    "action": "delist_with_reason",
                    "title": _("Delist products"),
                },
            )
        done = self._each(
            request, queryset, lambda p: services.moderate_delist(request.user, p.pk, reason)
        )
        self.message_user(request, _("%(n)d product(s) delisted.") % {"n": done}, messages.SUCCESS)
        return None

    @admin.action(description=gettext_lazy("Publish (clears a moderation)"))
    def publish_products(self, request, queryset):
        done = self._each(
            request, queryset, lambda p: services.moderate_publish(request.user, p.pk)
        )
        self.message_user(request, _("%(n)d product(s) published.") % {"n": done}, messages.SUCCESS)

    def _each(self, request, queryset, act) -> int:
        done = 0
        for product in queryset.order_by("pk"):
            try:
                act(product)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{product}: {exc.message}", messages.ERROR)
        return done

    def save_model(self, request, obj, form, change):
        # Edits in the back-office keep the buyer-facing search text in sync like the services do.
        from .sanitize import sanitize_description
        from .searchtext import build_search_text

        obj.description = sanitize_description(obj.description)
        obj.search_text = build_search_text(obj.title, obj.title_en)
        super().save_model(request, obj, form, change)


@admin.register(SKU)
class SKUAdmin(OperatorSafeAdmin):
    deactivate_hint = gettext_lazy("Deactivate the variant instead: orders refer to it.")
    price = sku_price
    list_display = ("__str__", "code", "product", "price", "stock", "is_active")
    list_filter = ("is_active", "currency")
    search_fields = ("code", "product__title", "product__title_en")
    list_select_related = ("product",)
    raw_id_fields = ("product", "image")
    exclude = ("price_minor", "currency")  # the seller's, typed in yuan; shown as price
    readonly_fields = ("price", "stock")

    def has_add_permission(self, request):
        return False
