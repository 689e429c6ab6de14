"""Random sequences of the whole money flow over the real services (no stand-ins for our code):
checkout across shops, sandbox payment notifications (sometimes delivered twice), shipping,
confirmation by the buyer or by the clock, refunds before shipment, after shipment (the seller
approves, rejects or stays silent; goods come back or not) and after settlement, disputes the
operator decides, withdrawals an operator pays or refuses, cancelled and timed-out checkouts.

After every step every invariant of DESIGN.md holds (ledger/invariants.py for the ledger alone,
money_invariants.py for what needs the orders' side), and the database agrees with a simple
model of what each step should have done. `STEPS` counts the steps run; the test prints it.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import os
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Now
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from villagemarket.catalog.models import SKU, Category
from villagemarket.catalog.services.products import create_product, publish_product
from villagemarket.core.errors import Conflict, OutOfStock
from villagemarket.core.money import Money
from villagemarket.ledger import withdrawals
from villagemarket.ledger.invariants import EscrowFacts, assert_sound
from villagemarket.ledger.models import AccountKind, CategoryCommission, Entry, Withdrawal
from villagemarket.ledger.rules import MIN_WITHDRAWAL_MINOR
from villagemarket.ledger.selectors import shop_balance
from villagemarket.ledger.services import InsufficientBalance
from villagemarket.orders import services
from villagemarket.orders.models import RefundRequest, ShopOrder
from villagemarket.payments import services as payments
from villagemarket.payments.models import Payment
from villagemarket.payments.providers import sandbox
from villagemarket.shipping.services import save_template
from villagemarket.shops.models import Household
from villagemarket.testing import make_region_tree, make_shop, make_user

from .money_invariants import all_problems, payable_problems

STEPS = {"steps": 0, "runs": 0}

OPEN = ("requested", "awaiting_return", "returning", "disputed")
PAST = Now() - datetime.timedelta(days=1)  # "the deadline has passed", by the database's clock


@dataclass
class OrderModel:
    pk: int
    buyer: int
    payment: int
    total: int
    status: str = "awaiting_payment"
    refunded: int = 0
    claimed: int = 0
    settled: bool = False
    due: bool = False  # its automatic confirmation time has passed


@dataclass
class RefundModel:
    pk: int
    order: int
    amount: int
    kind: str
    status: str
    disputed: bool = False


@dataclass
class PaymentModel:
    pk: int
    amount: int
    orders: list[int] = field(default_factory=list)
    paid: bool = False
    trade_no: str = ""


@dataclass
class Market:
    operator: object
    owner: object
    buyers: list
    addresses: list
    shops: dict
    payables: list  # (shop id, household id) of every payable that may earn money
    skus: list
    initial_stock: dict


MARKET: dict[str, Market] = {}


def open_the_market() -> Market:
    """Two buyers; shop A (two categories, one with its own commission), shop B (charges
    freight), service point C selling for two households; five SKUs with little stock."""
    village = make_region_tree()
    buyers = [make_user(f"buyer{i}@example.com") for i in range(2)]
    addresses = [
        services.save_address(
            user=b,
            region_code="371721121",
            detail="丁楼村 3 组",
            recipient="王芳",
            mobile="13912345678",
        )
        for b in buyers
    ]
    owner = make_user("owner@example.com")
    costumes = Category.objects.create(slug="costumes", name="演出服饰", name_en="Costumes")
    food = Category.objects.create(slug="food", name="食品", name_en="Food")
    CategoryCommission.objects.create(category=food, rate_bp=250)
    alice = make_shop(owner, village, name="A", slug="a")
    bob = make_shop(owner, village, name="B", slug="b")
    point = make_shop(owner, village, name="C", slug="c", kind="service_point")
    # Bob charges freight: ¥8 for the first item, ¥2.50 for each further one.
    save_template(
        shop=bob,
        name="全国",
        basis="piece",
        rules=[{"provinces": [], "first_minor": 800, "additional_minor": 250}],
    )
    homes = [Household.objects.create(shop=point, name=n, village=village) for n in "王李"]
    stock: dict[int, int] = {}

    def sku(shop, category, price, quantity, household=None):
        product = create_product(
            owner,
            shop,
            {"title": f"货{len(stock)}", "category": category, "household": household},
            skus=[{"price": price, "stock": quantity, "options": {}}],
        )
        publish_product(owner, product.pk)
        made = product.skus.get()
        stock[made.pk] = quantity
        return made.pk

    skus = [
        sku(alice, costumes, "99.00", 6),
        sku(alice, food, "12.34", 9),
        sku(bob, costumes, "250.00", 4),
        sku(point, food, "7.77", 8, homes[0]),
        sku(point, costumes, "33.33", 5, homes[1]),
    ]
    return Market(
        operator=make_user("operator@example.com", staff=True),
        owner=owner,
        buyers=buyers,
        addresses=addresses,
        shops={alice.pk: alice, bob.pk: bob, point.pk: point},
        payables=[(alice.pk, None), (bob.pk, None), *((point.pk, h.pk) for h in homes)],
        skus=skus,
        initial_stock=stock,
    )


class MoneyMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each run in one transaction, rolled back at teardown: runs do not see each other.
        # It stands where Django's TestCase wraps a test, and says so as TestCase does, so the
        # services treat it as the test's wrapper, not as a caller's transaction still open
        # (refund_payments pays out only after a caller's transaction commits).
        self._atomic = transaction.atomic()
        self._atomic._from_testcase = True
        self._atomic.__enter__()
        self.numbers = itertools.count(1)
        self.orders: dict[int, OrderModel] = {}
        self.refunds: dict[int, RefundModel] = {}
        self.payments: dict[int, PaymentModel] = {}
        self.stock: dict[int, int] = {}
        self.captured = self.refunded_before = self.settled_gross = 0
        STEPS["runs"] += 1

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- the market ---------------------------------------------------------------------

    @initialize()
    def enter_the_market(self):
        # The market is made once per test (see open_the_market); each run starts from it.
        for name, value in vars(MARKET["now"]).items():
            setattr(self, name, value)
        self.stock = dict(self.initial_stock)

    def _step(self):
        STEPS["steps"] += 1

    def _orders(self, *statuses, **where):
        return sorted(
            pk
            for pk, o in self.orders.items()
            if o.status in statuses and all(getattr(o, k) == v for k, v in where.items())
        )

    def _open_refund(self, order_pk):
        return any(r.order == order_pk and r.status in OPEN for r in self.refunds.values())

    # --- checkout and payment -----------------------------------------------------------

    @rule(
        buyer=st.integers(0, 1),
        items=st.lists(st.tuples(st.integers(0, 4), st.integers(1, 3)), min_size=1, max_size=4),
    )
    def checkout(self, buyer, items):
        self._step()
        self._checkout(buyer, items)

    def _checkout(self, buyer, items):
        wanted: dict[int, int] = {}
        for index, quantity in items:
            wanted[self.skus[index]] = wanted.get(self.skus[index], 0) + quantity
        place = lambda: services.place_order(  # noqa: E731
            buyer=self.buyers[buyer],
            address_id=self.addresses[buyer].pk,
            items=[(self.skus[i], q) for i, q in items],
        )
        if any(q > self.stock[sku] for sku, q in wanted.items()):
            with pytest.raises(OutOfStock):
                place()
            return
        result = place()
        assert result.payment.amount_minor == sum(o.total_minor for o in result.orders)
        shops = {SKU.objects.get(pk=s).product.shop_id for s in wanted}
        assert {o.shop_id for o in result.orders} == shops  # one order per shop
        for sku, quantity in wanted.items():
            self.stock[sku] -= quantity
        model = PaymentModel(result.payment.pk, result.payment.amount_minor)
        for order in result.orders:
            self.orders[order.pk] = OrderModel(order.pk, buyer, model.pk, order.total_minor)
            model.orders.append(order.pk)
        self.payments[model.pk] = model

    @rule(buyer=st.integers(0, 1), sku=st.integers(0, 4), quantity=st.integers(1, 2))
    def an_order_goes_all_the_way(self, buyer, sku, quantity):
        # Checkout, pay, ship and confirm in one step: the same services as the rules above,
        # so that runs reach settled orders (and refunds after settlement, payouts) more often.
        self._step()
        if quantity > self.stock[self.skus[sku]]:
            return
        self._checkout(buyer, [(sku, quantity)])
        payment = self.payments[max(self.payments)]
        self._pay(payment, twice=False)
        self._ship(self.orders[payment.orders[0]])
        self._confirm(self.orders[payment.orders[0]])

    def _notify(self, payment: PaymentModel, trade_no: str):
        row = Payment.objects.get(pk=payment.pk)
        body = sandbox.notification_body(row, trade_no=trade_no, outcome="succeeded")
        return payments.receive_notification("sandbox", sandbox.signed_headers(body), body)

    @precondition(lambda self: self._payable())
    @rule(data=st.data(), twice=st.booleans())
    def pay(self, data, twice):
        self._step()
        self._pay(self.payments[data.draw(st.sampled_from(self._payable()))], twice)

    def _pay(self, payment: PaymentModel, twice: bool):
        payment.trade_no = f"SBX{next(self.numbers)}"
        assert self._notify(payment, payment.trade_no).result == "processed"
        if twice:  # the provider delivers the same notification again
            assert self._notify(payment, payment.trade_no).result == "duplicate"
        payment.paid = True
        self.captured += payment.amount
        for pk in payment.orders:
            self.orders[pk].status = "awaiting_shipment"

    def _payable(self):
        return sorted(
            p.pk
            for p in self.payments.values()
            if not p.paid and any(self.orders[o].status == "awaiting_payment" for o in p.orders)
        )

    def _stranded(self):
        return sorted(
            p.pk
            for p in self.payments.values()
            if not p.paid and all(self.orders[o].status == "closed" for o in p.orders)
        )

    @precondition(lambda self: self._stranded())
    @rule(data=st.data())
    def a_success_arrives_after_the_checkout_closed(self, data):
        # Honoured (the money was taken) and flagged to be returned; the orders stay closed.
        self._step()
        payment = self.payments[data.draw(st.sampled_from(self._stranded()))]
        assert self._notify(payment, f"SBX{next(self.numbers)}").result == "processed"
        assert Payment.objects.get(pk=payment.pk).needs_refund
        payment.paid = True
        self.captured += payment.amount

    @precondition(lambda self: self._orders("awaiting_payment"))
    @rule(data=st.data(), by_clock=st.booleans())
    def cancel_or_time_out_unpaid(self, data, by_clock):
        self._step()
        order = self.orders[data.draw(st.sampled_from(self._orders("awaiting_payment")))]
        siblings = self.payments[order.payment].orders
        if by_clock:
            ShopOrder.objects.filter(pk__in=siblings).update(
                created_at=Now() - datetime.timedelta(hours=1)
            )
            assert services.close_unpaid_orders() == len(siblings)
        else:
            closed = services.cancel_unpaid(buyer=self.buyers[order.buyer], order_id=order.pk)
            assert sorted(o.pk for o in closed) == sorted(siblings)
        for pk in siblings:
            self.orders[pk].status = "closed"
            self._give_back_stock(pk)

    def _give_back_stock(self, order_pk):
        for line in ShopOrder.objects.get(pk=order_pk).lines.all():
            self.stock[line.sku_id] += line.quantity

    # --- fulfilment -----------------------------------------------------------------------

    @precondition(lambda self: self._orders("awaiting_shipment"))
    @rule(data=st.data())
    def ship(self, data):
        self._step()
        self._ship(self.orders[data.draw(st.sampled_from(self._orders("awaiting_shipment")))])

    def _ship(self, order: OrderModel):
        services.ship_order(
            shop=ShopOrder.objects.get(pk=order.pk).shop,
            order_id=order.pk,
            carrier="中通快递",
            tracking_no=f"ZT{order.pk:010d}",
        )
        order.status = "shipped"

    def _complete(self, order: OrderModel):
        order.status = "completed"
        order.settled = True
        self.settled_gross += order.total - order.refunded

    @precondition(lambda self: self._orders("shipped"))
    @rule(data=st.data())
    def confirm_receipt(self, data):
        self._step()
        self._confirm(self.orders[data.draw(st.sampled_from(self._orders("shipped")))])

    def _confirm(self, order: OrderModel):
        services.confirm_receipt(buyer=self.buyers[order.buyer], order_id=order.pk)
        self._complete(order)

    @precondition(lambda self: self._orders("shipped"))
    @rule(data=st.data())
    def auto_confirm(self, data):
        # The clock passes one order's automatic confirmation; the sweep completes every order
        # whose time has passed, except those an open refund request pauses.
        self._step()
        order = self.orders[data.draw(st.sampled_from(self._orders("shipped")))]
        ShopOrder.objects.filter(pk=order.pk).update(auto_complete_at=PAST)
        order.due = True
        due = [pk for pk in self._orders("shipped", due=True) if not self._open_refund(pk)]
        assert services.auto_complete_orders() == len(due)
        for pk in due:
            self._complete(self.orders[pk])

    # --- refunds --------------------------------------------------------------------------

    def _refundable(self, *statuses):
        return [
            pk
            for pk in self._orders(*statuses)
            if not self._open_refund(pk) and self.orders[pk].claimed < self.orders[pk].total
        ]

    def _ask(self, order: OrderModel, share: int, too_much: bool, kind: str, reason: str):
        left = order.total - order.claimed
        amount = left + 1 if too_much else max(1, left * share // 100)
        ask = lambda: services.request_refund(  # noqa: E731
            buyer=self.buyers[order.buyer],
            order_id=order.pk,
            amount=Money(amount),
            reason=reason,
            kind=kind,
        )
        if too_much:
            with pytest.raises(Conflict) as refused:
                ask()
            assert refused.value.code == "refund_exceeds_refundable"
            return None
        refund = ask()
        order.claimed += amount
        self.refunds[refund.pk] = RefundModel(refund.pk, order.pk, amount, kind, "requested")
        return self.refunds[refund.pk]

    @precondition(lambda self: self._refundable("awaiting_shipment"))
    @rule(data=st.data(), share=st.sampled_from([100, 50, 1]), too_much=st.booleans())
    def refund_before_shipment(self, data, share, too_much):
        self._step()
        order = self.orders[data.draw(st.sampled_from(self._refundable("awaiting_shipment")))]
        refund = self._ask(order, share, too_much, "money_only", "changed_mind")
        if refund is not None:  # granted at once
            self._pay_back(refund)

    @precondition(lambda self: self._refundable("shipped", "completed"))
    @rule(
        data=st.data(),
        share=st.sampled_from([100, 50, 1]),
        too_much=st.booleans(),
        kind=st.sampled_from(["money_only", "return"]),
    )
    def refund_after_shipment(self, data, share, too_much, kind):
        # On a completed order this is a refund after settlement.
        self._step()
        order = self.orders[data.draw(st.sampled_from(self._refundable("shipped", "completed")))]
        self._ask(order, share, too_much, kind, "damaged")

    def _pay_back(self, refund: RefundModel):
        order = self.orders[refund.order]
        refund.status = "refunded"
        order.refunded += refund.amount
        if not order.settled:
            self.refunded_before += refund.amount
        if order.refunded == order.total and order.status in ("awaiting_shipment", "shipped"):
            if order.status == "awaiting_shipment":
                self._give_back_stock(order.pk)
            order.status = "closed"

    def _end_without_refund(self, refund: RefundModel, status: str):
        refund.status = status
        self.orders[refund.order].claimed -= refund.amount

    def _refunds(self, *statuses, disputed=None):
        return sorted(
            pk
            for pk, r in self.refunds.items()
            if r.status in statuses and (disputed is None or r.disputed == disputed)
        )

    def _seller(self, refund: RefundModel):
        return ShopOrder.objects.get(pk=refund.order).shop

    @precondition(lambda self: self._refunds("requested"))
    @rule(data=st.data(), answer=st.sampled_from(["approve", "reject", "silence"]))
    def seller_answers(self, data, answer):
        self._step()
        refund = self.refunds[data.draw(st.sampled_from(self._refunds("requested")))]
        shop = self._seller(refund)
        if answer == "reject":
            services.reject_refund(shop=shop, refund_id=refund.pk, note="货没问题")
            self._end_without_refund(refund, "rejected")
            return
        if answer == "approve":
            services.approve_refund(shop=shop, refund_id=refund.pk)
        else:  # the seller's deadline passes; silence approves
            RefundRequest.objects.filter(pk=refund.pk).update(seller_due_at=PAST)
            assert services.sweep_refund_deadlines() == 1
        if refund.kind == "return":
            refund.status = "awaiting_return"
        else:
            self._pay_back(refund)

    @precondition(lambda self: self._refunds("awaiting_return"))
    @rule(data=st.data())
    def buyer_ships_back(self, data):
        self._step()
        refund = self.refunds[data.draw(st.sampled_from(self._refunds("awaiting_return")))]
        services.ship_back(
            buyer=self.buyers[self.orders[refund.order].buyer],
            refund_id=refund.pk,
            carrier="中通快递",
            tracking_no=f"ZR{refund.pk:010d}",
        )
        refund.status = "returning"

    @precondition(lambda self: self._refunds("returning"))
    @rule(data=st.data(), silence=st.booleans())
    def seller_confirms_return(self, data, silence):
        self._step()
        refund = self.refunds[data.draw(st.sampled_from(self._refunds("returning")))]
        if silence:
            RefundRequest.objects.filter(pk=refund.pk).update(return_due_at=PAST)
            assert services.sweep_refund_deadlines() == 1
        else:
            services.confirm_return(shop=self._seller(refund), refund_id=refund.pk)
        self._pay_back(refund)

    @precondition(lambda self: self._refunds("requested", "awaiting_return", "returning"))
    @rule(data=st.data())
    def buyer_withdraws_a_request(self, data):
        self._step()
        candidates = self._refunds("requested", "awaiting_return")
        if not candidates:
            return
        refund = self.refunds[data.draw(st.sampled_from(candidates))]
        services.cancel_refund(
            buyer=self.buyers[self.orders[refund.order].buyer], refund_id=refund.pk
        )
        self._end_without_refund(refund, "cancelled")

    def _disputable(self):
        return self._refunds(
            "requested", "awaiting_return", "returning", "rejected", disputed=False
        )

    @precondition(lambda self: self._disputable())
    @rule(data=st.data(), by_seller=st.booleans(), for_buyer=st.booleans())
    def dispute(self, data, by_seller, for_buyer):
        self._step()
        refund = self.refunds[data.draw(st.sampled_from(self._disputable()))]
        order = self.orders[refund.order]
        rejected = refund.status == "rejected"
        user = self.owner if by_seller and not rejected else self.buyers[order.buyer]
        open_ = lambda: services.open_dispute(  # noqa: E731
            user=user, refund_id=refund.pk, text="看照片"
        )
        if rejected and refund.amount > order.total - order.claimed:
            with pytest.raises(Conflict) as refused:
                open_()
            assert refused.value.code == "refund_exceeds_refundable"
            return
        if rejected and self._open_refund(order.pk):
            # Another request is open on the order meanwhile: a clear refusal, nothing changes.
            with pytest.raises(Conflict) as refused:
                open_()
            assert refused.value.code == "refund_already_open"
            return
        dispute = open_()
        refund.disputed = True
        refund.status = "disputed"
        if rejected:
            order.claimed += refund.amount
        services.decide_dispute(
            operator=self.operator, dispute_id=dispute.pk, for_buyer=for_buyer, note="依据照片"
        )
        if for_buyer:
            self._pay_back(refund)
        else:
            self._end_without_refund(refund, "rejected")

    # --- payouts --------------------------------------------------------------------------

    def _available(self, shop_id, household_id):
        owed = -(
            Entry.objects.filter(
                account__kind=AccountKind.SELLER_PAYABLE,
                account__shop_id=shop_id,
                account__household_id=household_id,
            ).aggregate(s=Sum("amount_minor"))["s"]
            or 0
        )
        pending = (
            Withdrawal.objects.filter(
                shop_id=shop_id, household_id=household_id, status="requested"
            ).aggregate(s=Sum("amount_minor"))["s"]
            or 0
        )
        return owed, owed - pending

    @rule(
        payable=st.integers(0, 3),
        share=st.sampled_from([100, 60, 10]),
        too_much=st.booleans(),
        then=st.sampled_from(["pay", "reject", "wait"]),
    )
    def withdraw(self, payable, share, too_much, then):
        self._step()
        shop_id, household_id = self.payables[payable]
        _owed, available = self._available(shop_id, household_id)
        amount = available + 1 if too_much else available * share // 100
        amount = max(amount, MIN_WITHDRAWAL_MINOR)
        ask = lambda: withdrawals.request_withdrawal(  # noqa: E731
            user=self.owner,
            shop=self.shops[shop_id],
            amount=Money(amount),
            household_id=household_id,
        )
        if amount > available:
            with pytest.raises(InsufficientBalance):
                ask()
            return
        withdrawal = ask()
        if then == "pay":
            withdrawals.pay_withdrawal(operator=self.operator, withdrawal_id=withdrawal.pk)
        elif then == "reject":
            withdrawals.reject_withdrawal(
                operator=self.operator, withdrawal_id=withdrawal.pk, reason="账户信息不符"
            )

    @precondition(lambda self: Withdrawal.objects.filter(status="requested").exists())
    @rule()
    def operator_pays_the_oldest_waiting_withdrawal(self):
        # A refund after settlement may have taken the money meanwhile: then it is refused.
        self._step()
        withdrawal = Withdrawal.objects.filter(status="requested").order_by("pk").first()
        owed, _available = self._available(withdrawal.shop_id, withdrawal.household_id)
        pay = lambda: withdrawals.pay_withdrawal(  # noqa: E731
            operator=self.operator, withdrawal_id=withdrawal.pk
        )
        if withdrawal.amount_minor > owed:
            with pytest.raises(InsufficientBalance):
                pay()
            withdrawals.reject_withdrawal(
                operator=self.operator, withdrawal_id=withdrawal.pk, reason="余额不足"
            )
        else:
            pay()

    # --- after every step -----------------------------------------------------------------

    @invariant()
    def the_money_adds_up(self):
        if not hasattr(self, "skus"):
            return
        assert_sound(
            [
                EscrowFacts(
                    Money(self.captured), Money(self.refunded_before), Money(self.settled_gross)
                )
            ]
        )
        problems = all_problems(self.initial_stock)
        assert not problems, "\n".join(problems)

    @invariant()
    def the_database_agrees_with_the_model(self):
        if not hasattr(self, "skus"):
            return
        orders = {
            pk: (status, refunded, claimed)
            for pk, status, refunded, claimed in ShopOrder.objects.values_list(
                "pk", "status", "refunded_minor", "refund_claimed_minor"
            )
        }
        assert orders == {pk: (o.status, o.refunded, o.claimed) for pk, o in self.orders.items()}
        assert dict(RefundRequest.objects.values_list("pk", "status")) == {
            pk: r.status for pk, r in self.refunds.items()
        }
        assert dict(SKU.objects.values_list("pk", "stock")) == self.stock


@pytest.mark.django_db
def test_random_money_flows_across_shops_keep_every_invariant(record_property):
    MARKET["now"] = open_the_market()
    try:
        run_state_machine_as_test(
            MoneyMachine,
            settings=settings(
                max_examples=int(os.environ.get("VM_MONEY_EXAMPLES", "25")),
                stateful_step_count=int(os.environ.get("VM_MONEY_STEPS", "40")),
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            ),
        )
    finally:  # also when it fails: how far it got (shrinking runs count too)
        record_property("stateful_steps", STEPS["steps"])
        print(f"\nmoney state machine: {STEPS['steps']} steps in {STEPS['runs']} runs")
    assert STEPS["steps"] > 0


@pytest.mark.django_db
def test_a_service_points_refund_after_settlement_comes_from_the_household_that_sold():
    # The shortest sequence the machine above finds: a household's sale settles to that
    # household's payable; a refund after settlement must come back out of that payable, not
    # out of the service point's own (which earned nothing and would go below zero while the
    # household could still withdraw the refunded money).
    market = open_the_market()
    buyer, address = market.buyers[0], market.addresses[0]
    point_sku = market.skus[3]  # sold by household 王 of service point C
    # given a completed order of a household's goods, settled to that household
    order = services.place_order(buyer=buyer, address_id=address.pk, items=[(point_sku, 1)])
    body = sandbox.notification_body(order.payment, trade_no="SBX1", outcome="succeeded")
    payments.receive_notification("sandbox", sandbox.signed_headers(body), body)
    shop = order.orders[0].shop
    services.ship_order(
        shop=shop, order_id=order.orders[0].pk, carrier="中通快递", tracking_no="ZT1234567890"
    )
    services.confirm_receipt(buyer=buyer, order_id=order.orders[0].pk)
    assert payable_problems() == []
    # when the buyer gets everything back after settlement
    refund = services.request_refund(
        buyer=buyer,
        order_id=order.orders[0].pk,
        amount=Money(order.orders[0].total_minor),
        reason="damaged",
        kind="money_only",
    )
    services.approve_refund(shop=shop, refund_id=refund.pk)
    # then the household that sold gives it back, and no payable is below zero
    assert payable_problems() == []
    balances = {
        part.household_id: part.available.minor for part in shop_balance(shop.pk).households
    }
    assert all(v == 0 for v in balances.values()), balances


@pytest.mark.django_db
def test_partial_refunds_of_a_two_household_order_give_back_exactly_what_each_earned():
    # An order with goods of both households of service point C, settled, then refunded in three
    # uneven parts: each household returns its share of each part, and after the last one
    # every payable is back at zero (the commission too), to the fen.
    market = open_the_market()
    buyer, address = market.buyers[0], market.addresses[0]
    placed = services.place_order(
        buyer=buyer, address_id=address.pk, items=[(market.skus[3], 3), (market.skus[4], 2)]
    )
    body = sandbox.notification_body(placed.payment, trade_no="SBX2", outcome="succeeded")
    payments.receive_notification("sandbox", sandbox.signed_headers(body), body)
    order = placed.orders[0]
    services.ship_order(
        shop=order.shop, order_id=order.pk, carrier="中通快递", tracking_no="ZT1234567891"
    )
    services.confirm_receipt(buyer=buyer, order_id=order.pk)
    earned = {p.household_id: p.available.minor for p in shop_balance(order.shop_id).households}
    assert len([v for v in earned.values() if v]) == 2, earned
    total = order.total_minor
    for part in (total // 3, total // 7, total - total // 3 - total // 7):
        refund = services.request_refund(
            buyer=buyer, order_id=order.pk, amount=Money(part), reason="damaged", kind="money_only"
        )
        services.approve_refund(shop=order.shop, refund_id=refund.pk)
        assert payable_problems() == []
        left = {p.household_id: p.available.minor for p in shop_balance(order.shop_id).households}
        # each household still holds between nothing and what it earned
        assert all(0 <= left[h] <= earned[h] for h in earned), (left, earned)
    left = {p.household_id: p.available.minor for p in shop_balance(order.shop_id).households}
    assert all(v == 0 for v in left.values()), left


@pytest.mark.django_db
def test_contesting_a_rejection_while_another_request_is_open_is_a_clear_refusal():
    # The machine's `dispute` rule expects this: the order already has an open request, so
    # re-opening the rejected one (as "disputed", an open status) is refused with a Conflict
    # that says so, and nothing changes (not a database error from the one-open-request index).
    market = open_the_market()
    buyer, address = market.buyers[0], market.addresses[0]
    placed = services.place_order(buyer=buyer, address_id=address.pk, items=[(market.skus[0], 2)])
    body = sandbox.notification_body(placed.payment, trade_no="SBX1", outcome="succeeded")
    payments.receive_notification("sandbox", sandbox.signed_headers(body), body)
    order = placed.orders[0]
    services.ship_order(
        shop=order.shop, order_id=order.pk, carrier="中通快递", tracking_no="ZT1234567890"
    )
    ask = functools.partial(
        services.request_refund, buyer=buyer, order_id=order.pk, reason="damaged", kind="money_only"
    )
    # given a rejected request and, after it, another one still open
    first = ask(amount=Money(1000))
    services.reject_refund(shop=order.shop, refund_id=first.pk, note="货没问题")
    second = ask(amount=Money(500))
    # when the buyer contests the rejection
    with pytest.raises(Conflict) as refused:
        services.open_dispute(user=buyer, refund_id=first.pk, text="看照片")
    # then
    assert refused.value.code == "refund_already_open"
    assert dict(RefundRequest.objects.values_list("pk", "status")) == {
        first.pk: "rejected",
        second.pk: "requested",
    }
    assert ShopOrder.objects.get(pk=order.pk).refund_claimed_minor == 500
