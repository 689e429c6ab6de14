"""The main pages speak one language: no English in the Chinese pages, no Chinese in the English.

Each page is rendered for the person who uses it, in zh-Hans and in English, and its visible text
(text nodes plus placeholder, title, alt and aria-label) is scanned. Data is not interface: the
fixtures' names (shops, products, regions, people, addresses) are taken out first, and the shop and
product are English-titled so that Chinese on an English page can only come from the interface.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from villagemarket.orders.tests.factories import paid_order
from villagemarket.testing import client_for, make_product, make_shop

# Words that stay as they are in the Chinese interface: codes, formats, proper nouns, units.
LATIN_ALLOWED = {
    "API",
    "CSV",
    "XLSX",
    "SKU",
    "VillageMarket",
    "English",
    "ID",
    "PDF",
    "URL",
}
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
VISIBLE_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")
HIDDEN_ELEMENTS = {"script", "style", "template", "noscript", "code", "pre", "svg"}


class VisibleText(HTMLParser):
    """Text a person sees or hears: text nodes and labelling attributes, not scripts or code.

    An element with a lang attribute other than the page's (the language switch offering
    "English" on a Chinese page) is the other language on purpose and is left out.
    """

    def __init__(self, page_language: str):
        super().__init__(convert_charrefs=True)
        self.page_language = page_language
        self.skipping: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = (attributes.get("lang") or "").lower()
        if tag != "html" and (
            tag in HIDDEN_ELEMENTS or (lang and not lang.startswith(self.page_language))
        ):
            if tag not in {"br", "img", "input", "meta", "link", "hr"}:
                self.skipping.append(tag)
            return
        if self.skipping:
            return
        for name in VISIBLE_ATTRIBUTES:
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data)


def visible_text(html: str, language: str, data: list[str]) -> str:
    parser = VisibleText(language[:2])
    parser.feed(html)
    text = "\n".join(parser.parts)
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    return text


@pytest.fixture
def pages(db, buyer, alice, operator, village, address):
    """Each main page -> (who opens it, its address), with orders and a cart to show."""
    shop = make_shop(alice, village, name="Alice Costumes", slug="alice-costumes")
    product = make_product(shop, title="Stage costume", price_minor=9900, stock=10)
    sku = product.skus.get()
    paid_order(buyer, address, sku)
    from villagemarket.cart.services import add_to_cart, cart_for_user

    add_to_cart(cart=cart_for_user(buyer), sku_id=sku.pk, quantity=1)
    return {
        "home": (None, "/"),
        "product": (None, f"/p/{product.pk}/"),
        "sign-in": (None, "/accounts/signin/"),
        "cart": (buyer, "/cart/"),
        "checkout": (buyer, "/orders/checkout/"),
        "orders": (buyer, "/orders/"),
        "seller center": (alice, f"/seller/{shop.slug}/"),
        "seller products": (alice, f"/seller/products/{shop.slug}/"),
        "seller orders": (alice, f"/seller/orders/{shop.slug}/"),
        "operator dashboard": (operator, "/operator/"),
        "observatory": (None, "/observatory/"),
    }


def data_strings() -> list[str]:
    """Names that come from data, not from the interface (regions, people, addresses, shops)."""
    from villagemarket.accounts.models import User
    from villagemarket.catalog.models import Category, Product
    from villagemarket.orders.models import Address
    from villagemarket.regions.models import Region
    from villagemarket.search.models import Synonym
    from villagemarket.shipping.models import Courier
    from villagemarket.shops.models import Shop

    values: list[str] = []
    for region in Region.objects.all():
        values += [region.name, region.short_name, region.name_latin]
    for user in User.objects.all():
        values += [user.display_name, user.email]
    for address in Address.objects.all():
        values += [address.detail, address.recipient]
    values += [v for s in Shop.objects.all() for v in (s.name, s.slug, s.ship_from_address)]
    values += [t for p in Product.objects.all() for t in (p.title, p.title_en)]
    values += [n for c in Category.objects.all() for n in (c.name, c.name_en, c.slug)]
    # Synonym groups are words buyers type (seeded in Chinese, pinyin and English on purpose)
    # with an operator's note.
    values += [w for g in Synonym.objects.all() for w in (g.words, g.note, *g.word_list())]
    # Couriers' codes (SF, ZTO) are the companies' own codes, shown as they are in both languages.
    values += [c.code for c in Courier.objects.all()]
    return [v for v in values if v]


def render(who, url: str, language: str) -> str:
    client = client_for(who)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_chinese_pages_have_no_english_left(pages):
    leftovers = {}
    data = data_strings()
    for name, (who, url) in pages.items():
        text = visible_text(render(who, url, "zh-hans"), "zh", data)
        words = sorted({w for w in LATIN_WORD.findall(text) if w not in LATIN_ALLOWED})
        if words:
            leftovers[name] = words
    assert not leftovers, f"English words in the Chinese pages: {leftovers}"


def test_english_pages_have_no_chinese_outside_names(pages):
    leftovers = {}
    data = data_strings()
    for name, (who, url) in pages.items():
        text = visible_text(render(who, url, "en"), "en", data)
        found = sorted(set(HAN.findall(text)))
        if found:
            leftovers[name] = found
    assert not leftovers, f"Chinese in the English pages: {leftovers}"


# The back-office: Django draws boolean and search icons with English alt text ("True", "False",
# "None", "Search") that no catalogue can reach.
BACK_OFFICE_ALLOWED = LATIN_ALLOWED | {
    *("True", "False", "None", "Search"),  # Django's icon alt texts
    *("AliResearch", "sandbox", "CNY", "HTML"),  # a rule set's author, codes
    "dinglou",  # pinyin on purpose: the region search's example
}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def test_back_office_lists_and_forms_are_chinese(pages, operator):
    # given an operator with every back-office permission
    from django.contrib import admin
    from django.urls import reverse

    from villagemarket.accounts.models import User

    User.objects.filter(pk=operator.pk).update(is_superuser=True)
    operator.refresh_from_db()
    urls = ["/admin/"]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        # Permission names ("Can add shop") are rows Django writes in English: not our interface.
        if model_admin.has_add_permission(_request_for(operator)) and opts.model_name != "group":
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    data = data_strings()
    leftovers = {}
    # when each list and each blank form is opened in Chinese
    for url in urls:
        text = UUID.sub(" ", visible_text(render(operator, url, "zh-hans"), "zh", data))
        words = sorted({w for w in LATIN_WORD.findall(text) if w not in BACK_OFFICE_ALLOWED})
        if words:
            leftovers[url] = words
    # then no label, column, filter or placeholder is left in English
    assert not leftovers, f"English words in the back-office: {leftovers}"


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request
