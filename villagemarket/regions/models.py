"""China's administrative division tree: province > prefecture > county > township > village."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINCE = 1, _("province")
    PREFECTURE = 2, _("prefecture")
    COUNTY = 3, _("county")
    TOWNSHIP = 4, _("township")
    VILLAGE = 5, _("village")


class TownshipKind(models.TextChoices):
    SUBDISTRICT = "subdistrict", _("sub-district")  # 街道
    TOWN = "town", _("town")  # 镇
    TOWNSHIP = "township", _("township")  # 乡
    OTHER = "other", _("other")  # farms, development zones, ...


class Region(models.Model):
    """One node of the statistical division tree, keyed by its NBS code.

    Codes keep their natural length per level: 2 (province), 4, 6 (the GB/T 2260 county
    code), 9 (township) and 12 digits (village-level unit).
    """

    code = models.CharField(_("code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(
        _("short name"), max_length=60, help_text=_("e.g. 丁楼村 for 丁楼村民委员会")
    )
    name_pinyin = models.CharField(_("pinyin"), max_length=200, blank=True)
    # The short name in pinyin as people read it ("Dinglou Cun"), shown beside the Chinese on
    # English pages (rules.latin_name, stored when loaded or imported).
    name_latin = models.CharField(_("name in pinyin"), max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    # Township level: sub-district (街道), town (镇) or township (乡).
    township_kind = models.CharField(
        _("township kind"), max_length=12, choices=TownshipKind.choices, blank=True
    )
    # Village level: True for a rural village committee (村), False for an urban residents'
    # committee (居); None above village level.
    is_rural = models.BooleanField(_("rural village"), null=True, blank=True)
    # County-level units such as development zones that exist only for statistics (codes xx7x).
    is_statistical = models.BooleanField(_("statistics-only unit"), default=False)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    is_featured = models.BooleanField(_("featured"), default=False)
    # Set when an operator's village CSV last wrote this row: a package reload then keeps the
    # operator's rural/urban class too (households, coordinates and is_featured it never touches).
    imported_at = models.DateTimeField(_("imported by an operator"), null=True, blank=True)
    # Denormalised ancestors so a village's province or county is one column away.
    province_code = models.CharField(max_length=2, db_index=True, verbose_name=_("province code"))
    prefecture_code = models.CharField(
        max_length=4, blank=True, db_index=True, verbose_name=_("prefecture code")
    )
    county_code = models.CharField(
        max_length=6, blank=True, db_index=True, verbose_name=_("county code")
    )
    township_code = models.CharField(
        max_length=9, blank=True, db_index=True, verbose_name=_("township code")
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["parent", "code"]),
            models.Index(fields=["name"]),
            # Prefix search by name or pinyin over 660k rows uses these (selectors.search).
            models.Index(fields=["short_name"], name="region_short_name_idx"),
            models.Index(fields=["name_pinyin"], name="region_pinyin_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """丁楼村 on Chinese pages; 丁楼村 Dinglou Cun on pages in any other language."""
        chinese = self.short_name or self.name
        language = get_language() or ""
        if language.startswith("zh") or not self.name_latin:
            return chinese
        return f"{chinese} {self.name_latin}"

    @property
    def is_village(self) -> bool:
        return self.level == Level.VILLAGE
