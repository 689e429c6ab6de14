"""What search keeps between queries to be fast (cached suggestions, synonyms parsed once, the
jieba dictionary, a parallel reindex) never serves a stale answer; and the formula's pure parts."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from villagemarket.catalog.models import Category
from villagemarket.catalog.services.products import delist_product
from villagemarket.search import analysis, index, pg, query, ranking, service
from villagemarket.search.models import SearchDocument, ShopPlace, Synonym
from villagemarket.search.suggest import suggestions
from villagemarket.testing import make_product


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # the test cache (locmem) outlives a test's database


def suggested(text):
    return [p["title"] for p in suggestions(text)["products"]]


@pytest.mark.django_db
def test_a_new_product_is_suggested_at_the_next_keystroke(shop_a):
    # given a prefix already asked (and cached)
    assert suggested("演出") == []
    # when a product is indexed
    make_product(shop_a, title="演出服")
    # then the same prefix suggests it
    assert suggested("演出") == ["演出服"]


@pytest.mark.django_db
def test_a_delisted_product_leaves_the_suggestions_when_its_change_commits(
    alice, shop_a, django_capture_on_commit_callbacks
):
    product = make_product(shop_a, title="演出服")
    assert suggested("yanchu") == ["演出服"]
    with django_capture_on_commit_callbacks(execute=True):
        delist_product(alice, product.pk)
    assert suggested("yanchu") == []


@pytest.mark.django_db
def test_synonym_edits_and_deletions_apply_to_the_next_query(shop_a):
    product = make_product(shop_a, title="演出服")
    group = Synonym.objects.create(words="戏服 演出服")
    assert service.search_product_ids("戏服") == [product.pk]
    # an operator edits the group
    group.words = "stagewear 演出服"
    group.save()
    assert service.search_product_ids("戏服") == []
    assert service.search_product_ids("stagewear") == [product.pk]
    # and deletes it
    group.delete()
    assert service.search_product_ids("stagewear") == []


@pytest.mark.django_db
def test_a_fresh_worker_cuts_queries_with_the_indexs_dictionary(monkeypatch):
    # given a category word jieba does not know, and a process that has indexed nothing
    Category.objects.create(slug="hat-veils", name="帷帽面纱", name_en="Hat veil")
    monkeypatch.setattr(index, "_taught", None)
    # when the first query is parsed
    parsed = query.parse("帷帽面纱")
    # then the dictionary was taught first, and the word stays whole as in the index
    assert index._taught is not None
    assert [t.word for t in parsed.terms] == ["帷帽面纱"]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the forked workers need a database server they can connect to",
)
@pytest.mark.django_db(transaction=True)
def test_a_parallel_reindex_builds_every_document_once(shop_a):
    products = [make_product(shop_a, title=f"演出服{i}号") for i in range(7)]
    SearchDocument.objects.all().delete()
    call_command("search", "reindex", "--no-progress", "--jobs", "2", verbosity=0)
    assert sorted(SearchDocument.objects.values_list("product_id", flat=True)) == sorted(
        p.pk for p in products
    )
    assert len(service.search_product_ids("演出服")) == 7


def test_a_word_scores_its_best_alternative_in_its_best_field():
    levels = ranking.term_levels({"hanfu": 1.0, "汉服": 0.7})
    assert levels[0] == (3.0, [("hanfu", "title")])
    assert levels[1] == (2.1, [("汉服", "title")])
    assert [value for value, _pairs in levels] == sorted(
        (value for value, _pairs in levels), reverse=True
    )


def test_relevance_needs_half_of_the_words_and_ignores_an_unmatched_single_character():
    assert ranking.relevance([(3.0, False), (0.0, False)]) == 1.5  # half covered
    assert ranking.relevance([(3.0, False), (0.0, False), (0.0, False)]) == 0.0
    assert ranking.relevance([(3.0, False), (0.0, True)]) == 3.0  # 盖 alone is not missed
    assert ranking.relevance([]) == 1.0  # a place alone


def test_a_runs_pinyin_is_put_together_from_its_words():
    tokens = analysis.han_tokens("曹县汉服")
    assert "caoxianhanfu" in tokens and "cxhf" in tokens


def test_the_indexer_keeps_one_place_row_per_shop(shop_a, shop_b):
    # given products of two shops
    make_product(shop_a, title="演出服")
    make_product(shop_a, title="汉服")
    make_product(shop_b, title="羽绒被")
    # then each shop's places are kept once, as its documents hold them
    places = dict(ShopPlace.objects.values_list("shop_id", "place"))
    assert set(places) == {shop_a.pk, shop_b.pk}
    assert places[shop_a.pk] == SearchDocument.objects.filter(shop_id=shop_a.pk).first().place


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the scoring window is PostgreSQL's (SQLite scores its FTS5 candidates in Python)",
)


@postgres_only
@pytest.mark.django_db
def test_a_query_matching_more_than_the_window_shows_its_best_and_says_so(
    shop_a, monkeypatch, client
):
    # given more matching products than one search scores
    monkeypatch.setattr(pg, "WINDOW", 3)
    products = [make_product(shop_a, title=f"演出服{i}号") for i in range(5)]
    for rank, product in enumerate(products):
        SearchDocument.objects.filter(pk=product.pk).update(sales=rank * 10)
    # when a buyer searches
    found = service.search("演出服")
    # then the best three (here: the best sellers) are ranked, and the count says "capped"
    assert found.capped and len(found) == 3
    assert [p.pk for p in found[:3]] == [p.pk for p in reversed(products[2:])]
    page = client.get("/search/?q=演出服").content.decode()
    assert "best matches of many more" in page
    facets = client.get("/api/v1/search/products/facets", {"q": "演出服"}).json()
    assert facets["capped"] and facets["count"] == 3


@postgres_only
@pytest.mark.django_db
def test_a_query_within_the_window_counts_exactly(shop_a, monkeypatch, client):
    monkeypatch.setattr(pg, "WINDOW", 3)
    make_product(shop_a, title="演出服")
    make_product(shop_a, title="演出服二号")
    found = service.search("演出服")
    assert not found.capped and len(found) == 2
    facets = client.get("/api/v1/search/products/facets", {"q": "演出服"}).json()
    assert not facets["capped"] and facets["count"] == 2


@postgres_only
@pytest.mark.django_db
def test_exact_words_that_fill_the_window_leave_synonyms_out_and_few_let_them_in(
    shop_a, monkeypatch
):
    # given a synonym group and products named by one word of it or the other
    Synonym.objects.create(words="被褥 棉被")
    bedding = [make_product(shop_a, title=f"被褥{i}号") for i in range(3)]
    quilt = make_product(shop_a, title="棉被")
    # when the exact word fills the window, only its products are ranked
    monkeypatch.setattr(pg, "WINDOW", 3)
    assert set(service.search_product_ids("被褥")) == {p.pk for p in bedding}
    # and when it does not, the synonym's products come in too
    monkeypatch.setattr(pg, "WINDOW", 10)
    assert quilt.pk in service.search_product_ids("被褥")


@postgres_only
@pytest.mark.django_db
def test_search_statements_never_scan_every_document(shop_a):
    # given a query of two words, one of them a place
    make_product(shop_a, title="演出服")
    parsed = query.parse("演出服 舞蹈")
    statement = pg.scored_sql(parsed, timezone.now(), None, None, None)
    # when PostgreSQL plans it with the search settings
    with connection.cursor() as cursor:
        cursor.execute(pg._SETTINGS + "EXPLAIN " + statement.sql, statement.params)
        while cursor.description is None and cursor.nextset():
            pass
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # then the documents come from the indexes, never a sequential scan
    assert "Seq Scan on search_searchdocument" not in plan
    assert "search_text_gin" in plan
