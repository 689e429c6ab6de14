"""The back-office as an operator meets it: money in yuan, safe actions first, deletes that
would lose order history refused with what to do instead, and the dashboard of queues."""

from __future__ import annotations

import re

import pytest

from villagemarket.catalog.models import Product
from villagemarket.moderation.models import Case
from villagemarket.orders.tests.factories import paid_order
from villagemarket.payments.models import Payment
from villagemarket.shops.models import Shop
from villagemarket.testing import client_for, make_product, make_user


@pytest.fixture
def superuser(db):
    user = make_user("root@example.com", staff=True)
    type(user).objects.filter(pk=user.pk).update(is_superuser=True)
    user.refresh_from_db()
    return user


@pytest.fixture
def sold_costume(buyer, address, shop_a):
    """Alice's ¥1,680 costume with one paid order."""
    sku = make_product(shop_a, title="演出服", price_minor=168000, stock=10).skus.get()
    order = paid_order(buyer, address, sku)
    return sku.product, order


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/admin/catalog/product/",
        "/admin/catalog/sku/",
        "/admin/orders/shoporder/",
        "/admin/payments/payment/",
        "/admin/payments/paymentevent/",
    ],
)
def test_admin_lists_show_money_in_yuan_not_minor_units(superuser, sold_costume, url):
    body = client_for(superuser).get(url).content.decode()

    assert "¥1,680.00" in body
    assert "168000" not in body
    assert not re.search(r"(?i)minor", body)


@pytest.mark.django_db
def test_admin_order_page_shows_amounts_in_yuan(superuser, sold_costume):
    _product, order = sold_costume

    body = client_for(superuser).get(f"/admin/orders/shoporder/{order.pk}/change/").content
    body = body.decode()

    assert "¥1,680.00" in body and "168000" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/shops/shop/", "/admin/catalog/product/"])
def test_no_destructive_action_comes_first(superuser, shop_a, url):
    make_product(shop_a)

    body = client_for(superuser).get(url).content.decode()

    actions = re.findall(r'<option value="([a-z_]+)"', body.split('name="action"')[1])
    assert actions and actions[0] != "delete_selected"
    if "delete_selected" in actions:
        assert actions[-1] == "delete_selected"


@pytest.mark.django_db
def test_deleting_a_shop_with_orders_is_refused_with_an_explanation(superuser, sold_costume):
    product, _order = sold_costume
    client = client_for(superuser)
    shop = product.shop

    page = client.post(f"/admin/shops/shop/{shop.pk}/delete/", {"post": "yes"})

    assert page.status_code == 200
    assert "Suspend the shop instead" in page.content.decode()
    assert Shop.objects.filter(pk=shop.pk).exists()
    assert Product.objects.filter(pk=product.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["shops/shop", "catalog/product"])
def test_delete_selected_is_refused_too_when_orders_exist(superuser, sold_costume, model):
    product, _order = sold_costume
    pk = product.shop.pk if model == "shops/shop" else product.pk
    client = client_for(superuser)

    page = client.post(
        f"/admin/{model}/",
        {"action": "delete_selected", "_selected_action": [pk], "post": "yes"},
    )

    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="delete-refused"' in body and "instead" in body
    assert Product.objects.filter(pk=product.pk).exists()
    assert Shop.objects.filter(pk=product.shop.pk).exists()


@pytest.mark.django_db
def test_a_product_without_orders_can_still_be_deleted(superuser, shop_a):
    product = make_product(shop_a, title="样品")

    client_for(superuser).post(f"/admin/catalog/product/{product.pk}/delete/", {"post": "yes"})

    assert not Product.objects.filter(pk=product.pk).exists()


# --- operator dashboard -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("buyer", 403), ("alice", 403), ("bob", 403), ("operator", 200)],
)
def test_only_operators_see_the_dashboard(people, persona, status):
    response = people[persona].get("/operator/")

    assert response.status_code == status
    if persona == "anonymous":
        assert "/accounts/" in response["Location"]


