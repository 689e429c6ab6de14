"""Models of the observatory: rule sets, the sources (daily rollups, imported statistics) and
designations.

Money is stored in minor units (fen) like everywhere else; thresholds of a rule set too, so a
rule never compares yuan with fen.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from villagemarket.core.money import BASE_CURRENCY, Money


class RuleSet(models.Model):
    """The criteria of one period (AliResearch changed them over the years). Empty thresholds
    are not tested.
    """

    name = models.CharField(_("name"), max_length=60, unique=True)
    year_from = models.PositiveSmallIntegerField(_("first year"))
    year_to = models.PositiveSmallIntegerField(
        _("last year"), null=True, blank=True, help_text=_("empty: still in force")
    )
    notes = models.TextField(_("notes"), blank=True)
    # --- village ---
    village_min_sales_minor = models.BigIntegerField(
        _("village: minimum annual sales (fen)"),
        null=True,
        blank=True,
        help_text=_("in fen: 10,000,000 yuan = 1000000000"),
    )
    village_min_registered_shops = models.PositiveIntegerField(
        _("village: minimum registered shops"), null=True, blank=True
    )
    village_min_active_shops = models.PositiveIntegerField(
        _("village: minimum active shops"), null=True, blank=True
    )
    village_min_active_share_pct = models.DecimalField(
        # A label, never %-formatted: "% of" is not a format directive.
        # xgettext:no-python-format
        _("village: minimum active shops as % of households"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    rural_only = models.BooleanField(_("rural villages only"), default=False)
    # --- active shop ---
    active_min_days_open = models.PositiveSmallIntegerField(
        _("active shop: days open by year end"), default=30
    )
    active_window_months = models.PositiveSmallIntegerField(
        _("active shop: last months of the year"), default=3
    )
    active_min_orders = models.PositiveSmallIntegerField(
        _("active shop: orders in those months"), default=3
    )
    # --- town ---
    town_min_villages = models.PositiveSmallIntegerField(
        _("town: minimum Taobao villages"), null=True, blank=True
    )
    town_alt_min_sales_minor = models.BigIntegerField(
        _("town (alternative): sales above (fen)"), null=True, blank=True
    )
    town_alt_min_active_shops = models.PositiveIntegerField(
        _("town (alternative): active shops above"), null=True, blank=True
    )
    exclude_subdistricts = models.BooleanField(_("sub-districts cannot be towns"), default=False)
    # --- cluster ---
    cluster_min_villages = models.PositiveSmallIntegerField(
        _("cluster: minimum villages"), default=10
    )
    cluster_min_sales_minor = models.BigIntegerField(
        _("cluster: minimum sales (fen)"), default=100_000_000 * 100
    )
    cluster_very_large_villages = models.PositiveSmallIntegerField(
        _("very large cluster: villages"), default=100
    )
    contiguity_km = models.DecimalField(
        _("contiguity distance (km)"), max_digits=6, decimal_places=2, default=Decimal("5")
    )

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["year_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_to__isnull=True) | Q(year_to__gte=models.F("year_from")),
                name="ruleset_years_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name


# The observatory counts in the base currency: the Taobao village thresholds are in yuan, and
# services.record_sale refuses an amount in any other currency rather than count it as yuan.
CURRENCY = BASE_CURRENCY


class ShopDailySales(models.Model):
    """One shop's completed orders and refunds on one day, kept incrementally by
    record_sale/record_refund.
    """

    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="+", verbose_name=_("shop")
    )
    day = models.DateField(verbose_name=_("day"))
    orders = models.PositiveIntegerField(default=0, verbose_name=_("orders"))
    sales_minor = models.BigIntegerField(default=0, verbose_name=_("sales"))
    refunds_minor = models.BigIntegerField(default=0, verbose_name=_("refunds"))

    class Meta:
        verbose_name = _("shop daily sales")
        verbose_name_plural = _("shop daily sales")
        constraints = [
            models.UniqueConstraint(fields=["shop", "day"], name="one_rollup_per_shop_day")
        ]
        indexes = [models.Index(fields=["day", "shop"], name="obs_rollup_day_shop")]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.day}"

    @property
    def sales(self) -> Money:
        return Money(self.sales_minor, CURRENCY)

    @property
    def refunds(self) -> Money:
        return Money(self.refunds_minor, CURRENCY)


class SaleEvent(models.Model):
    """A sale or refund already counted: its unique ref makes record_sale/record_refund
    idempotent.
    """

    class Kind(models.TextChoices):
        SALE = "sale", _("sale")
        REFUND = "refund", _("refund")

    ref = models.CharField(max_length=80, verbose_name=_("reference"))
    kind = models.CharField(max_length=6, choices=Kind.choices, verbose_name=_("kind"))
    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="+", verbose_name=_("shop")
    )
    day = models.DateField(verbose_name=_("day"))
    amount_minor = models.BigIntegerField(verbose_name=_("amount"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("sale event")
        verbose_name_plural = _("sale events")
        constraints = [
            models.UniqueConstraint(fields=["kind", "ref"], name="sale_event_once_per_ref")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.ref}"


class ImportBatch(models.Model):
    """One imported statistics file for one source and year; importing the same source+year
    replaces it.
    """

    source = models.CharField(_("source"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    file_name = models.CharField(_("file name"), max_length=200)
    rows = models.PositiveIntegerField(_("rows"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("statistics import")
        verbose_name_plural = _("statistics imports")
        ordering = ["-year", "source"]
        constraints = [
            models.UniqueConstraint(fields=["source", "year"], name="one_import_per_source_year")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.year}"


class VillageStat(models.Model):
    """One village's figures for one year, from an imported statistics file."""

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="stats", verbose_name=_("batch")
    )
    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        verbose_name=_("village"),
    )
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    online_shops = models.PositiveIntegerField(verbose_name=_("online shops"))
    active_shops = models.PositiveIntegerField(verbose_name=_("active shops"))
    households = models.PositiveIntegerField(verbose_name=_("households"))
    sales_minor = models.BigIntegerField(verbose_name=_("sales"))
    latitude = models.FloatField(null=True, blank=True, verbose_name=_("latitude"))
    longitude = models.FloatField(null=True, blank=True, verbose_name=_("longitude"))

    class Meta:
        verbose_name = _("village statistics")
        verbose_name_plural = _("village statistics")
        constraints = [
            models.UniqueConstraint(fields=["batch", "village"], name="one_stat_per_batch_village")
        ]
        indexes = [models.Index(fields=["year", "village"], name="obs_stat_year_village")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}"

    @property
    def sales(self) -> Money:
        return Money(self.sales_minor, CURRENCY)


