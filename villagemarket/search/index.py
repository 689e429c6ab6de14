"""Keeping the search index in step with the catalog.

`index_products(ids)` rebuilds (or removes) the documents of some products; the catalog calls it
after commit through its product-changed hook, and `villagemarket search reindex` runs it over
everything in batches. A product that is not for sale has no document, and the query side also
intersects with the storefront's visibility rule, so a delisted product or a suspended shop
vanishes at once even before the index catches up.
"""

from __future__ import annotations

import functools
import multiprocessing
import re
import time
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import connections, transaction
from django.utils.html import strip_tags

from villagemarket.catalog.models import Category, Product
from villagemarket.regions.models import Region
from villagemarket.reviews.selectors import product_rating
from villagemarket.shipping.selectors import default_templates

from . import analysis, freight, ranking
from .models import SearchDocument, SearchWord, ShopPlace

BATCH = 500
_LATIN_TOKEN = re.compile(r"[0-9a-z]+")
# Analysis only tokenises runs of word characters (Han, latin letters, digits), so a text can be
# cut at anything else and analysed piece by piece with the same result.
_NON_WORD = re.compile(r"\W+")


@functools.lru_cache(maxsize=10_000)
def _piece_tokens(piece: str) -> tuple[str, ...]:
    return tuple(analysis.analyse(piece))


def _analyse(text: str) -> list[str]:
    """`analysis.analyse(text)`, remembering each piece between non-word characters: catalogs
    repeat the same words, places and category names across thousands of products, and jieba +
    pypinyin cost ~10 ms per product without it (bench/search.py: 100,000 products)."""
    return analysis.unique(
        token for piece in _NON_WORD.split(text) if piece for token in _piece_tokens(piece)
    )


def _category_names(category_id: int | None, categories: dict[int, Category]) -> list[str]:
    names: list[str] = []
    while category_id and category_id in categories and len(names) < 6:
        category = categories[category_id]
        names += [category.name, category.name_en]
        category_id = category.parent_id
    return names


def _region_names(code: str, regions: dict[str, Region]) -> list[str]:
    names: list[str] = []
    for prefix in (code, code[:9], code[:6], code[:4], code[:2]):
        region = regions.get(prefix.ljust(12, "0")) or regions.get(prefix)
        if region is not None and region.name not in names:
            names += [region.name, region.short_name]
    return names


def _ancestor_codes(codes: Iterable[str]) -> set[str]:
    wanted: set[str] = set()
    for code in codes:
        for size in (12, 9, 6, 4, 2):
            wanted |= {code[:size], code[:size].ljust(12, "0")}
    return wanted


def _attribute_text(product: Product) -> str:
    parts: list[str] = []
    for key, value in (product.attributes or {}).items():
        parts += [str(key), str(value)]
    for sku in product.skus.all():
        for key, value in (sku.options or {}).items():
            parts += [str(key), str(value)]
    return " ".join(parts)


def build_document(
    product: Product, categories: dict[int, Category], regions: dict[str, Region]
) -> SearchDocument:
    """The analysed document of one product (title > attributes/category > description; places)."""
    shop = product.shop
    title = _analyse(f"{product.title} {product.title_en}")
    body = _analyse(
        " ".join(
            [
                _attribute_text(product),
                " ".join(_category_names(product.category_id, categories)),
                strip_tags(product.description or "")[:2000],
            ]
        )
    )
    place = _analyse(" ".join([shop.name, shop.name_en, *_region_names(shop.village_id, regions)]))
    return SearchDocument(
        product_id=product.pk,
        title=" ".join(title),
        body=" ".join(body),
        place=" ".join(place),
        shop_id=shop.pk,
        category_id=product.category_id,
        village_code=shop.village_id,
        price_minor=product.min_price_minor,
        sales=product.sales_count,
        published_at=product.published_at,
    )


def _remember_words(documents: list[SearchDocument], written: set[str]) -> None:
    """Add the documents' latin words to the vocabulary. `written`: words a reindex already
    wrote in an earlier batch (a catalog repeats the same few thousand words; offering them all
    again with every batch was ~4% of a reindex)."""
    words: set[str] = set()
    for doc in documents:
        for field in (doc.title, doc.body, doc.place):
            words.update(t for t in field.split() if _LATIN_TOKEN.fullmatch(t) and len(t) <= 80)
    new = words - written
    SearchWord.objects.bulk_create(
        [SearchWord(word=w) for w in sorted(new)], ignore_conflicts=True, batch_size=1000
    )
    written |= new


_taught: tuple[int, int] | None = None


def teach_dictionary(force: bool = False) -> None:
    """jieba learns the catalog's category words and the region tree's place names; again only
    when their counts change (the region tree has tens of thousands of townships)."""
    global _taught
    fingerprint = (Category.objects.count(), Region.objects.filter(level__lte=4).count())
    if not force and fingerprint == _taught:
        return
    analysis.add_words(Category.objects.values_list("name", flat=True))
    analysis.add_words(
        Region.objects.filter(level__lte=4).values_list("short_name", flat=True).iterator()
    )
    _piece_tokens.cache_clear()  # new words change how jieba cuts the pieces it has seen
    _taught = fingerprint