@pytest.mark.django_db
def test_dashboard_lists_queues_and_todays_figures(operator, alice, village, sold_costume):
    from villagemarket.testing import make_shop

    product, order = sold_costume
    make_shop(alice, village, name="待审小店", slug="waiting", status="pending")
    Case.objects.create(
        kind="product", object_id=product.pk, shop_id=product.shop_id, text="假货投诉", held=True
    )
    # the factory settles the order directly; the payment row says what the provider reported
    Payment.objects.filter(pk=order.payment_id).update(
        status="succeeded", paid_at=order.paid_at, needs_refund=True
    )

    body = client_for(operator).get("/operator/").content.decode()

    assert "待审小店" in body
    assert "假货投诉" in body and "/operator/moderation/" in body
    assert "/admin/payments/payment/" in body and "¥1,680.00" in body
    orders_today = re.search(r'data-testid="orders-today">([^<]*)<', body).group(1)
    assert orders_today == "1"
    paid_today = re.search(r'data-testid="paid-today">(.*?)</dd>', body).group(1)
    assert paid_today == '<span class="price">¥1,680.00</span>'
    new_shops = re.search(r'data-testid="new-shops-today">([^<]*)<', body).group(1)
    assert new_shops == "2"  # Alice's shop and the one waiting for review


@pytest.mark.django_db
def test_operators_find_the_dashboard_in_the_nav_and_the_back_office(operator, buyer):
    assert "/operator/" in client_for(operator).get("/").content.decode()
    assert "/operator/" in client_for(operator).get("/admin/").content.decode()
    assert "/operator/" not in client_for(buyer).get("/").content.decode()


@pytest.mark.django_db
def test_todays_figures_start_at_midnight_beijing_time(sold_costume):
    import datetime as dt

    from villagemarket.web import dashboard

    _product, order = sold_costume
    midnight = dashboard.start_of_today()
    Payment.objects.filter(pk=order.payment_id).update(
        status="succeeded", paid_at=midnight - dt.timedelta(minutes=1)
    )
    assert midnight.utcoffset() == dt.timedelta(hours=8)
    assert dashboard.today().paid[0].is_zero()

    Payment.objects.filter(pk=order.payment_id).update(paid_at=midnight)
    assert dashboard.today().paid[0].minor == 168000


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "stored"),
    [("10000000", 1_000_000_000), ("1,234.50", 123450), ("", None), ("12.345", "error"),
     ("1e999999", "error"), ("¥5", "error"), ("-1", "error"), ("1e20", "error")],
)  # fmt: skip
def test_rule_thresholds_are_typed_in_yuan(rf, superuser, typed, stored):
    from django.contrib import admin
    from django.forms.models import model_to_dict

    from villagemarket.observatory.models import RuleSet

    rules = RuleSet.objects.order_by("pk").first()
    request = rf.post("/")
    request.user = superuser
    form_class = admin.site._registry[RuleSet].get_form(request, rules)
    data = {k: "" if v is None else v for k, v in model_to_dict(rules).items()}

    form = form_class({**data, "village_min_sales_minor": typed}, instance=rules)

    if stored == "error":
        assert not form.is_valid()
        assert "village_min_sales_minor" in form.errors
    else:
        assert form.is_valid(), form.errors
        assert form.cleaned_data["village_min_sales_minor"] == stored


@pytest.mark.django_db
def test_rule_threshold_shows_in_yuan_on_the_form(superuser):
    from villagemarket.observatory.models import RuleSet

    rules = RuleSet.objects.order_by("pk").first()
    RuleSet.objects.filter(pk=rules.pk).update(village_min_sales_minor=1_000_000_000)

    body = client_for(superuser).get(f"/admin/observatory/ruleset/{rules.pk}/change/").content
    html = body.decode()

    assert 'name="village_min_sales_minor" value="10000000.00"' in html
    assert "1000000000" not in html


def test_no_admin_form_offers_a_minor_unit_field_raw(rf, superuser):
    # Every money field of the back-office is typed in yuan (yuan_fields) or shown as ¥ (read
    # only): an operator never meets "SALES MINOR 1680000".
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = superuser
    raw = []
    for model, model_admin in admin.site._registry.items():
        in_yuan = set(getattr(model_admin, "yuan_fields", {}) or {})
        for field in model_admin.get_fields(request):
            if isinstance(field, str) and field.endswith("_minor") and field not in in_yuan:
                raw.append(f"{model.__name__}.{field}")
    assert raw == []
