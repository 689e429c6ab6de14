"""Every seller page and the buyer's main pages on a 390 × 844 phone: nothing wider than the
screen (no sideways scrolling), and touch targets big enough for a thumb.

Screenshots go to test-results/phone/ (not committed) so a person can look at them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from villagemarket.cart import services as cart_services
from villagemarket.orders.tests.factories import paid_order, shipped_order
from villagemarket.shipping.models import FreightTemplate
from villagemarket.shops.models import Household, Shop
from villagemarket.testing import make_product
from villagemarket.testing.browser import launch_chromium

SHOTS = Path(__file__).resolve().parents[3] / "test-results" / "phone"
PHONE = {"width": 390, "height": 844}
LONG_TITLE = "曹县丁楼村手工刺绣儿童演出服套装加厚款（含头饰、腰带、披风）适合六一节目表演"


@pytest.fixture
def market(buyer, alice, shop_a, address):
    """A service-point shop with long product names, variants, a paid and a shipped order, and
    a buyer with a full cart."""
    Shop.objects.filter(pk=shop_a.pk).update(kind="service_point")
    product = make_product(shop_a, title=LONG_TITLE, price_minor=1234550, stock=9)
    sku = product.skus.get()
    for n in range(3):
        make_product(shop_a, title=f"{LONG_TITLE} {n}", price_minor=9900 + n, stock=n)
    paid = paid_order(buyer, address, sku)
    shipped = shipped_order(buyer, address, sku)
    cart_services.add_to_cart(cart=cart_services.cart_for_user(buyer), sku_id=sku.pk, quantity=2)
    household = Household.objects.create(shop=shop_a, name="王家刺绣坊", village=shop_a.village)
    template = FreightTemplate.objects.create(shop=shop_a, name="全国包邮（偏远地区除外）")
    return {
        "shop": shop_a,
        "product": product,
        "paid": paid,
        "shipped": shipped,
        "household": household,
        "template": template,
    }


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def seller_pages(m) -> dict[str, str]:
    slug, pk = m["shop"].slug, m["product"].pk
    return {
        "seller-center": "/seller/",
        "seller-dashboard": f"/seller/{slug}/",
        "seller-products": f"/seller/products/{slug}/",
        "seller-product-new": f"/seller/products/{slug}/new/",
        "seller-product-edit": f"/seller/products/{slug}/{pk}/edit/",
        "seller-stock": f"/seller/products/{slug}/{pk}/stock/",
        "seller-orders": f"/seller/orders/{slug}/",
        "seller-orders-shipped": f"/seller/orders/{slug}/?tab=shipped",
        "seller-order": f"/seller/orders/{slug}/{m['paid'].pk}/",
        "seller-batch-ship": f"/seller/orders/{slug}/batch-ship/",
        "seller-slip": f"/seller/orders/{slug}/{m['paid'].pk}/slip/",
        "seller-shipping": f"/seller/shipping/{slug}/",
        "seller-staff": f"/seller/{slug}/staff/",
        "seller-settings": f"/seller/{slug}/settings/",
        "seller-households": f"/seller/{slug}/households/",
        "seller-household": f"/seller/{slug}/households/{m['household'].pk}/",
        "seller-shipping-template": f"/seller/shipping/{slug}/{m['template'].pk}/",
        "seller-open-shop": "/seller/open/",
        "seller-tokens": "/accounts/tokens/",
    }


def buyer_pages(m) -> dict[str, str]:
    return {
        "home": "/",
        "category": "/c/costumes/",
        "product": f"/p/{m['product'].pk}/",
        "shop": f"/shops/{m['shop'].slug}/",
        "search": "/search/?q=演出服",
        "village": "/regions/371721121227/",
        "cart": "/cart/",
        "checkout": "/orders/checkout/",
        "my-orders": "/orders/",
        "order": f"/orders/{m['shipped'].pk}/",
        "addresses": "/orders/addresses/",
    }


# Overflow: the page is wider than the screen. Small targets: visible links and buttons in the
# page's main part shorter than 40 px (inline links inside running text are exempt).
TARGETS = (
    "main button, main .btn, main input[type=submit], main select, "
    ".center-nav a, .pager a, .chips a"
)
MEASURE = """(targets) => {
  const small = [];
  for (const el of document.querySelectorAll(targets)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const name = (el.innerText || el.name || el.tagName).trim().slice(0, 30);
    if (r.height < 39.5) small.push(name + ' ' + Math.round(r.height));
  }
  return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, small};
}"""


def check_pages(live_server, session, pages: dict, language: str) -> list[str]:
    """Open each page (name -> path, or path and expected status) and list what does not fit."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(viewport=PHONE, locale=language, device_scale_factor=1)
        context.add_cookies(
            [
                {"name": "sessionid", "value": session, "url": live_server.url},
                {"name": "django_language", "value": language, "url": live_server.url},
            ]
        )
        page = context.new_page()
        for name, target in pages.items():
            path, status = target if isinstance(target, tuple) else (target, 200)
            response = page.goto(live_server.url + path)
            assert response.status == status, f"{name} {path}: HTTP {response.status}"
            page.screenshot(path=SHOTS / f"{name}.{language}.png", full_page=True)
            found = page.evaluate(MEASURE, TARGETS)
            if found["scroll"] > found["inner"]:
                problems.append(f"{name} ({language}): {found['scroll']}px wide on a 390px screen")
            if found["small"]:
                problems.append(f"{name} ({language}): small targets {found['small'][:5]}")
        browser.close()
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_seller_pages_fit_a_phone(live_server, market, alice, language):
    session = session_of(alice)

    problems = check_pages(live_server, session, seller_pages(market), language)

    assert problems == [], "\n".join(problems)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_buyer_pages_fit_a_phone(live_server, market, buyer, language):
    session = session_of(buyer)

    problems = check_pages(live_server, session, buyer_pages(market), language)

    assert problems == [], "\n".join(problems)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_operator_dashboard_and_error_pages_fit_a_phone(live_server, market, operator):
    session = session_of(operator)
    pages = {"operator-dashboard": "/operator/", "not-found": ("/p/999999/", 404)}

    problems = check_pages(live_server, session, pages, "zh-hans")

    assert problems == [], "\n".join(problems)
