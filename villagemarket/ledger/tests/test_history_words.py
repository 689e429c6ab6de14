"""A seller's history says what each line is for ("Order #12 settled"), not "#order:12"."""

import pytest
from django.urls import reverse

from villagemarket.core.money import Money
from villagemarket.ledger import references, services, withdrawals
from villagemarket.ledger.models import EventType
from villagemarket.ledger.services import OrderLine


@pytest.mark.parametrize(
    ("event", "reference", "text", "order_id"),
    [
        (EventType.ORDER_SETTLED, "order:12", "Order #12 settled", 12),
        (EventType.REFUND_AFTER_SETTLEMENT, "refund:3", "Refund on order #12", 12),
        (EventType.REFUND_AFTER_SETTLEMENT, "refund:4", "Refund #4", None),  # order unknown
        (EventType.PAYOUT, "withdrawal:4", "Payout (withdrawal #4)", None),
        (EventType.PAYOUT, "w1", "Payout #w1", None),  # a reference of another shape
        (EventType.ORDER_SETTLED, "order:12x", "Order settled #order:12x", None),
    ],
)
def test_references_read_as_words(event, reference, text, order_id):
    described = references.describe(event, reference, refund_orders={3: 12})

    assert (described.text, described.order_id) == (text, order_id)


def test_without_a_resolver_refunds_are_named_by_their_own_number(monkeypatch):
    monkeypatch.setattr(references, "_refund_orders", None)

    assert references.refund_orders_for([(EventType.REFUND_AFTER_SETTLEMENT, "refund:3")]) == {}


@pytest.fixture
def history(alice, operator, shop_a, monkeypatch):
    """Order #12 settled (¥100.00), refund #3 on it (¥10.00), withdrawal paid (¥20.00)."""
    calls = []

    def refund_orders(ids):
        calls.append(set(ids))
        return {3: 12}

    monkeypatch.setattr(references, "_refund_orders", refund_orders)
    services.record_payment_captured(reference="p1", provider="sandbox", amount=Money(10_000))
    services.settle_order(
        reference="order:12", shop_id=shop_a.pk, lines=[OrderLine(Money(10_000))], freight=Money(0)
    )
    services.refund_after_settlement(
        reference="refund:3", provider="sandbox", shop_id=shop_a.pk, amount=Money(1_000)
    )
    request = withdrawals.request_withdrawal(user=alice, shop=shop_a, amount=Money(2_000))
    withdrawals.pay_withdrawal(operator=operator, withdrawal_id=request.pk)
    return request, calls


@pytest.mark.django_db
def test_the_balance_page_says_what_each_line_is_for(people, shop_a, history):
    request, calls = history

    text = people["alice"].get(reverse("seller_ledger:balance", args=[shop_a.slug])).text

    order_url = reverse("seller_orders:detail", args=[shop_a.slug, 12])
    assert f'<a href="{order_url}">Order #12 settled</a>' in text
    assert f'<a href="{order_url}">Refund on order #12</a>' in text
    assert f"Payout (withdrawal #{request.pk})" in text
    assert "#order:12" not in text and "#refund:3" not in text
    assert calls == [{3}]  # one look-up for the whole page


@pytest.mark.django_db
def test_the_entries_api_says_what_each_line_is_for(people, shop_a, history):
    request, _calls = history

    items = people["alice"].get(f"/api/v1/ledger/shops/{shop_a.slug}/entries").json()["items"]

    assert [(e["description"], e["order_id"]) for e in items] == [
        (f"Payout (withdrawal #{request.pk})", None),
        ("Refund on order #12", 12),
        ("Order #12 settled", 12),
    ]


@pytest.mark.django_db
def test_a_correction_says_what_it_undid(people, shop_a, operator):
    services.record_payment_captured(reference="p1", provider="sandbox", amount=Money(10_000))
    settled = services.settle_order(
        reference="order:12", shop_id=shop_a.pk, lines=[OrderLine(Money(10_000))], freight=Money(0)
    )
    services.reverse(settled, reason="posted to the wrong shop")

    text = people["alice"].get(reverse("seller_ledger:balance", args=[shop_a.slug])).text

    assert "Correction: Order #12 settled" in text and "posted to the wrong shop" in text