_checked_at = 0.0
DICTIONARY_RECHECK_SECONDS = 60


def ensure_dictionary() -> None:
    """Queries cut Chinese with the same user dictionary as the index: taught once per process
    (lazily, on its first query), and checked again for new categories or regions at most once
    a minute, so a fresh worker cuts 曹县汉服 the way the index did."""
    global _checked_at
    now = time.monotonic()
    if _taught is not None and now - _checked_at < DICTIONARY_RECHECK_SECONDS:
        return
    _checked_at = now
    teach_dictionary()


def index_products(product_ids: Iterable[int], written_words: set[str] | None = None) -> int:
    """Rebuild the documents of these products; drop those no longer for sale. Returns how many
    documents now exist among them."""
    ids = sorted(set(product_ids))
    if not ids:
        return 0
    teach_dictionary()
    products = list(
        Product.objects.for_sale()
        .filter(pk__in=ids)
        .select_related("shop")
        .prefetch_related("skus")
    )
    categories = {c.pk: c for c in Category.objects.all()}
    regions = {
        r.code: r
        for r in Region.objects.filter(
            code__in=_ancestor_codes(p.shop.village_id for p in products)
        )
    }
    documents = [build_document(p, categories, regions) for p in products]
    templates = default_templates({p.shop_id for p in products})
    ratings = product_rating(ids)
    for product, document in zip(products, documents, strict=True):
        document.ships_free = freight.product_ships_free(product, templates)
        document.rating = ranking.rating(*ratings.get(product.pk, (0, 0)))
    with transaction.atomic():
        SearchDocument.objects.filter(product_id__in=ids).delete()
        SearchDocument.objects.bulk_create(documents, batch_size=BATCH)
        _remember_places(documents)
        _remember_words(documents, set() if written_words is None else written_words)
        # Now (an answer cached from here to the commit could miss the change: so again after).
        index_changed()
        transaction.on_commit(index_changed)
    return len(documents)


def _remember_places(documents: list[SearchDocument]) -> None:
    """Each shop's place tokens (the same in all its documents) for ranking: search/pg.py
    scores a query's place words once per shop."""
    places = {document.shop_id: document.place for document in documents}
    ShopPlace.objects.bulk_create(
        [ShopPlace(shop_id=shop_id, place=place) for shop_id, place in sorted(places.items())],
        update_conflicts=True,
        unique_fields=["shop_id"],
        update_fields=["place"],
    )


VERSION_KEY = "search:index-version"


def index_version() -> int:
    """A number that changes whenever documents change (cache keys of answers built from the
    index carry it, e.g. suggestions)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
    return version


def index_changed() -> None:
    cache.set(VERSION_KEY, time.time_ns(), None)


def index_product(product_id: int) -> None:
    """The catalog's after-commit hook: one product changed (text, SKUs, stock, price, status)."""
    index_products([product_id])


def index_shop(shop_id: int) -> None:
    """A shop changed (name, status, village): all its products."""
    ids = list(Product.objects.filter(shop_id=shop_id).values_list("pk", flat=True))
    index_products(ids)
    SearchDocument.objects.filter(shop_id=shop_id).exclude(product_id__in=ids).delete()
    index_changed()


_batch_words: set[str] = set()  # per reindex process: see _remember_words


def _index_batch(batch: list[int]) -> tuple[int, int]:
    """One batch of a parallel reindex, in a worker process: (products seen, documents made)."""
    return len(batch), index_products(batch, _batch_words)


def reindex(progress: Callable[[int, int], None] | None = None, jobs: int = 1) -> int:
    """Rebuild every document in batches; safe while the site serves (each batch swaps its own
    rows in one short transaction). Documents of products no longer for sale are dropped.

    `jobs` > 1 analyses batches in that many processes (forked after jieba has learnt the
    dictionary; each opens its own database connection): the analysis is CPU in Python, so
    two processes use both cores of a small server."""
    teach_dictionary(force=True)
    all_ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    batches = [all_ids[start : start + BATCH] for start in range(0, len(all_ids), BATCH)]
    done = indexed = 0
    if jobs > 1 and len(batches) > 1:
        connections.close_all()  # the children must not share the parent's connection
        _batch_words.clear()
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for seen, made in pool.imap_unordered(_index_batch, batches):
                done, indexed = done + seen, indexed + made
                if progress:
                    progress(done, len(all_ids))
    else:
        written: set[str] = set()
        for batch in batches:
            indexed += index_products(batch, written)
            done += len(batch)
            if progress:
                progress(done, len(all_ids))
    SearchDocument.objects.exclude(product_id__in=Product.objects.for_sale()).delete()
    index_changed()
    return indexed