class Source(models.TextChoices):
    PLATFORM = "platform", _("platform sales")
    IMPORT = "import", _("imported statistics")


class _Place(models.Model):
    """Denormalised ancestor codes so national/province/county reports are one indexed GROUP BY."""

    province_code = models.CharField(_("province code"), max_length=2)
    prefecture_code = models.CharField(_("prefecture code"), max_length=4)
    county_code = models.CharField(_("county code"), max_length=6)
    township_code = models.CharField(_("township code"), max_length=9)

    class Meta:
        abstract = True


class VillageDesignation(_Place):
    """A village's figures for a year and whether they qualify it as a Taobao village (and why)."""

    year = models.PositiveSmallIntegerField(_("year"))
    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        verbose_name=_("village"),
    )
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("rule set")
    )
    qualified = models.BooleanField(_("Taobao village"))
    source = models.CharField(_("source used"), max_length=8, choices=Source.choices)
    import_source = models.CharField(_("import source"), max_length=60, blank=True)
    sales_minor = models.BigIntegerField(_("sales"))
    online_shops = models.PositiveIntegerField(_("online shops"))
    active_shops = models.PositiveIntegerField(_("active shops"))
    households = models.PositiveIntegerField(_("households"), null=True)
    # The platform's own view, kept beside the imported figures when both exist.
    platform_sales_minor = models.BigIntegerField(null=True, verbose_name=_("platform sales"))
    platform_shops = models.PositiveIntegerField(null=True, verbose_name=_("platform shops"))
    platform_active_shops = models.PositiveIntegerField(
        null=True, verbose_name=_("platform active shops")
    )
    # Compact test results, e.g. ["sales:pass", "active:fail"]; the page renders them with the
    # rule set.
    reasons = models.JSONField(default=list, verbose_name=_("reasons"))

    class Meta:
        verbose_name = _("village designation")
        verbose_name_plural = _("village designations")
        # (village, year) unique also serves the village profile; the report indexes are partial
        # (qualified rows only) so the 700,000 non-qualified rows of a national recompute
        # insert fast.
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year"], name="one_designation_per_village_year"
            )
        ]
        indexes = [
            models.Index(
                fields=["year", "province_code"], name="obs_vd_q_prov", condition=Q(qualified=True)
            ),
            models.Index(
                fields=["year", "prefecture_code"],
                name="obs_vd_q_pref",
                condition=Q(qualified=True),
            ),
            models.Index(
                fields=["year", "county_code"], name="obs_vd_q_county", condition=Q(qualified=True)
            ),
            models.Index(
                fields=["year", "township_code"], name="obs_vd_q_town", condition=Q(qualified=True)
            ),
            models.Index(fields=["year", "sales_minor"], name="obs_vd_year_sales"),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}"

    @property
    def sales(self) -> Money:
        return Money(self.sales_minor, CURRENCY)

    @property
    def platform_sales(self) -> Money | None:
        if self.platform_sales_minor is None:
            return None
        return Money(self.platform_sales_minor, CURRENCY)


