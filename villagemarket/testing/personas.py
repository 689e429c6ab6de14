"""Shared test personas (pytest fixtures), loaded by the root conftest.py as a plugin.

anonymous, buyer, alice (owner of shop A), bob (owner of shop B), operator — so a permission
test is one line per person. Regions: a tiny real tree around 丁楼村 (Cao County, Heze).
"""

from __future__ import annotations

import pytest
from django.test import Client

PASSWORD = "correct horse battery staple"  # noqa: S105 - test password


def make_region_tree():
    """Shandong > Heze > Cao County > 大集镇 > 丁楼村, a residents' committee and a sub-district."""
    from villagemarket.regions.models import Region

    def node(code, name, short, level, parent=None, **extra):
        defaults = {
            "name": name,
            "short_name": short,
            "level": level,
            "parent": parent,
            "province_code": code[:2],
            "prefecture_code": code[:4] if level >= 2 else "",
            "county_code": code[:6] if level >= 3 else "",
            "township_code": code[:9] if level >= 4 else "",
            **extra,
        }
        region, _ = Region.objects.update_or_create(code=code, defaults=defaults)
        return region

    sd = node("37", "山东省", "山东省", 1)
    heze = node("3717", "菏泽市", "菏泽市", 2, sd)
    cao = node("371721", "曹县", "曹县", 3, heze)
    daji = node("371721121", "大集镇", "大集镇", 4, cao, township_kind="town")
    node("371721001", "曹城街道", "曹城街道", 4, cao, township_kind="subdistrict")
    dinglou = node(
        "371721121227", "丁楼村民委员会", "丁楼村", 5, daji, is_rural=True, households=370
    )
    node("371721121206", "胡楼村民委员会", "胡楼村", 5, daji, is_rural=True, households=410)
    node("371721121001", "大集社区居民委员会", "大集社区", 5, daji, is_rural=False)
    return dinglou


def make_user(login: str, *, staff: bool = False, name: str = ""):
    from villagemarket.accounts.models import User

    user = User.objects.create_user(
        email=login, password=PASSWORD, display_name=name or login.split("@")[0]
    )
    if staff:
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.refresh_from_db()
    return user


def make_shop(
    owner, village, *, name: str, slug: str, status: str = "active", kind: str = "household"
):
    from villagemarket.shops.models import Shop, ShopMember

    shop = Shop.objects.create(
        name=name,
        slug=slug,
        village=village,
        ship_from_address="村东头",
        phone="13800000000",
        status=status,
        kind=kind,
    )
    ShopMember.objects.create(shop=shop, user=owner, role="owner")
    return shop


def make_product(
    shop, *, title="演出服", price_minor=9900, stock=10, status="published", options=None
):
    from villagemarket.catalog.models import SKU, Category, Product

    category, _ = Category.objects.get_or_create(
        slug="costumes", defaults={"name": "演出服饰", "name_en": "Costumes"}
    )
    product = Product.objects.create(
        shop=shop,
        category=category,
        title=title,
        title_en="Stage costume",
        status=status,
        min_price_minor=price_minor,
        search_text=title,
    )
    SKU.objects.create(product=product, options=options or {}, price_minor=price_minor, stock=stock)
    from villagemarket.search.index import index_product

    index_product(product.pk)  # what catalog services do after commit
    return product


@pytest.fixture
def village(db):
    return make_region_tree()


@pytest.fixture
def buyer(db):
    return make_user("buyer@example.com", name="Buyer")


@pytest.fixture
def alice(village):
    return make_user("alice@example.com", name="Alice")


@pytest.fixture
def bob(village):
    return make_user("bob@example.com", name="Bob")


@pytest.fixture
def operator(db):
    return make_user("operator@example.com", staff=True, name="Operator")


@pytest.fixture
def shop_a(alice, village):
    return make_shop(alice, village, name="Alice 演出服", slug="alice-costumes")


@pytest.fixture
def shop_b(bob, village):
    return make_shop(bob, village, name="Bob 羽绒被", slug="bob-quilts")


def client_for(user=None) -> Client:
    client = Client(enforce_csrf_checks=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def anonymous_client():
    return Client()


@pytest.fixture
def people(buyer, alice, bob, operator):
    """Persona name -> signed-in client (anonymous included), for permission tables."""
    return {
        "anonymous": Client(),
        "buyer": client_for(buyer),
        "alice": client_for(alice),
        "bob": client_for(bob),
        "operator": client_for(operator),
    }


@pytest.fixture
def address(buyer, village):
    """The buyer's address in 大集镇 (township level, as checkout needs)."""
    from villagemarket.orders.services import save_address

    return save_address(
        user=buyer,
        region_code="371721121",
        detail="丁楼村 3 组 12 号",
        recipient="王芳",
        mobile="13912345678",
    )


@pytest.fixture
def sku_a(shop_a):
    """Alice's stage costume: ¥99, 10 in stock."""
    return make_product(shop_a, title="演出服", price_minor=9900, stock=10).skus.get()


@pytest.fixture
def sku_b(shop_b):
    """Bob's down quilt: ¥250, 5 in stock."""
    return make_product(shop_b, title="羽绒被", price_minor=25000, stock=5).skus.get()
