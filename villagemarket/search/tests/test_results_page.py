"""The results page without JavaScript (whole page, links keep the state) and the in-place
update its script asks for (HX-Request: only the results region)."""

from __future__ import annotations

import pytest

from villagemarket.testing import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def costumes(shop_a, shop_b):
    return [make_product(shop_a, title="丁楼演出服"), make_product(shop_b, title="演出服")]


def test_without_javascript_a_filter_link_reloads_the_whole_page_with_the_state_in_the_url(
    client, costumes, shop_a
):
    page = client.get(f"/search/?q=演出服&shop={shop_a.slug}")
    html = page.content.decode()
    assert html.startswith("<!doctype html>") and 'id="results"' in html
    assert "1 product" in html and f"✓ {shop_a.name}" in html
    assert page["Vary"].count("HX-Request") == 1


def test_with_javascript_only_the_results_region_comes_back(client, costumes, shop_a):
    part = client.get(f"/search/?q=演出服&shop={shop_a.slug}", headers={"HX-Request": "true"})
    html = part.content.decode()
    assert html.lstrip().startswith('<div id="results"') and html.rstrip().endswith("</div>")
    assert "<header" not in html and "1 product" in html
    assert "HX-Request" in part["Vary"]


def test_the_search_box_offers_suggestions_through_a_static_script_in_both_languages(
    client, costumes
):
    html = client.get("/").content.decode()
    assert 'data-suggest="/api/v1/search/suggest"' in html
    assert 'src="/static/search/search.js"' in html and "<script>" not in html
    client.cookies["django_language"] = "zh-hans"
    html = client.get("/").content.decode()
    assert 'data-shops="店铺"' in html


def test_suggestions_lead_to_their_pages(client, costumes, shop_a):
    found = client.get("/api/v1/search/suggest?q=dl").json()
    assert found["products"][0] == {
        "id": costumes[0].pk,
        "title": "丁楼演出服",
        "url": f"/p/{costumes[0].pk}/",
    }
