"""Payout batches: an operator chooses requests, downloads the bank file, marks the batch paid."""

import csv
import functools
import io

import pytest

from villagemarket.core.errors import Conflict, Forbidden, IllegalTransition, Invalid
from villagemarket.core.money import Money
from villagemarket.ledger import payouts, selectors, services, withdrawals
from villagemarket.ledger.invariants import assert_sound
from villagemarket.ledger.models import EventType, LedgerTransaction, PayoutBatch, Withdrawal
from villagemarket.ledger.payouts import BatchRefused
from villagemarket.ledger.services import OrderLine
from villagemarket.shops.models import Household
from villagemarket.testing import make_region_tree, make_shop, make_user
from villagemarket.testing.threads import run_together

pytestmark = pytest.mark.django_db


def earn(shop, minor=10_000, household_id=None, reference="o1"):
    """The shop sold `minor` of goods (5% commission) and the buyer confirmed receipt."""
    services.record_payment_captured(
        reference=f"p-{reference}", provider="sandbox", amount=Money(minor)
    )
    services.settle_order(
        reference=reference,
        shop_id=shop.pk,
        lines=[OrderLine(Money(minor), household_id=household_id)],
        freight=Money(0),
    )


def bank(operator, shop, holder="Alice Wang", number="6222 0212 3456 7890", **kwargs):
    return payouts.set_bank_account(
        operator=operator,
        shop=shop,
        holder_name=holder,
        bank_name="中国农业银行",
        branch="曹县支行",
        account_number=number,
        **kwargs,
    )


def ask(user, shop, text, **kwargs):
    return withdrawals.request_withdrawal(user=user, shop=shop, amount=Money.parse(text), **kwargs)


@pytest.fixture
def two_requests(alice, bob, operator, shop_a, shop_b):
    earn(shop_a, reference="oa")
    earn(shop_b, reference="ob")
    bank(operator, shop_a)
    bank(operator, shop_b, holder="Bob Li", number="6228480000000001")
    return ask(alice, shop_a, "60.50"), ask(bob, shop_b, "20.00")


