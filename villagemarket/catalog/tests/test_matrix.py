"""The SKU matrix (set_sku_matrix), the bulk table (bulk_update_skus) and low-stock SKUs."""

from __future__ import annotations

import pytest

from villagemarket.catalog import matrix, selectors, stock
from villagemarket.catalog.models import SKU, Product
from villagemarket.catalog.services import bulk_update_skus, set_sku_matrix
from villagemarket.core.errors import Conflict, Invalid, NotFound
from villagemarket.orders.services import place_order
from villagemarket.testing import make_product
from villagemarket.testing.threads import run_together

SIZES = {"name": "尺码", "values": ["110", "120"]}
COLOURS = {"name": "颜色", "values": ["红", "黄"]}


def rows_for(specs, price=9900, stock=10, **extra):
    return [
        {"options": options, "price_minor": price, "stock": stock, **extra}
        for options in matrix.combinations(specs)
    ]


def active_options(product) -> list[dict]:
    return list(
        SKU.objects.filter(product=product, is_active=True)
        .order_by("position")
        .values_list("options", flat=True)
    )


def skus_state(product) -> list:
    return sorted(
        SKU.objects.filter(product=product).values_list(
            "id", "options", "price_minor", "stock", "is_active"
        )
    )


@pytest.fixture
def draft(shop_a):
    return make_product(shop_a, title="童装演出服", status="draft")


def test_two_specifications_make_four_skus(alice, draft):
    skus = set_sku_matrix(alice, draft.pk, [SIZES, COLOURS], rows_for([SIZES, COLOURS]))
    assert [s.options for s in skus] == [
        {"尺码": "110", "颜色": "红"},
        {"尺码": "110", "颜色": "黄"},
        {"尺码": "120", "颜色": "红"},
        {"尺码": "120", "颜色": "黄"},
    ]
    draft.refresh_from_db()
    assert draft.specs == [SIZES, COLOURS]
    assert draft.min_price_minor == 9900
    # the old single variant ({} options) is not a combination any more: delisted, not deleted
    assert SKU.objects.filter(product=draft, options={}, is_active=False).count() == 1


def test_adding_a_value_adds_rows_and_keeps_the_others(alice, draft):
    first = set_sku_matrix(alice, draft.pk, [SIZES, COLOURS], rows_for([SIZES, COLOURS]))
    bigger = [{"name": "尺码", "values": ["110", "120", "130"]}, COLOURS]
    second = set_sku_matrix(alice, draft.pk, bigger, rows_for(bigger, price=8800))
    assert len(second) == 6
    # the four existing SKUs are the same rows (same ids), updated; two are new
    assert {s.pk for s in first} < {s.pk for s in second}
    assert {s.price_minor for s in second} == {8800}


def test_removing_a_value_delists_its_skus_without_losing_order_history(
    alice, buyer, address, shop_a
):
    product = make_product(shop_a, title="演出服")
    skus = set_sku_matrix(alice, product.pk, [SIZES, COLOURS], rows_for([SIZES, COLOURS]))
    ordered = next(s for s in skus if s.options == {"尺码": "120", "颜色": "红"})
    order = place_order(buyer=buyer, address_id=address.pk, items=[(ordered.pk, 1)]).orders[0]
    # when the seller drops size 120
    only_110 = [{"name": "尺码", "values": ["110"]}, COLOURS]
    set_sku_matrix(alice, product.pk, only_110, rows_for(only_110))
    # then the 120 SKUs are inactive (not for sale) but exist, and the order keeps its line
    assert active_options(product) == [{"尺码": "110", "颜色": "红"}, {"尺码": "110", "颜色": "黄"}]
    ordered.refresh_from_db()
    assert ordered.is_active is False
    assert order.lines.get().sku_id == ordered.pk
    assert not SKU.objects.for_sale().filter(pk=ordered.pk).exists()
    # and putting 120 back revives the same SKU rather than making a twin
    set_sku_matrix(alice, product.pk, [SIZES, COLOURS], rows_for([SIZES, COLOURS]))
    ordered.refresh_from_db()
    assert ordered.is_active is True
    assert SKU.objects.filter(product=product).count() == 5  # 4 combos + the old {} variant


