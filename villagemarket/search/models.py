"""Models of the search slice: one analysed document per visible product, the latin vocabulary
(for typo correction and run-together pinyin), and the synonym groups operators edit."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """What the index knows of a visible product. Token fields hold analysed tokens separated by
    spaces (see search.analysis); the backends index them: SQLite an FTS5 table kept in step by
    triggers, PostgreSQL a generated, weighted tsvector column with a GIN index."""

    product = models.OneToOneField(
        "catalog.Product",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("product"),
    )
    title = models.TextField(blank=True, verbose_name=_("title"))
    body = models.TextField(blank=True, verbose_name=_("body"))
    place = models.TextField(blank=True, verbose_name=_("place"))
    shop_id = models.BigIntegerField(db_index=True, verbose_name=_("shop"))
    category_id = models.BigIntegerField(null=True, blank=True, verbose_name=_("category"))
    village_code = models.CharField(max_length=12, db_index=True, verbose_name=_("village code"))
    price_minor = models.BigIntegerField(default=0, verbose_name=_("price"))
    sales = models.PositiveIntegerField(default=0, verbose_name=_("sales"))
    # Decided at indexing from the shop's default freight template (search/freight.py).
    ships_free = models.BooleanField(default=False, verbose_name=_("free shipping"))
    published_at = models.DateTimeField(null=True, blank=True, verbose_name=_("published at"))
    # The ranking's rating input (search/ranking.py: rating), from the product's counted reviews.
    rating = models.FloatField(_("rating"), default=0.0)
    indexed_at = models.DateTimeField(auto_now=True, verbose_name=_("indexed at"))

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"document of product {self.product_id}"


class SearchWord(models.Model):
    """A latin token the index holds: the vocabulary that typos are corrected against."""

    word = models.CharField(max_length=80, unique=True, verbose_name=_("word"))

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self) -> str:
        return self.word


class Synonym(models.Model):
    """A group of words a buyer uses for the same thing (被子 棉被 quilt). Read on every query,
    so an operator's edit in the admin applies at once."""

    words = models.CharField(
        _("words"),
        max_length=400,
        help_text=_("Words that mean the same thing, separated by spaces or commas."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.words

    def word_list(self) -> list[str]:
        return [w for w in self.words.replace(",", " ").replace("，", " ").lower().split() if w]


class ShopPlace(models.Model):
    """The place tokens of a shop (its name and the names of its village up to the province),
    the same for all its products: ranking scores a query's place words once per shop instead of
    once per product (search/pg.py). Kept by the indexer beside the documents."""

    shop_id = models.BigIntegerField(primary_key=True, verbose_name=_("shop"))
    place = models.TextField(blank=True, verbose_name=_("place"))

    class Meta:
        verbose_name = _("shop place")
        verbose_name_plural = _("shop places")

    def __str__(self) -> str:
        return f"places of shop {self.shop_id}"
