"""Storefront pages stay within the 60 KB budget (HTML + CSS + JS) for buyers on slow links."""

import re

import pytest
from django.contrib.staticfiles import finders

from villagemarket.testing import make_product

BUDGET = 60 * 1024


def _weight(html: str) -> int:
    assets = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    return len(html.encode()) + sum(len(open(finders.find(a), "rb").read()) for a in assets)


@pytest.mark.django_db
def test_storefront_pages_fit_the_budget_uncompressed_and_skip_htmx(client, shop_a, village):
    product = make_product(shop_a, title="丁楼演出服", options={"尺码": "M"})
    pages = [
        "/",
        f"/c/{product.category.slug}/",
        f"/p/{product.pk}/",
        f"/shops/{shop_a.slug}/",
        f"/regions/{village.code}/",
        "/search/?q=dinglou",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "htmx" not in html, f"{url} loads htmx it does not use"
        assert _weight(html) < BUDGET, url
