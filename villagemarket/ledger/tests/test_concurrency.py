"""Races on the ledger (PostgreSQL: real concurrent transactions and row locks)."""

import functools

import pytest
from django.db import DatabaseError, transaction

from villagemarket.core.money import Money
from villagemarket.ledger import selectors, services
from villagemarket.ledger.invariants import assert_sound
from villagemarket.ledger.models import Entry, EventType, LedgerTransaction
from villagemarket.ledger.services import InsufficientBalance, OrderLine
from villagemarket.testing import make_region_tree, make_shop, make_user
from villagemarket.testing.threads import run_together

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _shop_with_settled_order(amount_minor=10_000):
    shop = make_shop(make_user("alice@example.com"), make_region_tree(), name="A", slug="a")
    services.record_payment_captured(reference="p1", provider="sandbox", amount=Money(amount_minor))
    services.settle_order(
        reference="o1",
        shop_id=shop.pk,
        lines=[OrderLine(amount=Money(amount_minor))],
        freight=Money(0),
    )
    return shop


def test_a_payment_notified_eight_times_at_once_is_captured_once():
    capture = functools.partial(
        services.record_payment_captured,
        reference="p42",
        provider="sandbox",
        amount=Money(12_345),
    )

    results = run_together(*[capture] * 8)

    assert LedgerTransaction.objects.filter(reference="p42").count() == 1
    assert {r.pk for r in results} == {LedgerTransaction.objects.get(reference="p42").pk}
    assert services.balance(services.escrow()) == Money(12_345)
    assert_sound()


def test_an_order_settled_by_two_workers_at_once_settles_once():
    shop = make_shop(make_user("alice@example.com"), make_region_tree(), name="A", slug="a")
    services.record_payment_captured(reference="p1", provider="sandbox", amount=Money(5_000))
    settle = functools.partial(
        services.settle_order,
        reference="o1",
        shop_id=shop.pk,
        lines=[OrderLine(amount=Money(5_000))],
        freight=Money(0),
    )

    results = run_together(*[settle] * 6)

    assert all(isinstance(r, LedgerTransaction) for r in results), results
    assert LedgerTransaction.objects.filter(event=EventType.ORDER_SETTLED).count() == 1
    assert services.balance(services.escrow()) == Money(0)
    assert_sound()


def test_concurrent_payouts_never_take_more_than_the_balance():
    # 95.00 available (100.00 less 5%); six payouts of 30.00 race: three fit, three must not.
    shop = _shop_with_settled_order()
    payouts = [
        functools.partial(
            services.record_payout, reference=f"w{i}", shop_id=shop.pk, amount=Money(3_000)
        )
        for i in range(6)
    ]

    results = run_together(*payouts)

    assert sum(isinstance(r, LedgerTransaction) for r in results) == 3
    assert sum(isinstance(r, InsufficientBalance) for r in results) == 3
    assert selectors.shop_balance(shop.pk).available == Money(500)
    assert_sound()


def test_the_same_payout_sent_twice_at_once_is_paid_once():
    shop = _shop_with_settled_order()
    payout = functools.partial(
        services.record_payout, reference="w1", shop_id=shop.pk, amount=Money(6_000)
    )

    results = run_together(payout, payout, payout)

    assert all(isinstance(r, LedgerTransaction) for r in results), results
    assert selectors.shop_balance(shop.pk).available == Money(3_500)


def test_postgresql_refuses_an_unbalanced_transaction_at_commit():
    # Written behind the service's back: the deferred constraint trigger catches it.
    account = services.bank()

    with pytest.raises(DatabaseError, match="does not balance"), transaction.atomic():
        txn = LedgerTransaction.objects.create(event=EventType.PAYOUT, reference="forged")
        Entry.objects.create(transaction=txn, account=account, amount_minor=-500, currency="CNY")

    assert not LedgerTransaction.objects.filter(reference="forged").exists()
