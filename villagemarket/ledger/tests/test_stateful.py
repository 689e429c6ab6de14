"""Random sequences of payments, settlements, refunds, payouts, reversals and replays: after every
step the ledger's invariants hold and each shop's balance is what a simple model says."""

import functools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from villagemarket.core.money import Money
from villagemarket.ledger import rules, selectors, services
from villagemarket.ledger.invariants import EscrowFacts, assert_sound
from villagemarket.ledger.services import InsufficientBalance, OrderLine
from villagemarket.shops.models import Household
from villagemarket.testing import make_region_tree, make_shop, make_user

amounts = st.integers(1, 50_000)


class LedgerMachine(RuleBasedStateMachine):
    paid = Bundle("paid")
    settled = Bundle("settled")
    payouts = Bundle("payouts")

    def __init__(self):
        super().__init__()
        # Each run in its own transaction, rolled back at teardown (the test's own data too).
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.counter = 0
        self.captured = self.refunded = self.settled_gross = 0
        # (shop id, household id or None) -> what that payable should hold
        self.available: dict[tuple[int, int | None], int] = {}

    @initialize()
    def open_shops(self):
        village = make_region_tree()
        owner = make_user("owner@example.com")
        plain = make_shop(owner, village, name="A", slug="a")
        point = make_shop(owner, village, name="B", slug="b", kind="service_point")
        homes = [
            Household.objects.create(shop=point, name=n, village=village) for n in ("王", "李")
        ]
        self.sellers = [(plain, [None]), (point, [h.pk for h in homes])]
        self.available = {(plain.pk, None): 0, (point.pk, None): 0}
        self.available |= {(point.pk, h.pk): 0 for h in homes}

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _ref(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}"

    @rule(
        target=paid,
        seller=st.integers(0, 1),
        goods=st.lists(st.tuples(amounts, st.integers(0, 1)), min_size=1, max_size=3),
        freight=st.integers(0, 2_000),
    )
    def pay(self, seller, goods, freight):
        shop, households = self.sellers[seller]
        lines = [
            OrderLine(Money(a), household_id=households[h % len(households)]) for a, h in goods
        ]
        total = sum(a for a, _h in goods) + freight
        reference = self._ref("p")
        services.record_payment_captured(
            reference=reference, provider="sandbox", amount=Money(total)
        )
        self.captured += total
        return (reference, shop, lines, Money(freight), total)

    @rule(order=paid)
    def replay_a_notification(self, order):
        # A duplicated notification posts nothing more.
        reference, _shop, _lines, _freight, total = order
        services.record_payment_captured(
            reference=reference, provider="sandbox", amount=Money(total)
        )

    @rule(target=settled, order=consumes(paid))
    def confirm_receipt(self, order):
        reference, shop, lines, freight, total = order
        services.settle_order(reference=reference, shop_id=shop.pk, lines=lines, freight=freight)
        split = rules.split_settlement(
            [
                rules.SettlementLine(line.amount, shop.commission_bp, line.household_id)
                for line in lines
            ],
            freight,
        )
        for household_id, earned in split.payables.items():
            self.available[(shop.pk, household_id)] += earned.minor
        self.settled_gross += total
        # A refund after settlement comes from the household that sold the first line.
        return (reference, shop, lines[0].household_id, total)

    @rule(order=consumes(paid))
    def refund_before_shipment(self, order):
        reference, _shop, _lines, _freight, total = order
        services.refund_before_settlement(
            reference=reference, provider="sandbox", amount=Money(total)
        )
        self.refunded += total

    @rule(order=consumes(settled), part=st.integers(1, 100))
    def refund_after_settlement(self, order, part):
        reference, shop, household_id, total = order
        key = (shop.pk, household_id)
        amount = max(1, total * part // 100)
        kwargs = dict(
            reference=reference,
            provider="sandbox",
            shop_id=shop.pk,
            household_id=household_id,
            amount=Money(amount),
        )
        if amount > self.available[key]:
            with pytest.raises(InsufficientBalance):
                services.refund_after_settlement(**kwargs)
            services.refund_after_settlement(reason="already paid out", **kwargs)
        else:
            services.refund_after_settlement(**kwargs)
        self.available[key] -= amount

    @rule(target=payouts, seller=st.integers(0, 1), home=st.integers(0, 1), amount=amounts)
    def withdraw(self, seller, home, amount):
        shop, households = self.sellers[seller]
        household_id = households[home % len(households)]
        key = (shop.pk, household_id)
        payout = functools.partial(
            services.record_payout,
            reference=self._ref("w"),
            shop_id=shop.pk,
            household_id=household_id,
            amount=Money(amount),
        )
        if amount > self.available[key]:
            with pytest.raises(InsufficientBalance):
                payout()
            return None
        txn = payout()
        self.available[key] -= amount
        return (txn, key, amount)

    @rule(payout=consumes(payouts))
    def bank_returns_a_transfer(self, payout):
        if payout is None:
            return
        txn, key, amount = payout
        services.reverse(txn, reason="bank returned the transfer")
        services.reverse(txn, reason="clicked twice")  # a transaction reverses once
        self.available[key] += amount

    @invariant()
    def the_books_hold(self):
        if not self.available:
            return
        assert_sound(
            [EscrowFacts(Money(self.captured), Money(self.refunded), Money(self.settled_gross))]
        )
        for shop, _households in self.sellers:
            parts = {
                part.household_id: part.available.minor
                for part in selectors.shop_balance(shop.pk).households
            }
            expected = {h: v for (s, h), v in self.available.items() if s == shop.pk}
            # An account appears once something was posted to it.
            assert parts == {h: v for h, v in expected.items() if h in parts}
            assert all(v == 0 for h, v in expected.items() if h not in parts)


@pytest.mark.django_db
def test_random_money_flows_keep_the_ledger_sound():
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=15,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
