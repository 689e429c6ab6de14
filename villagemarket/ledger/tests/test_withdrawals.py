"""Sellers ask to withdraw their balance; operators pay (posting the payout) or reject."""

import functools

import pytest
from django.urls import reverse

from villagemarket.core.errors import IllegalTransition, Invalid, NotFound
from villagemarket.core.money import Money
from villagemarket.ledger import selectors, services, withdrawals
from villagemarket.ledger.invariants import assert_sound
from villagemarket.ledger.models import EventType, LedgerTransaction, Withdrawal
from villagemarket.ledger.services import InsufficientBalance, OrderLine
from villagemarket.shops.models import Household, ShopMember
from villagemarket.testing import client_for, make_region_tree, make_shop, make_user
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


def ask(user, shop, text, **kwargs):
    return withdrawals.request_withdrawal(user=user, shop=shop, amount=Money.parse(text), **kwargs)


def test_a_request_holds_its_amount_back_from_the_next_one(alice, shop_a):
    earn(shop_a)  # 95.00 available

    ask(alice, shop_a, "60.00")
    with pytest.raises(InsufficientBalance) as refused:
        ask(alice, shop_a, "35.01")

    assert "amount" in refused.value.fields
    assert withdrawals.withdrawable(shop_a.pk, None) == Money.parse("35.00")
    assert Withdrawal.objects.count() == 1


def test_requests_below_the_minimum_are_refused_naming_the_amount(alice, shop_a):
    earn(shop_a)

    with pytest.raises(Invalid) as refused:
        ask(alice, shop_a, "9.99")

    assert "amount" in refused.value.fields
    assert not Withdrawal.objects.exists()


def test_paying_a_request_posts_the_payout_once(alice, operator, shop_a):
    earn(shop_a)
    request = ask(alice, shop_a, "60.00")

    withdrawals.pay_withdrawal(operator=operator, withdrawal_id=request.pk)
    with pytest.raises(IllegalTransition):
        withdrawals.pay_withdrawal(operator=operator, withdrawal_id=request.pk)

    balance = selectors.shop_balance(shop_a.pk)
    assert (balance.available, balance.paid_out) == (Money.parse("35.00"), Money.parse("60.00"))
    assert LedgerTransaction.objects.filter(event=EventType.PAYOUT).count() == 1
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("paid", operator)
    assert_sound()


def test_cancelled_and_rejected_requests_free_their_amount(alice, operator, shop_a):
    earn(shop_a)
    first, second = ask(alice, shop_a, "50.00"), ask(alice, shop_a, "45.00")

    withdrawals.cancel_withdrawal(shop=shop_a, withdrawal_id=first.pk)
    with pytest.raises(Invalid):
        withdrawals.reject_withdrawal(operator=operator, withdrawal_id=second.pk, reason=" ")
    withdrawals.reject_withdrawal(
        operator=operator, withdrawal_id=second.pk, reason="bank details missing"
    )

    assert withdrawals.withdrawable(shop_a.pk, None) == Money.parse("95.00")
    assert not LedgerTransaction.objects.filter(event=EventType.PAYOUT).exists()
    with pytest.raises(IllegalTransition):
        withdrawals.cancel_withdrawal(shop=shop_a, withdrawal_id=second.pk)


def test_a_shop_cannot_cancel_another_shops_request(alice, bob, shop_a, shop_b):
    earn(shop_a)
    request = ask(alice, shop_a, "20.00")

    with pytest.raises(NotFound):
        withdrawals.cancel_withdrawal(shop=shop_b, withdrawal_id=request.pk)

    assert Withdrawal.objects.get().status == "requested"


def test_a_household_withdraws_only_what_it_earned(alice, village):
    point = make_shop(alice, village, name="服务站", slug="point", kind="service_point")
    wang = Household.objects.create(shop=point, name="王家", village=village)
    li = Household.objects.create(shop=point, name="李家", village=village)
    earn(point, household_id=wang.pk)

    ask(alice, point, "95.00", household_id=wang.pk)
    with pytest.raises(InsufficientBalance):
        ask(alice, point, "10.00", household_id=li.pk)


# --- the seller's page --------------------------------------------------------------------


def withdraw_url(shop):
    return reverse("seller_ledger:withdraw", args=[shop.slug])


