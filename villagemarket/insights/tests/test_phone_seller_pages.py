"""Issue 12 §6: every seller page on a 390 × 844 phone, in both languages.

The pages are not listed by hand: the test walks Django's URL resolver for every pattern under
/seller/ (and every page of a `seller*` namespace) and fills its path parameters from a world
with a bit of everything (a service point's products, orders in each state, a refund, a
household, a conversation, a freight template, an invitation). A page fails when it is wider
than the screen (`scrollWidth > innerWidth`) or answers anything but 200/302; all failures are
listed at once. A pattern the test cannot fill fails the test until it is given a value below
(PARAMS, PK_OF) or a reason to be skipped (NOT_PAGES): a new page is never silently skipped.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from villagemarket.cart import services as cart_services
from villagemarket.core.money import Money
from villagemarket.messaging import services as messaging_services
from villagemarket.orders import services as order_services
from villagemarket.orders.tests.factories import checkout, paid_order, shipped_order
from villagemarket.shipping.models import FreightTemplate
from villagemarket.shops import services as shop_services
from villagemarket.shops.models import Household, Shop
from villagemarket.testing import make_product
from villagemarket.testing.browser import launch_chromium

SHOTS = Path(__file__).resolve().parents[3] / "test-results" / "phone-seller"
PHONE = {"width": 390, "height": 844}
LONG_TITLE = "曹县丁楼村手工刺绣儿童演出服套装加厚款（含头饰、腰带、披风）适合六一节目表演"

# Patterns that are not pages a person opens: the reason is the test's record of why.
NOT_PAGES = {
    "seller_products:publish": "POST action (a button on the product page)",
    "seller_products:delist": "POST action (a button on the product page)",
    "seller_orders:ship": "POST action (the ship form on the order page)",
    "seller_orders:extend": "POST action (a button on the order page)",
    "seller_orders:refund_action": "POST action (the refund page's buttons)",
    "seller_messaging:send": "POST action (the thread's form)",
    "seller_reviews:reply": "POST action (the review list's reply form)",
    "shipping:template_delete": "POST action (a button on the template page)",
    "seller_ledger:withdraw": "POST action (the balance page's form)",
    "seller_ledger:cancel": "POST action (a button on the balance page)",
    "seller_logistics:action": "POST action (the batch page's buttons)",
    "seller_promotions:end": "POST action (a button on the promotions list)",
    "seller_tracking:refresh": "POST action (the parcel panel's button)",
}
# Responses that are not HTML pages: checked for their status, not measured.
NOT_HTML = {
    "seller_orders:export": "a CSV file",
    "seller_imports:export": "a CSV file",
    "seller_imports:template": "a CSV file",
    "seller_logistics:pick_list_pdf": "a PDF",
    "seller_logistics:waybills": "a PDF",
}
# What `pk` means in each namespace (world key); other parameters are filled by name (PARAMS).
PK_OF = {
    "seller": "household",
    "seller_products": "product",
    "seller_orders": "paid",
    "seller_messaging": "conversation",
    "shipping": "template",
    "seller_logistics": "batch",
    "seller_imports": "import_job",
    "seller_promotions:coupon_edit": "coupon",
    "seller_promotions:spend_save_edit": "spend_save",
    "seller_promotions:sale_price_edit": "sale_price",
}
PARAMS = {
    "shop_slug": lambda w: w["shop"].slug,
    "order_id": lambda w: w["paid"].pk,
    "refund_id": lambda w: w["refund"].pk,
    "token": lambda w: w["invitation"].token,
    "file_format": lambda w: "csv",
}


def walk(patterns, prefix: str = "", namespace: str = ""):
    """(route, name with namespace) of every URL pattern, nested includes flattened."""
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace and (f"{namespace}:{p.namespace}" if namespace else p.namespace)
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns or namespace)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}:{p.name}" if namespace else p.name


def seller_routes() -> list[tuple[str, str]]:
    return [
        (route, name)
        for route, name in walk(get_resolver().url_patterns)
        if route.startswith("seller/") or (name or "").split(":")[0].startswith("seller")
    ]


PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def fill(route: str, name: str, world: dict) -> str | None:
    """The route with every parameter filled from the world, or None when one cannot be."""
    namespace = name.rsplit(":", 1)[0] if ":" in name else ""
    values = {}
    for match in PARAM.finditer(route):
        param = match["name"]
        if param == "pk" and (name in PK_OF or namespace in PK_OF):
            values[param] = world[PK_OF.get(name) or PK_OF[namespace]].pk
        elif param in PARAMS:
            values[param] = PARAMS[param](world)
        else:
            return None
    return "/" + PARAM.sub(lambda m: str(values[m["name"]]), route)


@pytest.fixture
def world(buyer, alice, bob, shop_a, shop_b, address):
    """A service point with long product names, orders in each state, a refund to answer, a
    household, a conversation, a freight template and an invitation to another shop."""
    Shop.objects.filter(pk=shop_a.pk).update(kind="service_point")
    product = make_product(shop_a, title=LONG_TITLE, price_minor=1234550, stock=50)
    sku = product.skus.get()
    for n in range(3):
        make_product(shop_a, title=f"{LONG_TITLE} {n}", price_minor=9900 + n, stock=n)
    paid = paid_order(buyer, address, sku)
    shipped = shipped_order(buyer, address, sku)
    completed = order_services.confirm_receipt(
        buyer=buyer, order_id=shipped_order(buyer, address, sku).pk
    )
    unpaid = checkout(buyer, address, (sku.pk, 1)).orders[0]
    closed = checkout(buyer, address, (sku.pk, 1)).orders[0]
    order_services.cancel_unpaid(buyer=buyer, order_id=closed.pk)
    refund = order_services.request_refund(
        buyer=buyer,
        order_id=shipped.pk,
        amount=Money(100000, "CNY"),
        reason="damaged",
        kind="money_only",
        detail="领口的刺绣开线了，袖子也短了一截，能不能退一部分钱？",
    )
    conversation = messaging_services.write_to_shop(
        buyer=buyer, shop=shop_a, text="请问这件演出服有 120 码的吗？什么时候能发货？"
    ).conversation
    cart_services.add_to_cart(cart=cart_services.cart_for_user(buyer), sku_id=sku.pk, quantity=1)
    return {
        **workspace_world(alice, shop_a, sku, paid),
        "shop": shop_a,
        "product": product,
        "paid": paid,
        "orders": [paid, shipped, completed, unpaid, closed],
        "refund": refund,
        "household": Household.objects.create(
            shop=shop_a, name="王家刺绣坊（丁楼村三组）", village=shop_a.village
        ),
        "template": FreightTemplate.objects.create(shop=shop_a, name="全国包邮（偏远地区除外）"),
        "conversation": conversation,
        "invitation": shop_services.invite_staff(bob, shop_b, "alice@example.com"),
    }


def workspace_world(alice, shop, sku, paid) -> dict:
    """A pickup batch holding the paid order, a coupon, a 满减, a sale price and an import."""
    from villagemarket.imports import services as import_services
    from villagemarket.logistics import services as logistics_services
    from villagemarket.promotions import services as promotion_services
    from villagemarket.testing.couriers import ensure_couriers

    ensure_couriers()  # a transactional test's flush empties the seeded couriers
    shop.refresh_from_db()  # the world made it a service point with an UPDATE
    today = timezone.localdate()
    batch = logistics_services.create_batch(
        user=alice, point=shop, courier_code="ZTO", pickup_date=today
    )
    logistics_services.add_orders(point=shop, batch_id=batch.pk, order_ids=[paid.pk])
    window = {"starts_at": timezone.now(), "ends_at": timezone.now() + timedelta(days=7)}
    csv_text = "product_ref,title\n,丁楼村演出服\n"
    return {
        "batch": batch,
        "coupon": promotion_services.save_shop_coupon(
            shop=shop,
            user=alice,
            name="满100减10",
            amount_minor=1000,
            threshold_minor=10000,
            per_buyer_limit=1,
            total_quantity=100,
            **window,
        ),
        "spend_save": promotion_services.save_shop_spend_save(
            shop=shop,
            user=alice,
            name="满200减25",
            tiers=[{"threshold_minor": 20000, "save_minor": 2500}],
            **window,
        ),
        "sale_price": promotion_services.save_sale_price(
            shop=shop, user=alice, name="限时价", sku_id=sku.pk, price_minor=9900, **window
        ),
        "import_job": import_services.start_import(
            alice, shop, filename="products.csv", content=csv_text.encode()
        ),
    }


def test_every_seller_pattern_is_either_filled_or_explained(world):
    unknown = [
        f"{name} ({route})"
        for route, name in seller_routes()
        if name not in NOT_PAGES and fill(route, name, world) is None
    ]

    assert unknown == [], "give these a value in PARAMS/PK_OF or a reason in NOT_PAGES:\n" + (
        "\n".join(unknown)
    )


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


MEASURE = "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_seller_page_fits_a_phone(live_server, world, alice, language):
    from playwright.sync_api import sync_playwright

    pages = {
        name: fill(route, name, world)
        for route, name in seller_routes()
        if name not in NOT_PAGES and fill(route, name, world)
    }
    pages["seller:dashboard?period=30d"] = f"/seller/{world['shop'].slug}/?period=30d"
    session = session_of(alice)  # the ORM before Playwright's event loop starts
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
        for name, path in sorted(pages.items()):
            if name in NOT_HTML:
                response = context.request.get(live_server.url + path)
                if response.status != 200:
                    problems.append(f"{name} {path}: HTTP {response.status}")
                continue
            response = page.goto(live_server.url + path)
            # a 302 is followed by the browser: what counts is where it lands
            if response is None or response.status != 200:
                status = response.status if response else "no response"
                problems.append(f"{name} {path}: HTTP {status}")
                continue
            page.screenshot(path=SHOTS / f"{name.replace(':', '-')}.{language}.png", full_page=True)
            found = page.evaluate(MEASURE)
            if found["scroll"] > found["inner"]:
                problems.append(f"{name} {path}: {found['scroll']}px wide on a 390px screen")
        browser.close()

    assert len(pages) >= 20  # the walk found the seller center, not an empty list
    assert problems == [], f"{len(problems)} seller pages do not fit ({language}):\n" + "\n".join(
        problems
    )