def rows_of(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_batch_holds_its_requests_and_their_total(operator, two_requests):
    batch = payouts.create_batch(operator, [w.pk for w in two_requests])

    assert (batch.status, batch.count, batch.total) == ("draft", 2, Money.parse("80.50"))
    assert batch.created_by == operator


def test_the_bank_file_has_one_row_per_request_with_its_payee(operator, two_requests):
    first, second = two_requests
    batch = payouts.create_batch(operator, [first.pk, second.pk])

    data = payouts.export_batch_csv(batch)

    rows = rows_of(data)
    assert [r["withdrawal_id"] for r in rows] == [str(first.pk), str(second.pk)]
    assert rows[0] == {
        "batch_id": str(batch.pk),
        "withdrawal_id": str(first.pk),
        "payee_name": "Alice Wang",
        "bank_name": "中国农业银行",
        "bank_branch": "曹县支行",
        "account_number": "6222021234567890",
        "amount": "60.50",
        "currency": "CNY",
        "memo": f"VillageMarket payout W{first.pk} B{batch.pk}",
    }
    batch.refresh_from_db()
    assert batch.status == "exported" and batch.exported_at is not None
    assert payouts.export_batch_csv(batch) == data  # downloading again gives the same file


def test_a_payee_name_that_looks_like_a_formula_is_written_as_text(alice, operator, shop_a):
    earn(shop_a)
    bank(operator, shop_a, holder='=HYPERLINK("http://evil")')
    batch = payouts.create_batch(operator, [ask(alice, shop_a, "20.00").pk])

    rows = rows_of(payouts.export_batch_csv(batch))

    assert rows[0]["payee_name"] == '\'=HYPERLINK("http://evil")'


def test_large_amounts_are_written_in_yuan_with_two_decimals(alice, operator, shop_a):
    earn(shop_a, minor=200_000)
    bank(operator, shop_a)
    batch = payouts.create_batch(operator, [ask(alice, shop_a, "1234.50").pk])

    assert rows_of(payouts.export_batch_csv(batch))[0]["amount"] == "1234.50"


def test_refused_requests_are_each_named_and_nothing_is_batched(
    alice, bob, operator, shop_a, shop_b, two_requests
):
    first, second = two_requests
    payouts.create_batch(operator, [first.pk])
    withdrawals.cancel_withdrawal(shop=shop_b, withdrawal_id=second.pk)
    no_bank = make_shop(alice, shop_a.village, name="No bank", slug="nobank")
    earn(no_bank, reference="oc")
    third = ask(alice, no_bank, "10.00")

    with pytest.raises(BatchRefused) as refused:
        payouts.create_batch(operator, [first.pk, second.pk, third.pk, 999_999])

    reasons = refused.value.fields["withdrawals"]
    assert reasons == [
        f"#{first.pk}: already in payout batch #{PayoutBatch.objects.get().pk}.",
        f"#{second.pk}: it is cancelled.",
        f"#{third.pk}: the payee has no bank account on file.",
        "#999999: no such withdrawal.",
    ]
    assert PayoutBatch.objects.count() == 1


def test_an_empty_choice_is_refused(operator):
    with pytest.raises(Invalid) as refused:
        payouts.create_batch(operator, [])

    assert "withdrawals" in refused.value.fields


def test_only_operators_make_batches(alice, two_requests):
    with pytest.raises(Forbidden):
        payouts.create_batch(alice, [two_requests[0].pk])

    assert not PayoutBatch.objects.exists()


def test_marking_paid_posts_each_payout_once(operator, shop_a, shop_b, two_requests):
    batch = payouts.create_batch(operator, [w.pk for w in two_requests])
    payouts.export_batch_csv(batch)

    payouts.mark_batch_paid(operator, batch.pk)
    with pytest.raises(IllegalTransition):
        payouts.mark_batch_paid(operator, batch.pk)

    assert LedgerTransaction.objects.filter(event=EventType.PAYOUT).count() == 2
    assert set(Withdrawal.objects.values_list("status", flat=True)) == {"paid"}
    assert selectors.shop_balance(shop_a.pk).paid_out == Money.parse("60.50")
    assert selectors.shop_balance(shop_b.pk).paid_out == Money.parse("20.00")
    batch.refresh_from_db()
    assert (batch.status, batch.decided_by) == ("paid", operator)
    assert_sound()


def test_a_batch_is_exported_before_it_is_marked_paid(operator, two_requests):
    batch = payouts.create_batch(operator, [two_requests[0].pk])

    with pytest.raises(IllegalTransition):
        payouts.mark_batch_paid(operator, batch.pk)

    assert not LedgerTransaction.objects.filter(event=EventType.PAYOUT).exists()


def test_one_request_that_cannot_be_paid_leaves_the_whole_batch_unpaid(
    operator, shop_a, two_requests
):
    first, second = two_requests
    batch = payouts.create_batch(operator, [first.pk, second.pk])
    payouts.export_batch_csv(batch)
    # A refund after settlement took shop A's balance below its request.
    services.refund_after_settlement(
        reference="r1",
        provider="sandbox",
        shop_id=shop_a.pk,
        amount=Money.parse("90.00"),
        reason="buyer returned the goods",
    )

    with pytest.raises(Conflict) as refused:
        payouts.mark_batch_paid(operator, batch.pk)

    assert f"#{first.pk}" in refused.value.message
    assert not LedgerTransaction.objects.filter(event=EventType.PAYOUT).exists()
    assert set(Withdrawal.objects.values_list("status", flat=True)) == {"requested"}
    batch.refresh_from_db()
    assert batch.status == "exported"


def test_a_batched_request_moves_only_with_its_batch(alice, operator, shop_a, two_requests):
    first, _second = two_requests
    batch = payouts.create_batch(operator, [first.pk])

    for move in (
        lambda: withdrawals.cancel_withdrawal(shop=shop_a, withdrawal_id=first.pk),
        lambda: withdrawals.pay_withdrawal(operator=operator, withdrawal_id=first.pk),
        lambda: withdrawals.reject_withdrawal(
            operator=operator, withdrawal_id=first.pk, reason="x"
        ),
    ):
        with pytest.raises(Conflict) as refused:
            move()
        assert refused.value.code == "in_payout_batch"
        assert "payout batch" in refused.value.message

    assert Withdrawal.objects.get(pk=first.pk).status == "requested"
    with pytest.raises(Conflict) as refused:
        withdrawals.pay_withdrawal(operator=operator, withdrawal_id=first.pk)
    assert f"payout batch #{batch.pk}" in refused.value.message  # the operator learns which


def test_the_seller_sees_a_batched_request_is_being_paid(people, operator, two_requests):
    first, _second = two_requests
    payouts.create_batch(operator, [first.pk])

    text = people["alice"].get(f"/seller/balance/{first.shop.slug}/").text

    assert "An operator is making this transfer." in text
    assert "Cancel request" not in text


def test_removing_from_a_draft_frees_the_request(alice, operator, shop_a, two_requests):
    first, second = two_requests
    batch = payouts.create_batch(operator, [first.pk, second.pk])

    batch = payouts.remove_from_batch(operator, batch.pk, first.pk)
    withdrawals.cancel_withdrawal(shop=shop_a, withdrawal_id=first.pk)

    assert (batch.count, batch.total) == (1, Money.parse("20.00"))
    assert [r["withdrawal_id"] for r in rows_of(payouts.export_batch_csv(batch))] == [
        str(second.pk)
    ]


def test_an_exported_batch_keeps_its_requests_until_cancelled(operator, two_requests):
    first, _second = two_requests
    batch = payouts.create_batch(operator, [first.pk])
    payouts.export_batch_csv(batch)

    with pytest.raises(Conflict):
        payouts.remove_from_batch(operator, batch.pk, first.pk)
    payouts.cancel_batch(operator, batch.pk)
    again = payouts.create_batch(operator, [first.pk])

    assert again.pk != batch.pk
    with pytest.raises(Conflict):
        payouts.export_batch_csv(PayoutBatch.objects.get(pk=batch.pk))
    with pytest.raises(IllegalTransition):
        payouts.mark_batch_paid(operator, batch.pk)


def test_bank_account_numbers_are_checked(operator, shop_a, village):
    with pytest.raises(Invalid) as refused:
        bank(operator, shop_a, number="12ab")

    assert "account_number" in refused.value.fields


def test_a_household_is_paid_to_its_own_account(alice, operator, village):
    point = make_shop(alice, village, name="服务站", slug="point", kind="service_point")
    wang = Household.objects.create(shop=point, name="王家", village=village)
    earn(point, household_id=wang.pk)
    bank(operator, point, holder="服务站")
    bank(operator, point, holder="王大", household_id=wang.pk)
    batch = payouts.create_batch(operator, [ask(alice, point, "50.00", household_id=wang.pk).pk])

    assert rows_of(payouts.export_batch_csv(batch))[0]["payee_name"] == "王大"


# --- races (PostgreSQL) ---------------------------------------------------------------------


def _racing_setup():
    operator = make_user("op@example.com", staff=True)
    owner = make_user("alice@example.com")
    shop = make_shop(owner, make_region_tree(), name="A", slug="a")
    earn(shop)
    bank(operator, shop)
    return operator, owner, shop


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_operators_batching_the_same_request_at_once_make_one_batch():
    operator, owner, shop = _racing_setup()
    request = ask(owner, shop, "30.00")
    other = make_user("op2@example.com", staff=True)

    results = run_together(
        functools.partial(payouts.create_batch, operator, [request.pk]),
        functools.partial(payouts.create_batch, other, [request.pk]),
    )

    assert sum(isinstance(r, PayoutBatch) for r in results) == 1
    assert sum(isinstance(r, BatchRefused) for r in results) == 1
    assert PayoutBatch.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_batch_marked_paid_by_four_operators_at_once_pays_once():
    operator, owner, shop = _racing_setup()
    first, second = ask(owner, shop, "30.00"), ask(owner, shop, "40.00")
    batch = payouts.create_batch(operator, [first.pk, second.pk])
    payouts.export_batch_csv(batch)

    results = run_together(*[functools.partial(payouts.mark_batch_paid, operator, batch.pk)] * 4)

    assert sum(isinstance(r, PayoutBatch) for r in results) == 1, results
    assert sum(isinstance(r, IllegalTransition) for r in results) == 3, results
    assert LedgerTransaction.objects.filter(event=EventType.PAYOUT).count() == 2
    assert selectors.shop_balance(shop.pk).paid_out == Money.parse("70.00")
    assert_sound()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_seller_cancelling_while_an_operator_batches_never_leaves_a_cancelled_request_batched():
    operator, owner, shop = _racing_setup()
    request = ask(owner, shop, "30.00")

    run_together(
        functools.partial(payouts.create_batch, operator, [request.pk]),
        functools.partial(withdrawals.cancel_withdrawal, shop=shop, withdrawal_id=request.pk),
    )

    request.refresh_from_db()
    batched = PayoutBatch.objects.filter(lines__withdrawal=request, lines__active=True).exists()
    assert (request.status, batched) in {("requested", True), ("cancelled", False)}