class TownDesignation(_Place):
    """A township's Taobao villages, sales and active shops for a year, and whether it is a
    Taobao town.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    township = models.ForeignKey(
        "regions.Region",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        verbose_name=_("township"),
    )
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("rule set")
    )
    qualified = models.BooleanField(_("Taobao town"))
    taobao_villages = models.PositiveIntegerField(_("Taobao villages"))
    sales_minor = models.BigIntegerField(_("sales"))
    active_shops = models.PositiveIntegerField(_("active shops"))
    reasons = models.JSONField(default=list, verbose_name=_("reasons"))

    class Meta:
        verbose_name = _("town designation")
        verbose_name_plural = _("town designations")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "township"], name="one_designation_per_town_year"
            )
        ]
        indexes = [
            models.Index(fields=["year", "qualified", "province_code"], name="obs_td_year_prov")
        ]

    def __str__(self) -> str:
        return f"{self.township_id} {self.year}"

    @property
    def sales(self) -> Money:
        return Money(self.sales_minor, CURRENCY)


class Cluster(models.Model):
    """Contiguous Taobao villages of one year that together pass the cluster rule."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=120)
    province_code = models.CharField(max_length=2, verbose_name=_("province code"))
    village_count = models.PositiveIntegerField(_("villages"))
    sales_minor = models.BigIntegerField(_("sales"))
    very_large = models.BooleanField(_("very large"))
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("rule set")
    )

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["year", "-village_count", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="one_cluster_number_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} #{self.number} {self.name}"

    @property
    def sales(self) -> Money:
        return Money(self.sales_minor, CURRENCY)


class ClusterMember(models.Model):
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="members", verbose_name=_("cluster")
    )
    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        verbose_name=_("village"),
    )

    class Meta:
        verbose_name = _("cluster member")
        verbose_name_plural = _("cluster members")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "village"], name="one_membership_per_cluster"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cluster_id}: {self.village_id}"


class PublishedCount(models.Model):
    """AliResearch's published national counts, shown beside the computed ones (seeded from
    DESIGN.md).
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    villages = models.PositiveIntegerField(_("Taobao villages"), null=True, blank=True)
    towns = models.PositiveIntegerField(_("Taobao towns"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=100, default="AliResearch")

    class Meta:
        verbose_name = _("published count")
        verbose_name_plural = _("published counts")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
