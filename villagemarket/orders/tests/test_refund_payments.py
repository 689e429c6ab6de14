"""Refunds paid back in two phases: `paying` committed before the provider is asked, the money
posted once after it answered, and the sweep that finishes what a crash, a timeout or a
provider still processing left behind. The provider is the sandbox's, made to answer as a test
needs (refund and refund query), so nothing reaches a network."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models.functions import Now

from villagemarket.core.errors import Conflict, Forbidden
from villagemarket.core.money import Money
from villagemarket.ledger.models import LedgerTransaction
from villagemarket.orders import services
from villagemarket.orders.models import Dispute, RefundRequest, ShopOrder
from villagemarket.orders.services import refund_payments
from villagemarket.orders.tasks import PERIODIC, sweep_refund_payments
from villagemarket.orders.tests.factories import paid_order, shipped_order
from villagemarket.payments.providers import sandbox
from villagemarket.payments.providers.remote import ProviderError, RefundResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(monkeypatch):
    """The sandbox provider answering what `script` says: a RefundResult status, or an
    exception to raise. `calls` records (what, refund number, whether a transaction was open,
    the refund's committed status as another connection would see it)."""
    script = SimpleNamespace(refund="succeeded", query=None, calls=[])

    def result(status, amount, refund_no, why=""):
        return RefundResult(
            provider="sandbox",
            refund_no=refund_no,
            amount_minor=amount.minor if amount else 0,
            currency="CNY",
            status=status,
            detail={"reason": why} if why else {},
        )

    def answer(what, status, amount, refund_no):
        status_now = RefundRequest.objects.filter(provider_refund_no=refund_no).first()
        script.calls.append(
            (what, refund_no, connection.in_atomic_block, getattr(status_now, "status", None))
        )
        if isinstance(status, Exception):
            raise status
        return result(status, amount, refund_no, why="account_frozen")

    def refund(self, payment, *, amount, refund_no, reason=""):
        return answer("refund", script.refund, amount, refund_no)

    def refund_query(self, payment, *, refund_no):
        refund = RefundRequest.objects.get(provider_refund_no=refund_no)
        return answer("query", script.query, refund.amount, refund_no)

    monkeypatch.setattr(sandbox.SandboxProvider, "refund", refund)
    monkeypatch.setattr(sandbox.SandboxProvider, "refund_query", refund_query, raising=False)
    return script


def ask(buyer, order, minor=None, reason="changed_mind"):
    return services.request_refund(
        buyer=buyer,
        order_id=order.pk,
        amount=Money(order.total_minor if minor is None else minor, "CNY"),
        reason=reason,
        kind="money_only",
    )


def overdue():
    """Every refund being paid has waited past the sweep's grace time."""
    RefundRequest.objects.filter(status="paying").update(
        paying_since=Now() - datetime.timedelta(minutes=10)
    )


def postings(refund) -> int:
    return LedgerTransaction.objects.filter(reference=f"refund:{refund.pk}").count()


def reload(obj):
    obj.refresh_from_db()
    return obj


def test_the_sweep_runs_with_the_other_periodic_order_sweeps():
    assert sweep_refund_payments in PERIODIC


def test_a_refund_the_provider_is_still_processing_stays_paying_until_the_sweep_hears_it_paid(
    buyer, address, sku_a, provider
):
    # given a provider that answers PROCESSING
    order = paid_order(buyer, address, sku_a)
    provider.refund = "processing"
    # when the buyer asks before shipment
    refund = ask(buyer, order)
    # then it is on its way: nothing is posted, the amount stays held, the order stays open
    assert refund.status == "paying" and refund.provider_refund_no == f"VMR{refund.pk}-1"
    assert postings(refund) == 0
    order = reload(order)
    assert (order.status, order.refunded_minor, order.refund_claimed_minor) == (
        "awaiting_shipment",
        0,
        order.total_minor,
    )
    # when the provider has paid it by the time the sweep asks
    provider.query = "succeeded"
    overdue()
    ended = services.sweep_refund_payments()
    # then it is refunded once, the order closes; a second sweep finds nothing to do
    assert ended == 1 and reload(refund).status == "refunded" and postings(refund) == 1
    assert reload(order).status == "closed" and reload(order).refunded_minor == order.total_minor
    assert services.sweep_refund_payments() == 0 and postings(refund) == 1
    assert [call[:2] for call in provider.calls] == [
        ("refund", refund.provider_refund_no),
        ("query", refund.provider_refund_no),
    ]


def test_the_sweep_leaves_a_refund_alone_within_its_grace_time(buyer, address, sku_a, provider):
    order = paid_order(buyer, address, sku_a)
    provider.refund = "processing"
    refund = ask(buyer, order)

    assert services.sweep_refund_payments() == 0

    assert reload(refund).status == "paying" and len(provider.calls) == 1


def test_an_unreachable_provider_leaves_the_refund_paying_and_the_sweep_asks_again(
    buyer, address, sku_a, provider
):
    order = paid_order(buyer, address, sku_a)
    provider.refund = ProviderError("unreachable", "the gateway did not answer")

    refund = ask(buyer, order)  # no error: the money may have moved, nobody knows yet

    assert refund.status == "paying" and "did not answer" in refund.provider_note
    # when the provider never heard of it, the sweep asks again with the same refund number
    provider.query, provider.refund = "not_found", "succeeded"
    overdue()
    assert services.sweep_refund_payments() == 1
    assert reload(refund).status == "refunded" and postings(refund) == 1
    numbers = {number for _what, number, _atomic, _status in provider.calls}
    assert numbers == {refund.provider_refund_no}


def test_a_refund_the_provider_fails_later_is_left_failed_for_an_operator_who_retries_it(
    buyer, address, sku_a, provider, operator, alice
):
    order = paid_order(buyer, address, sku_a)
    provider.refund = "processing"
    refund = ask(buyer, order)
    # when the provider reports it failed (WeChat Pay's ABNORMAL or CLOSED)
    provider.query = "failed"
    overdue()
    services.sweep_refund_payments()
    # then it is failed, says why, still holds its amount and moved no money
    refund = reload(refund)
    assert refund.status == "failed" and refund.provider_note == "account_frozen"
    assert reload(order).refund_claimed_minor == order.total_minor and postings(refund) == 0
    # only an operator may ask again, under a new refund number
    with pytest.raises(Forbidden):
        services.retry_refund_payment(operator=alice, refund_id=refund.pk)
    provider.refund = "succeeded"
    retried = services.retry_refund_payment(operator=operator, refund_id=refund.pk)
    assert retried.status == "refunded" and retried.provider_refund_no == f"VMR{refund.pk}-2"
    assert postings(refund) == 1 and reload(order).status == "closed"


def test_an_operator_retry_the_provider_refuses_again_leaves_it_failed(
    buyer, address, sku_a, provider, operator
):
    order = paid_order(buyer, address, sku_a)
    provider.refund = "processing"
    refund = ask(buyer, order)
    refund_payments.fail_refund(refund.pk, "ABNORMAL")
    provider.refund = "failed"

    with pytest.raises(Conflict) as refused:
        services.retry_refund_payment(operator=operator, refund_id=refund.pk)

    assert refused.value.code == "provider_refund_failed"
    assert reload(refund).status == "failed" and postings(refund) == 0


def test_a_seller_approval_the_provider_refuses_is_undone(buyer, address, sku_a, shop_a, provider):
    order = shipped_order(buyer, address, sku_a)
    refund = ask(buyer, order, 500, reason="damaged")
    provider.refund = "failed"

    with pytest.raises(Conflict) as refused:
        services.approve_refund(shop=shop_a, refund_id=refund.pk, note="同意")

    assert "account_frozen" in refused.value.message
    refund = reload(refund)
    assert (refund.status, refund.seller_note, refund.closed_at) == ("requested", "", None)
    assert refund.provider_note == "account_frozen" and postings(refund) == 0
    assert reload(order).refunded_minor == 0 and reload(order).refund_claimed_minor == 500


def test_an_operator_decision_the_provider_refuses_is_undone(
    buyer, address, sku_a, shop_a, operator, provider
):
    order = shipped_order(buyer, address, sku_a)
    refund = ask(buyer, order, reason="damaged")
    services.reject_refund(shop=shop_a, refund_id=refund.pk, note="完好")
    dispute = services.open_dispute(user=buyer, refund_id=refund.pk, text="坏了")
    provider.refund = "failed"

    with pytest.raises(Conflict):
        services.decide_dispute(
            operator=operator, dispute_id=dispute.pk, for_buyer=True, note="照片为证"
        )

    assert reload(refund).status == "disputed"
    dispute = Dispute.objects.get(pk=dispute.pk)
    assert (dispute.decided_at, dispute.decision, dispute.decision_note) == (None, "", "")


def test_a_silent_sellers_refund_the_provider_refuses_is_failed_not_reopened(
    buyer, address, sku_a, provider
):
    order = shipped_order(buyer, address, sku_a)
    refund = ask(buyer, order, 500, reason="damaged")
    RefundRequest.objects.update(seller_due_at=Now() - datetime.timedelta(seconds=1))
    provider.refund = "failed"

    services.sweep_refund_deadlines()

    # nobody was there to be told: an operator sees it, and the clock does not approve it again
    assert reload(refund).status == "failed" and postings(refund) == 0


@pytest.mark.django_db(transaction=True)
def test_the_provider_is_asked_after_paying_was_committed_and_with_no_transaction_open(
    buyer, address, sku_a, provider
):
    order = paid_order(buyer, address, sku_a)

    refund = ask(buyer, order)

    assert provider.calls == [("refund", refund.provider_refund_no, False, "paying")]
    assert reload(refund).status == "refunded" and postings(refund) == 1


@pytest.mark.django_db(transaction=True)
def test_a_crash_after_the_provider_paid_is_finished_by_the_sweep_exactly_once(
    buyer, address, sku_a, provider, monkeypatch
):
    # given the process dies after the provider paid, before the second transaction
    order = paid_order(buyer, address, sku_a)
    finish = refund_payments.finish_refund

    def crash(refund_id):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(refund_payments, "finish_refund", crash)
    with pytest.raises(RuntimeError):
        ask(buyer, order)
    refund = RefundRequest.objects.get()
    assert refund.status == "paying" and postings(refund) == 0
    # when the sweep comes (the sandbox has no refund query: it asks for the same refund again)
    monkeypatch.setattr(refund_payments, "finish_refund", finish)
    monkeypatch.delattr(sandbox.SandboxProvider, "refund_query")
    overdue()
    assert services.sweep_refund_payments() == 1
    assert services.sweep_refund_payments() == 0
    # then the money is posted once, under the refund number the provider already knows
    assert reload(refund).status == "refunded" and postings(refund) == 1
    assert ShopOrder.objects.get(pk=order.pk).refunded_minor == order.total_minor
    assert [number for _what, number, _atomic, _status in provider.calls] == [
        refund.provider_refund_no
    ] * 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_providers_answer_a_notification_and_the_sweep_finishing_at_once_post_once(
    buyer, address, sku_a, provider
):
    # given a refund the provider is still processing, past the grace time
    from villagemarket.testing.threads import run_together

    order = paid_order(buyer, address, sku_a)
    provider.refund = "processing"
    refund = ask(buyer, order)
    provider.query = "succeeded"
    overdue()
    # when the provider's answer (a notification) and two sweeps all finish it at once
    results = run_together(
        lambda: refund_payments.finish_refund(refund.pk),
        services.sweep_refund_payments,
        services.sweep_refund_payments,
    )
    # then exactly one of them did it, and the money moved once
    assert sorted(int(r) for r in results) == [0, 0, 1], results
    assert postings(refund) == 1
    assert ShopOrder.objects.get(pk=order.pk).refunded_minor == order.total_minor


def failed_refund(buyer, address, sku_a, provider):
    order = paid_order(buyer, address, sku_a)
    provider.refund = "processing"
    refund = ask(buyer, order)
    refund_payments.fail_refund(refund.pk, "ABNORMAL")
    return refund


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("buyer", 403), ("alice", 403)])
def test_only_operators_see_and_retry_failed_refunds(
    buyer, alice, address, sku_a, provider, who, status
):
    from django.test import Client

    from villagemarket.testing import client_for

    refund = failed_refund(buyer, address, sku_a, provider)
    client = Client() if who == "anonymous" else client_for({"buyer": buyer, "alice": alice}[who])

    page = client.get("/orders/refunds/failed/")
    retry = client.post("/orders/refunds/failed/", {"refund": refund.pk})

    assert (page.status_code, retry.status_code) == (status, status)
    assert reload(refund).status == "failed" and reload(refund).provider_attempts == 1


