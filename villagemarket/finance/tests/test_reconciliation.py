"""The reconciliation report: real flows agree; each kind of break, made one at a time on the
side that is not the append-only ledger (or by a stray posting through ledger.services.post),
is listed with what differs."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from villagemarket.core.money import Money
from villagemarket.finance.reconciliation import reconcile
from villagemarket.ledger import services as ledger
from villagemarket.ledger.models import EventType, Withdrawal
from villagemarket.orders.models import RefundRequest, ShopOrder
from villagemarket.orders.services.settlement import settlement_reference
from villagemarket.payments.models import EventKind, PaymentEvent

from . import flows

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(buyer, address, sku_a, sku_b, alice, shop_a, operator):
    return flows.market_day(buyer, address, sku_a, sku_b, alice, shop_a, operator)


def kinds(report) -> list[str]:
    return sorted(m.kind for m in report.mismatches)


def test_real_flows_all_agree(day):
    report = reconcile()

    assert report.all_agree, [m.message for m in report.mismatches]
    assert report.checked["payments"] == 3
    assert report.checked["orders"] == 1
    assert report.checked["refunds"] == 2
    assert report.checked["withdrawals"] == 1
    (cny,) = report.escrow
    # captured 198 + 250 + 99; refunded 50 + 99 before settlement; 198 settled: 200 held
    assert cny.captured == Money(54_700) and cny.refunded == Money(14_900)
    assert cny.settled == Money(19_800) and cny.held == Money(20_000) and cny.agrees


def test_an_empty_market_agrees():
    report = reconcile()

    assert report.all_agree and report.escrow == []


def test_a_succeeded_payment_without_a_capture_is_listed(day, buyer, address, sku_b):
    # given a provider record written behind the payments service's back
    order = flows.unpaid(buyer, address, sku_b)
    PaymentEvent.objects.create(
        payment=order.payment,
        kind=EventKind.SUCCEEDED,
        provider="sandbox",
        trade_no="X1",
        amount_minor=order.payment.amount_minor,
        currency="CNY",
    )

    report = reconcile()

    assert "capture_missing" in kinds(report)
    missing = next(m for m in report.mismatches if m.kind == "capture_missing")
    assert missing.payment_id == order.payment_id and "¥250.00" in missing.message
    # and escrow holds less than the providers say was captured
    assert "ledger_invariant" in kinds(report)


def test_a_capture_without_a_payment_is_listed(day):
    ledger.record_payment_captured(reference="stray-1", provider="sandbox", amount=Money(1_234))

    report = reconcile()

    assert kinds(report) == ["capture_without_payment", "ledger_invariant"]
    stray = report.mismatches[0]
    assert "stray-1" in stray.message and "¥12.34" in stray.message
    assert stray.transaction_id is not None


def test_a_provider_amount_that_differs_from_the_capture_is_listed(day):
    event = PaymentEvent.objects.filter(kind=EventKind.SUCCEEDED).first()
    PaymentEvent.objects.filter(pk=event.pk).update(amount_minor=event.amount_minor + 1)

    report = reconcile()

    assert "capture_amount_differs" in kinds(report)


def test_a_completed_order_without_a_settlement_is_listed(day):
    # given an order marked completed without going through confirm_receipt
    ShopOrder.objects.filter(pk=day["open"].pk).update(
        status="completed", completed_at=timezone.now()
    )

    report = reconcile()

    assert "settlement_missing" in kinds(report)
    missing = next(m for m in report.mismatches if m.kind == "settlement_missing")
    assert missing.order_id == day["open"].pk
    assert "¥200.00" in missing.message  # 250 less the 50 refunded before


def test_a_settlement_of_an_order_that_is_not_completed_is_listed(day):
    ledger.post(
        EventType.ORDER_SETTLED,
        settlement_reference(day["open"].pk),
        [
            ledger.debit(ledger.escrow(), Money(20_000)),
            ledger.credit(ledger.seller_payable(day["open"].shop_id), Money(20_000)),
        ],
    )

    report = reconcile()

    assert kinds(report) == ["ledger_invariant", "settled_not_completed"]
    stray = next(m for m in report.mismatches if m.kind == "settled_not_completed")
    assert stray.order_id == day["open"].pk and "awaiting shipment" in stray.message


def test_a_settlement_of_another_amount_is_listed(day):
    ShopOrder.objects.filter(pk=day["done"].pk).update(total_minor=19_900, goods_minor=19_900)

    report = reconcile()

    assert "settlement_amount_differs" in kinds(report)


def test_a_refund_whose_amount_differs_is_listed(day):
    refund = RefundRequest.objects.get(order=day["open"])
    RefundRequest.objects.filter(pk=refund.pk).update(amount_minor=4_000)

    report = reconcile()

    assert "refund_amount_differs" in kinds(report)
    assert "order_refunded_differs" in kinds(report)
    differs = next(m for m in report.mismatches if m.kind == "refund_amount_differs")
    assert differs.refund_id == refund.pk and differs.order_id == day["open"].pk
    assert "¥40.00" in differs.message and "¥50.00" in differs.message


def test_a_refund_posting_without_a_paid_refund_is_listed(day):
    ledger.refund_before_settlement(reference="refund:999999", provider="sandbox", amount=Money(1))

    report = reconcile()

    assert "refund_posting_without_refund" in kinds(report)


def test_an_order_whose_refunded_amount_is_not_its_refunds_is_listed(day):
    ShopOrder.objects.filter(pk=day["open"].pk).update(
        refunded_minor=6_000, refund_claimed_minor=6_000
    )

    report = reconcile()

    assert kinds(report) == ["order_refunded_differs"]
    assert report.mismatches[0].order_id == day["open"].pk


def test_a_paid_withdrawal_without_a_payout_is_listed(day):
    Withdrawal.objects.filter(pk=day["waiting"].pk).update(status="paid")

    report = reconcile()

    assert kinds(report) == ["payout_missing"]
    assert report.mismatches[0].withdrawal_id == day["waiting"].pk


def test_a_payout_without_a_paid_withdrawal_is_listed(day, shop_a):
    ledger.record_payout(reference="cash-in-hand", shop_id=shop_a.pk, amount=Money(1_000))

    report = reconcile()

    assert kinds(report) == ["payout_without_withdrawal"]


def test_a_reversed_capture_counts_as_missing(day):
    from villagemarket.ledger.models import LedgerTransaction

    capture = LedgerTransaction.objects.filter(event=EventType.PAYMENT_CAPTURED).first()
    ledger.reverse(capture, reason="posted twice by mistake")

    report = reconcile()

    assert "capture_missing" in kinds(report)


def test_the_command_says_all_agree_and_exits_zero(day, capsys):
    call_command("finance", "reconcile", "--no-progress")

    out = capsys.readouterr().out
    assert "all agree" in out and "checked 3 payments" in out


def test_the_command_lists_mismatches_and_exits_non_zero(day, capsys, shop_a):
    ledger.record_payout(reference="cash-in-hand", shop_id=shop_a.pk, amount=Money(1_000))

    with pytest.raises(CommandError) as failed:
        call_command("finance", "reconcile")

    assert failed.value.returncode == 1
    out = capsys.readouterr().out
    assert "MISMATCH payout_without_withdrawal" in out and "cash-in-hand" in out