def test_the_owner_requests_a_withdrawal_from_the_balance_page(people, shop_a):
    earn(shop_a)

    response = people["alice"].post(withdraw_url(shop_a), {"amount": "30.50"}, follow=True)

    assert "Withdrawal of ¥30.50 requested" in response.text
    assert Withdrawal.objects.get().amount == Money(3050)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("abc", "Enter an amount such as 120.50."),
        ("1.234", "Enter an amount such as 120.50."),
        ("5", "At least ¥10.00."),
        ("500", "More than the available balance."),
    ],
)
def test_a_bad_amount_is_named_and_nothing_is_requested(people, shop_a, amount, message):
    earn(shop_a)

    response = people["alice"].post(withdraw_url(shop_a), {"amount": amount})

    assert response.status_code == 422
    assert message in response.text
    assert not Withdrawal.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("buyer", 404), ("bob", 404), ("operator", 404)]
)
def test_only_the_owner_may_withdraw(people, shop_a, shop_b, who, status):
    earn(shop_a)

    response = people[who].post(withdraw_url(shop_a), {"amount": "20.00"})

    assert response.status_code == status
    assert not Withdrawal.objects.exists()


def test_staff_see_the_balance_but_cannot_withdraw(shop_a):
    earn(shop_a)
    clerk = make_user("clerk@example.com")
    ShopMember.objects.create(shop=shop_a, user=clerk, role="staff")
    client = client_for(clerk)

    page = client.get(reverse("seller_ledger:balance", args=[shop_a.slug]))
    response = client.post(withdraw_url(shop_a), {"amount": "20.00"})

    assert page.status_code == 200 and "Request withdrawal" not in page.text
    assert response.status_code == 404
    assert not Withdrawal.objects.exists()


def test_the_owner_cancels_a_request_on_the_page(people, alice, shop_a):
    earn(shop_a)
    request = ask(alice, shop_a, "20.00")

    people["alice"].post(reverse("seller_ledger:cancel", args=[shop_a.slug, request.pk]))
    people["bob"].post(reverse("seller_ledger:cancel", args=[shop_a.slug, request.pk]))

    assert Withdrawal.objects.get().status == "cancelled"


# --- the operator's back-office -----------------------------------------------------------


def test_the_operator_pays_and_rejects_from_the_back_office(people, alice, shop_a):
    earn(shop_a)
    paid, rejected = ask(alice, shop_a, "20.00"), ask(alice, shop_a, "30.00")
    url = reverse("admin:ledger_withdrawal_changelist")
    client = people["operator"]

    client.post(url, {"action": "pay", "_selected_action": [paid.pk]})
    form = client.post(url, {"action": "reject", "_selected_action": [rejected.pk]})
    client.post(
        url,
        {
            "action": "reject",
            "_selected_action": [rejected.pk],
            "apply": "1",
            "reason": "wrong account",
        },
    )

    assert form.status_code == 200 and 'name="reason"' in form.text
    assert dict(Withdrawal.objects.values_list("pk", "status")) == {
        paid.pk: "paid",
        rejected.pk: "rejected",
    }
    assert selectors.shop_balance(shop_a.pk).paid_out == Money.parse("20.00")


@pytest.mark.parametrize("who", ["alice", "buyer"])
def test_non_operators_cannot_pay_withdrawals(people, alice, shop_a, who):
    earn(shop_a)
    request = ask(alice, shop_a, "20.00")

    people[who].post(
        reverse("admin:ledger_withdrawal_changelist"),
        {"action": "pay", "_selected_action": [request.pk]},
    )

    assert Withdrawal.objects.get().status == "requested"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_ask_for_more_than_is_available():
    # 95.00 available; six requests of 30.00 race: three fit.
    owner = make_user("alice@example.com")
    shop = make_shop(owner, make_region_tree(), name="A", slug="a")
    earn(shop)
    request = functools.partial(
        withdrawals.request_withdrawal, user=owner, shop=shop, amount=Money(3_000)
    )

    results = run_together(*[request] * 6)

    assert sum(isinstance(r, Withdrawal) for r in results) == 3
    assert sum(isinstance(r, InsufficientBalance) for r in results) == 3
    assert withdrawals.withdrawable(shop.pk, None) == Money(500)
