"""Categories, products, their images and SKUs (variants with price and stock)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from villagemarket.core.money import Money
from villagemarket.shops.models import ShopStatus

from . import rules
from .states import Status as ProductStatus


class Category(models.Model):
    """A node of the category tree (two or three levels are plenty)."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class ProductQuerySet(models.QuerySet):
    def for_sale(self) -> ProductQuerySet:
        """Published products of active shops: the only products buyers may see or buy.

        The same rule as `Product.is_for_sale` (catalog.rules.sale_refusal), written as a filter.
        """
        return self.filter(status=ProductStatus.PUBLISHED, shop__status=ShopStatus.ACTIVE)


class Product(models.Model):
    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="products", verbose_name=_("shop")
    )
    household = models.ForeignKey(
        "shops.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("household"),
        help_text=_("Service points: the household that makes this product."),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=120)
    title_en = models.CharField(_("English title"), max_length=160, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Sanitized HTML."))
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProductStatus.choices,
        default=ProductStatus.DRAFT,
        db_index=True,
    )
    is_perishable = models.BooleanField(_("perishable"), default=False)
    is_custom_made = models.BooleanField(_("custom-made"), default=False)
    returns_7day = models.BooleanField(_("7-day no-reason return"), default=True)
    # Denormalised for listing and sorting; kept by catalog.services when SKUs change.
    min_price_minor = models.BigIntegerField(default=0, verbose_name=_("min price"))
    currency = models.CharField(max_length=3, default="CNY", verbose_name=_("currency"))
    sales_count = models.PositiveIntegerField(_("sold"), default=0)
    # Search text: title, English title, full pinyin and initials (filled by catalog.services).
    search_text = models.TextField(blank=True, verbose_name=_("search text"))
    is_featured = models.BooleanField(_("featured"), default=False)
    # The editor's specifications in their order, e.g. [{"name": "尺码", "values": ["110", "120"]}];
    # the SKU matrix is their combinations (catalog.matrix). [] for a single-variant product.
    specs = models.JSONField(_("specifications"), default=list, blank=True)
    # A SKU at or below this stock is "low" (the seller list, the bulk table, the low-stock
    # alert); 0 turns the alert off for this product.
    low_stock_threshold = models.PositiveIntegerField(
        _("low-stock threshold"),
        default=5,
        help_text=_("Warn when a variant's stock falls to this number; 0 = never warn."),
    )
    created_at = models.DateTimeField(
        auto_now_add=True, db_index=True, verbose_name=_("created at")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    published_at = models.DateTimeField(null=True, blank=True, verbose_name=_("published at"))
    # Operator moderation: a product delisted by an operator stays delisted until an operator
    # relists it; the seller sees the reason.
    moderation_reason = models.CharField(_("moderation reason"), max_length=200, blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    # Who created it (retried API creates are answered by core.idempotency, not by this row).
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "category", "-created_at"]),
            models.Index(fields=["shop", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~(
                    Q(returns_7day=True) & (Q(is_perishable=True) | Q(is_custom_made=True))
                ),
                name="no_7day_return_for_perishable_or_custom",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        if (get_language() or "").startswith("en") and self.title_en:
            return self.title_en
        return self.title

    @property
    def min_price(self) -> Money:
        return Money(self.min_price_minor, self.currency)

    @property
    def is_published(self) -> bool:
        return self.status == ProductStatus.PUBLISHED

    @property
    def is_for_sale(self) -> bool:
        """Published in an active shop (reads `shop`: select it with the product)."""
        refusal = rules.sale_refusal(
            sku_active=True,
            product_status=self.status,
            shop_active=self.shop.status == ShopStatus.ACTIVE,
        )
        return refusal == ""

    @property
    def is_moderated(self) -> bool:
        return self.moderated_at is not None


class ProductImage(models.Model):
    """A re-encoded product image stored under a random name (see catalog.images)."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product")
    )
    image = models.ImageField(_("image"), upload_to="products/")
    width = models.PositiveIntegerField(default=0, verbose_name=_("width"))
    height = models.PositiveIntegerField(default=0, verbose_name=_("height"))
    position = models.PositiveIntegerField(default=0, verbose_name=_("position"))
    alt = models.CharField(_("description"), max_length=160, blank=True)

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.image.name


class SKUQuerySet(models.QuerySet):
    def for_sale(self) -> SKUQuerySet:
        """SKUs a buyer may put in a cart or check out: active, of a published product of an
        active shop. Stock is not part of the rule (a sold-out SKU is still for sale, just short).

        The same rule as `SKU.sale_refusal` (catalog.rules.sale_refusal), written as a filter.
        """
        return self.filter(
            is_active=True,
            product__status=ProductStatus.PUBLISHED,
            product__shop__status=ShopStatus.ACTIVE,
        )


class SKU(models.Model):
    """A variant of a product (e.g. size L, red), with its own price and stock."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="skus", verbose_name=_("product")
    )
    code = models.CharField(_("SKU code"), max_length=40, blank=True)
    # Variant options, e.g. {"尺码": "L", "颜色": "红"}; {} for a product without variants.
    options = models.JSONField(_("options"), default=dict, blank=True)
    price_minor = models.BigIntegerField(_("price (minor units)"))
    currency = models.CharField(max_length=3, default="CNY", verbose_name=_("currency"))
    stock = models.IntegerField(_("stock"), default=0)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), default=500)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(default=0, verbose_name=_("position"))
    # The photo shown when a buyer picks this variant (one of the product's images).
    image = models.ForeignKey(
        ProductImage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )

    objects = SKUQuerySet.as_manager()

    class Meta:
        verbose_name = _("SKU")
        verbose_name_plural = _("SKUs")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="sku_stock_not_negative"),
            models.CheckConstraint(condition=Q(price_minor__gt=0), name="sku_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.product.title} {self.options_label}".strip()

    @property
    def price(self) -> Money:
        return Money(self.price_minor, self.currency)

    @property
    def sale_refusal(self) -> str:
        """Why this SKU is not for sale (a code of catalog.rules.sale_refusal), "" when it is.

        The one rule for a single SKU; reads `product` and `product.shop`, so select them
        (`select_related("product__shop")`)."""
        return rules.sale_refusal(
            sku_active=self.is_active,
            product_status=self.product.status,
            shop_active=self.product.shop.status == ShopStatus.ACTIVE,
        )

    @property
    def is_for_sale(self) -> bool:
        """See `sale_refusal`; `SKU.objects.for_sale()` is the same rule as a filter."""
        return self.sale_refusal == ""

    @property
    def options_label(self) -> str:
        return " / ".join(f"{v}" for v in (self.options or {}).values())
