"""The demo command: builds shops and products in the villages it finds, and a second run
changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from villagemarket.accounts.models import User
from villagemarket.catalog.models import SKU, Product, ProductImage
from villagemarket.ledger import invariants
from villagemarket.ledger.models import EventType, LedgerTransaction, PayoutBatch, Withdrawal
from villagemarket.ledger.selectors import held_in_escrow, shop_balance
from villagemarket.orders.models import Dispute, DisputeStatement, RefundRequest, ShopOrder
from villagemarket.shops.models import Shop
from villagemarket.testing import make_region_tree
from villagemarket.web import demo
from villagemarket.web.demo import data

pytestmark = pytest.mark.django_db


@pytest.fixture
def build_demo(django_capture_on_commit_callbacks):
    """`villagemarket demo`. Each money scenario is its own transaction, and a refund granted in
    one is paid back through the provider once it commits; inside a test's transaction nothing
    commits, so what waits for the commit runs here after the command, as in a real run."""

    def build():
        with django_capture_on_commit_callbacks(execute=True):
            call_command("demo")

    return build


@pytest.fixture
def tiny_regions(monkeypatch):
    """Replace the all-China regions step by the persona tree (丁楼村 and 胡楼村 only)."""

    def regions(ctx):
        make_region_tree()
        return "tiny tree"

    steps = [(name, label, regions if name == "regions" else fn) for name, label, fn in demo.STEPS]
    monkeypatch.setattr(demo, "STEPS", steps)


def counts():
    return (
        Shop.objects.count(),
        Product.objects.count(),
        SKU.objects.count(),
        ProductImage.objects.count(),
        User.objects.count(),
    )


def money_counts():
    return (
        ShopOrder.objects.count(),
        RefundRequest.objects.count(),
        Dispute.objects.count(),
        DisputeStatement.objects.count(),
        Withdrawal.objects.count(),
        PayoutBatch.objects.count(),
        LedgerTransaction.objects.count(),
    )


def test_demo_builds_shops_products_and_users_and_is_idempotent(build_demo, tiny_regions, settings):
    build_demo()
    first = counts()
    # 丁楼村 has 6 planned shops, 胡楼村 2; 10 products each.
    assert first[0] == 8 and first[1] == 80
    assert first[2] >= first[1] and first[3] >= first[1]
    seller_shop = Shop.objects.get(members__user__email=data.SELLER)
    assert seller_shop.village_id == "371721121227" and seller_shop.products.count() == 10
    operator = User.objects.get(email=data.OPERATOR)
    assert operator.is_staff and operator.is_superuser and operator.check_password(data.PASSWORD)
    product = Product.objects.filter(status="published").first()
    assert product.title_en and product.search_text and product.min_price_minor > 0
    assert all(1 <= p.skus.count() <= 6 for p in Product.objects.prefetch_related("skus"))
    image = ProductImage.objects.first()
    assert (settings.MEDIA_ROOT / image.image.name).stat().st_size > 1000

    # the demo buyer's orders came through checkout, a signed sandbox notification and shipping
    statuses = sorted(
        ShopOrder.objects.filter(buyer__email=data.BUYER).values_list("status", flat=True)
    )
    assert set(statuses) == {
        "awaiting_payment",
        "awaiting_shipment",
        "completed",
        "shipped",
        "closed",
    }
    money = money_counts()

    build_demo()
    assert counts() == first
    assert money_counts() == money


def test_demo_pages_render(build_demo, tiny_regions, client):
    build_demo()
    product = Product.objects.filter(status="published", shop__status="active").first()
    for url in ("/", f"/p/{product.pk}/", f"/shops/{product.shop.slug}/", "/c/costumes/"):
        assert client.get(url).status_code == 200, url
    assert product.title in client.get("/search/", {"q": product.title}).content.decode()


def test_demo_shows_the_money_through_the_real_services(build_demo, tiny_regions, client):
    build_demo()
    seller_shop = Shop.objects.get(members__user__email=data.SELLER)
    refunds = RefundRequest.objects.filter(order__shop=seller_shop)

    # settled sales: the seller has money available and a commission was taken
    balance = shop_balance(seller_shop.pk)
    assert balance.available.minor > 0 and balance.paid_out.minor > 0
    assert held_in_escrow(seller_shop.pk).minor > 0  # paid orders not yet completed
    assert LedgerTransaction.objects.filter(event=EventType.ORDER_SETTLED).count() >= 5
    # refunds in every shape the money takes
    assert refunds.filter(after_shipment=False, status="refunded").exists()  # before shipment
    returned = refunds.get(kind="return", status="refunded")
    assert returned.return_tracking_no and returned.refunded_at
    assert LedgerTransaction.objects.filter(event=EventType.REFUND_AFTER_SETTLEMENT).exists()
    assert LedgerTransaction.objects.filter(event=EventType.REFUND_BEFORE_SETTLEMENT).count() >= 2
    assert refunds.filter(status="requested").count() == 1  # waiting for the demo seller
    # rejected by the seller, now in arbitration with both sides' statements, undecided
    dispute = Dispute.objects.get(refund__order__shop=seller_shop)
    assert dispute.decided_at is None and dispute.refund.status == "disputed"
    assert set(dispute.statements.values_list("side", flat=True)) == {"buyer", "seller"}
    # a service point whose households each earned
    point = Shop.objects.get(kind="service_point")
    households = [h for h in shop_balance(point.pk).households if h.household_id]
    assert len(households) == 3 and all(h.available.minor > 0 for h in households)
    # withdrawals: one paid by hand, two by a payout batch, two in a draft batch
    statuses = sorted(Withdrawal.objects.values_list("status", flat=True))
    assert statuses == ["paid", "paid", "paid", "requested", "requested"]
    batches = dict(PayoutBatch.objects.values_list("status", "count"))
    assert batches == {"paid": 2, "draft": 2}
    # and the books balance
    assert invariants.find_violations() == []

    # the three logins see it
    client.force_login(User.objects.get(email=data.SELLER))
    page = client.get(f"/seller/balance/{seller_shop.slug}/").content.decode()
    for shown in ("Held in escrow", "settled", "Payout"):
        assert shown in page, shown
    after = refunds.get(order__status="completed", status="refunded")  # after settlement
    assert f"Refund #{after.pk}" in page or f"Refund on order #{after.order_id}" in page
    waiting = refunds.get(status="requested")
    assert client.get(f"/seller/orders/{seller_shop.slug}/refunds/{waiting.pk}/").status_code == 200
    client.force_login(User.objects.get(email=data.BUYER))
    assert client.get(f"/orders/disputes/{dispute.pk}/").status_code == 200
    client.force_login(User.objects.get(email=data.OPERATOR))
    assert str(dispute.pk) in client.get("/orders/disputes/").content.decode()
    draft = PayoutBatch.objects.get(status="draft")
    assert client.get("/operator/payouts/").status_code == 200
    assert client.get(f"/operator/payouts/batches/{draft.pk}/").status_code == 200
