"""Panels: a higher app's function shows in a lower app's page slot, in position order."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import format_html

from villagemarket.core import panels

pytestmark = pytest.mark.django_db


def _first(request, product):
    return format_html('<p id="first">{}</p>', product.title)


def _second(request, product):
    return '<p id="second">second</p>'


def _nothing(request, product):
    return ""


@pytest.fixture
def registered():
    panels.register("product.main", _second, position=200)
    panels.register("product.main", _first, position=10)
    panels.register("product.main", _first, position=10)  # twice: shown once
    panels.register("product.main", _nothing)
    yield
    for panel in (_first, _second, _nothing):
        panels.unregister("product.main", panel)


def test_a_registered_panel_shows_on_the_page_in_position_order(client, registered, sku_a):
    html = client.get(reverse("catalog:product", args=[sku_a.product_id])).content.decode()

    assert html.count('id="first"') == 1
    assert html.index('id="first"') < html.index('id="second"')
    assert sku_a.product.title in html


def test_without_panels_the_slot_is_empty(client, sku_a):
    html = client.get(reverse("catalog:product", args=[sku_a.product_id])).content.decode()

    assert 'id="first"' not in html
