"""A shop's balance and entries through the API, and who may read them."""

import pytest
from django.urls import reverse

from villagemarket.core.money import Money
from villagemarket.ledger import services
from villagemarket.ledger.services import OrderLine
from villagemarket.shops.models import ShopMember
from villagemarket.testing import client_for, make_user

pytestmark = pytest.mark.django_db

BALANCE = "/api/v1/ledger/shops/{}/balance"
ENTRIES = "/api/v1/ledger/shops/{}/entries"


@pytest.fixture
def settled(shop_a):
    """Alice sold ¥100.00 of goods (5% commission) and was paid out ¥20.00."""
    services.record_payment_captured(reference="p1", provider="sandbox", amount=Money(10_000))
    services.settle_order(
        reference="o1", shop_id=shop_a.pk, lines=[OrderLine(Money(10_000))], freight=Money(0)
    )
    services.record_payout(reference="w1", shop_id=shop_a.pk, amount=Money(2_000))
    return shop_a


def test_the_owner_reads_the_balance(people, settled):
    response = people["alice"].get(BALANCE.format(settled.slug))

    assert response.status_code == 200
    assert response.json() == {
        "shop": "alice-costumes",
        "currency": "CNY",
        "available_minor": 7_500,
        "paid_out_minor": 2_000,
        "households": [{"household_id": None, "name": "", "available_minor": 7_500}],
    }


def test_the_entries_are_paginated_newest_first_as_changes_to_the_balance(people, settled):
    response = people["alice"].get(ENTRIES.format(settled.slug) + "?size=1")

    body = response.json()
    assert response.status_code == 200
    assert (body["count"], body["page"], body["pages"]) == (2, 1, 2)
    assert [(e["event"], e["amount_minor"]) for e in body["items"]] == [("payout", -2_000)]
    second = people["alice"].get(ENTRIES.format(settled.slug) + "?size=1&page=2").json()
    assert [(e["event"], e["amount_minor"]) for e in second["items"]] == [("order_settled", 9_500)]


def test_shop_staff_may_read_too(settled, village):
    clerk = make_user("clerk@example.com")
    ShopMember.objects.create(shop=settled, user=clerk, role="staff")

    assert client_for(clerk).get(BALANCE.format(settled.slug)).status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("buyer", 404), ("bob", 404), ("operator", 404), ("alice", 200)],
)
@pytest.mark.parametrize("url", [BALANCE, ENTRIES])
def test_only_the_shops_staff_see_its_money(people, settled, shop_b, who, status, url):
    response = people[who].get(url.format(settled.slug))

    assert response.status_code == status
    if status != 200:
        assert "available_minor" not in response.text and "items" not in response.text


def test_an_unknown_shop_is_not_found(people, settled):
    assert people["alice"].get(BALANCE.format("no-such-shop")).status_code == 404


def test_bad_page_numbers_are_named(people, settled):
    response = people["alice"].get(ENTRIES.format(settled.slug) + "?page=0")

    assert response.status_code == 422
    assert "page" in response.json()["fields"]


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_operators_read_the_ledger_in_the_back_office_but_cannot_change_it(people, settled, lang):
    client = people["operator"]
    client.cookies["django_language"] = lang
    txn = settled.ledger_accounts.get().entries.first().transaction
    for name in ["account", "ledgertransaction", "entry", "categorycommission"]:
        assert client.get(reverse(f"admin:ledger_{name}_changelist")).status_code == 200
    page = client.get(reverse("admin:ledger_ledgertransaction_change", args=[txn.pk]))
    assert page.status_code == 200
    assert "¥95.00" in page.text or "¥100.00" in page.text
    accounts = client.get(reverse("admin:ledger_account_changelist")).text
    assert "¥75.00" in accounts  # alice's payable, formatted as money

    assert client.get(reverse("admin:ledger_entry_add")).status_code == 403
    assert (
        client.post(reverse("admin:ledger_ledgertransaction_delete", args=[txn.pk])).status_code
        == 403
    )


@pytest.mark.parametrize("who", ["anonymous", "buyer", "alice"])
def test_non_operators_cannot_open_the_ledger_back_office(people, settled, who):
    response = people[who].get(reverse("admin:ledger_account_changelist"))

    assert response.status_code == 302  # to the admin sign-in