def test_no_specification_is_one_single_variant(alice, draft):
    original = draft.skus.get()
    skus = set_sku_matrix(alice, draft.pk, [], [{"options": {}, "price_minor": 500, "stock": 3}])
    assert [s.pk for s in skus] == [original.pk]
    assert (skus[0].price_minor, skus[0].stock) == (500, 3)


@pytest.mark.parametrize(
    ("specs", "field"),
    [
        ([{"name": "", "values": ["a"]}], "specs.0.name"),
        ([{"name": "尺码", "values": []}], "specs.0.values"),
        ([{"name": "尺码", "values": ["L", "L"]}], "specs.0.values"),
        ([SIZES, {"name": "尺码", "values": ["S"]}], "specs.1.name"),
        ([{"name": "x" * 21, "values": ["a"]}], "specs.0.name"),
        ([{"name": "尺码", "values": ["y" * 41]}], "specs.0.values"),
        ([{"name": f"n{i}", "values": ["a"]} for i in range(4)], "specs"),
        ([{"name": f"n{i}", "values": [str(v) for v in range(15)]} for i in range(2)], "specs"),
        ("尺码=L", "specs"),
    ],
)
def test_bad_specifications_are_refused_naming_the_field_and_change_nothing(
    alice, draft, specs, field
):
    before = skus_state(draft)
    with pytest.raises(Invalid) as exc:
        set_sku_matrix(alice, draft.pk, specs, [])
    assert field in exc.value.fields
    assert skus_state(draft) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda rows: rows[:-1], "rows"),
        (lambda rows: rows + rows[:1], "rows.4.options"),
        (lambda rows: [{**rows[0], "price_minor": 0}] + rows[1:], "rows.0.price_minor"),
        (lambda rows: [{**rows[0], "price_minor": "99"}] + rows[1:], "rows.0.price_minor"),
        (lambda rows: rows[:1] + [{**rows[1], "stock": -1}] + rows[2:], "rows.1.stock"),
        (lambda rows: rows[:3] + [{**rows[3], "image_id": 999999}], "rows.3.image_id"),
        (
            lambda rows: [{**rows[0], "options": {"尺码": "999", "颜色": "红"}}] + rows[1:],
            "rows.0.options",
        ),
    ],
)
def test_bad_rows_are_refused_naming_the_row_and_change_nothing(alice, draft, change, field):
    specs = [SIZES, COLOURS]
    set_sku_matrix(alice, draft.pk, specs, rows_for(specs))
    before = skus_state(draft)
    with pytest.raises(Invalid) as exc:
        set_sku_matrix(alice, draft.pk, specs, change(rows_for(specs, price=1)))
    assert field in exc.value.fields
    assert skus_state(draft) == before


def test_only_the_shops_staff_set_the_matrix(bob, buyer, draft):
    before = skus_state(draft)
    for person in (bob, buyer):
        with pytest.raises(NotFound):
            set_sku_matrix(person, draft.pk, [SIZES], rows_for([SIZES]))
    assert skus_state(draft) == before


# --- bulk price/stock ---------------------------------------------------------------------------


def test_bulk_update_sets_prices_and_stock_of_many_skus(alice, shop_a):
    one, two = (make_product(shop_a, stock=n).skus.get() for n in (5, 8))
    bulk_update_skus(
        alice,
        shop_a,
        [
            {"sku_id": one.pk, "price_minor": 1250},
            {"sku_id": two.pk, "stock": 20, "price_minor": 300},
        ],
    )
    one.refresh_from_db(), two.refresh_from_db()
    assert (one.price_minor, one.stock, two.price_minor, two.stock) == (1250, 5, 300, 20)
    assert Product.objects.get(pk=two.product_id).min_price_minor == 300