def test_an_operator_sees_why_a_refund_failed_and_asks_the_provider_again(
    buyer, operator, address, sku_a, provider
):
    from villagemarket.testing import client_for

    refund = failed_refund(buyer, address, sku_a, provider)
    client = client_for(operator)

    page = client.get("/orders/refunds/failed/")
    assert page.status_code == 200
    assert "ABNORMAL" in page.text and refund.provider_refund_no in page.text
    # a refusal says so and changes nothing
    provider.refund = "failed"
    refused = client.post("/orders/refunds/failed/", {"refund": refund.pk})
    assert refused.status_code == 409 and "account_frozen" in refused.text
    assert reload(refund).status == "failed"
    # paid this time: the refund leaves the list
    provider.refund = "succeeded"
    paid = client.post("/orders/refunds/failed/", {"refund": refund.pk}, follow=True)
    assert paid.status_code == 200 and reload(refund).status == "refunded"
    assert refund.provider_refund_no not in paid.text and postings(refund) == 1


def test_a_refund_through_a_provider_not_configured_here_is_refused_and_changes_nothing(
    buyer, address, sku_a
):
    from villagemarket.payments.models import Payment

    order = paid_order(buyer, address, sku_a)
    Payment.objects.filter(pk=order.payment_id).update(provider="alipay")  # not configured

    with pytest.raises(Conflict) as refused:
        ask(buyer, order)

    assert refused.value.code == "provider_cannot_refund"
    assert not RefundRequest.objects.exists()
    assert reload(order).refund_claimed_minor == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locale, heading", [("en-US", "Refunds failed"), ("zh-CN", "退款")])
def test_the_failed_refunds_page_fits_a_phone_in_both_languages(
    live_server, monkeypatch, buyer, operator, address, sku_a, provider, locale, heading
):
    from django.conf import settings
    from playwright.sync_api import expect, sync_playwright

    from villagemarket.testing import client_for
    from villagemarket.testing.browser import launch_chromium

    refund = failed_refund(buyer, address, sku_a, provider)
    session = client_for(operator).cookies[settings.SESSION_COOKIE_NAME].value
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(locale=locale, viewport={"width": 390, "height": 844})
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/orders/refunds/failed/")
        expect(page.locator("h1")).to_contain_text(heading)
        text = page.locator("main").inner_text()
        assert refund.provider_refund_no in text and "¥" in text
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        browser.close()