WITHDRAWALS = "/api/v1/ledger/shops/{}/withdrawals"


def test_the_owner_asks_for_a_withdrawal_and_a_retry_asks_once(people, settled):
    client = people["alice"]
    headers = {"Idempotency-Key": "w-2026-12-01"}

    first = client.post(
        WITHDRAWALS.format(settled.slug), {"amount": "30.50"}, "application/json", headers=headers
    )
    again = client.post(
        WITHDRAWALS.format(settled.slug), {"amount": "30.50"}, "application/json", headers=headers
    )
    listed = client.get(WITHDRAWALS.format(settled.slug)).json()

    assert first.status_code == 201
    assert first.json()["amount"] == "30.50" and first.json()["status"] == "requested"
    assert again.content == first.content
    assert listed["count"] == 1


@pytest.mark.parametrize(
    ("amount", "message"),
    [("3O.00", "Enter an amount such as 120.50."), ("5", "At least ¥10.00."), ("75.01", None)],
)
def test_a_bad_withdrawal_is_refused_naming_the_amount(people, settled, amount, message):
    response = people["alice"].post(
        WITHDRAWALS.format(settled.slug), {"amount": amount}, "application/json"
    )

    assert response.status_code in (409, 422)
    assert "amount" in response.json()["fields"]
    if message:
        assert message in response.json()["fields"]["amount"]
    assert people["alice"].get(WITHDRAWALS.format(settled.slug)).json()["count"] == 0


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("buyer", 404), ("bob", 404), ("operator", 404)]
)
def test_only_the_owner_may_ask_for_a_withdrawal(people, settled, shop_b, who, status):
    response = people[who].post(
        WITHDRAWALS.format(settled.slug), {"amount": "20.00"}, "application/json"
    )

    assert response.status_code == status
    assert not settled.withdrawals.exists()


def test_staff_list_withdrawals_but_cannot_ask_or_cancel(people, alice, settled, village):
    from villagemarket.ledger import withdrawals

    request = withdrawals.request_withdrawal(user=alice, shop=settled, amount=Money(2_000))
    clerk = make_user("clerk@example.com")
    ShopMember.objects.create(shop=settled, user=clerk, role="staff")
    client = client_for(clerk)

    listed = client.get(WITHDRAWALS.format(settled.slug))
    asked = client.post(WITHDRAWALS.format(settled.slug), {"amount": "20.00"}, "application/json")
    cancelled = client.post(WITHDRAWALS.format(settled.slug) + f"/{request.pk}/cancel")

    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert (asked.status_code, cancelled.status_code) == (404, 404)
    assert settled.withdrawals.get().status == "requested"


def test_the_owner_cancels_once(people, alice, settled):
    from villagemarket.ledger import withdrawals

    request = withdrawals.request_withdrawal(user=alice, shop=settled, amount=Money(2_000))
    url = WITHDRAWALS.format(settled.slug) + f"/{request.pk}/cancel"

    first, second = people["alice"].post(url), people["alice"].post(url)

    assert first.status_code == 200 and first.json()["status"] == "cancelled"
    assert second.status_code == 409


def test_the_operator_reverses_a_transaction_with_a_reason(people, settled):
    from villagemarket.ledger.models import LedgerTransaction

    payout = LedgerTransaction.objects.get(event="payout")
    url = reverse("admin:ledger_ledgertransaction_changelist")
    client = people["operator"]

    asked = client.post(url, {"action": "reverse_transactions", "_selected_action": [payout.pk]})
    client.post(
        url,
        {
            "action": "reverse_transactions",
            "_selected_action": [payout.pk],
            "apply": "1",
            "reason": "",
        },
    )
    assert not LedgerTransaction.objects.filter(event="reversal").exists()
    client.post(
        url,
        {
            "action": "reverse_transactions",
            "_selected_action": [payout.pk],
            "apply": "1",
            "reason": "bank returned the transfer",
        },
    )

    assert asked.status_code == 200 and 'name="reason"' in asked.text
    reversal = LedgerTransaction.objects.get(event="reversal")
    assert reversal.reverses == payout and reversal.reason == "bank returned the transfer"
    assert services.balance(services.seller_payable(settled.pk)) == Money(9_500)