def test_bulk_update_is_all_or_nothing_with_errors_keyed_by_sku(alice, shop_a, shop_b):
    mine = make_product(shop_a, stock=5).skus.get()
    theirs = make_product(shop_b, stock=5).skus.get()
    with pytest.raises(Invalid) as exc:
        bulk_update_skus(
            alice,
            shop_a,
            [
                {"sku_id": mine.pk, "stock": 50},
                {"sku_id": theirs.pk, "stock": 0},
                {"sku_id": mine.pk + 100000, "price_minor": 1},
            ],
        )
    assert set(exc.value.fields) == {str(theirs.pk), str(mine.pk + 100000)}
    with pytest.raises(Invalid) as exc:
        bulk_update_skus(alice, shop_a, [{"sku_id": mine.pk, "stock": -2, "price_minor": 0}])
    assert set(exc.value.fields) == {f"{mine.pk}.stock", f"{mine.pk}.price_minor"}
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert (mine.stock, theirs.stock, mine.price_minor) == (5, 5, 9900)


def test_only_the_shops_staff_bulk_edit(bob, buyer, shop_a):
    sku = make_product(shop_a, stock=5).skus.get()
    for person in (bob, buyer):
        with pytest.raises(NotFound):
            bulk_update_skus(person, shop_a, [{"sku_id": sku.pk, "stock": 0}])
    sku.refresh_from_db()
    assert sku.stock == 5


def test_a_stale_page_never_overwrites_a_reservation(alice, shop_a):
    # given the seller loaded the table at 10 and a checkout then reserved 3
    first, second = (make_product(shop_a, stock=10).skus.get() for _ in range(2))
    stock.reserve({first.pk: 3})
    # when the seller saves a count of 20 for both, having seen 10
    with pytest.raises(Conflict) as exc:
        bulk_update_skus(
            alice,
            shop_a,
            [
                {"sku_id": first.pk, "stock": 20, "expected_stock": 10},
                {"sku_id": second.pk, "stock": 20, "expected_stock": 10},
            ],
        )
    # then nothing changed and the error names the SKU and its stock now
    assert list(exc.value.fields) == [f"{first.pk}.stock"]
    assert "7" in exc.value.fields[f"{first.pk}.stock"][0]
    assert [SKU.objects.get(pk=s.pk).stock for s in (first, second)] == [7, 10]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_bulk_counts_and_checkouts_racing_never_lose_a_reservation(alice, shop_a):
    skus = [make_product(shop_a, stock=10).skus.get() for _ in range(3)]
    ids = [s.pk for s in skus]
    counts = [{"sku_id": pk, "stock": 30, "expected_stock": 10} for pk in reversed(ids)]
    calls = [lambda: bulk_update_skus(alice, shop_a, counts)]
    calls += [lambda: stock.reserve({pk: 1 for pk in ids})] * 4
    answers = run_together(*calls)
    reserved = sum(1 for a in answers[1:] if a == {})
    left = [SKU.objects.get(pk=pk).stock for pk in ids]
    if isinstance(answers[0], Conflict):  # a checkout came first: the count was refused whole
        assert left == [10 - reserved] * 3
    else:  # the count came first; every reservation came off the new count
        assert not isinstance(answers[0], Exception), answers[0]
        assert left == [30 - reserved] * 3


# --- low stock ----------------------------------------------------------------------------------


def test_low_stock_skus_follow_each_products_threshold(shop_a, shop_b):
    low = make_product(shop_a, title="low", stock=5).skus.get()
    make_product(shop_a, title="plenty", stock=6)
    silent = make_product(shop_a, title="silent", stock=0)
    Product.objects.filter(pk=silent.pk).update(low_stock_threshold=0)
    inactive = make_product(shop_a, title="inactive", stock=1).skus.get()
    SKU.objects.filter(pk=inactive.pk).update(is_active=False)
    strict = make_product(shop_a, title="strict", stock=20)
    Product.objects.filter(pk=strict.pk).update(low_stock_threshold=25)
    make_product(shop_b, title="other shop", stock=0)
    found = list(selectors.low_stock_skus(shop_a))
    assert [s.product.title for s in found] == ["low", "strict"]
    assert found[0].pk == low.pk
