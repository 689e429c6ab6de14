"""The operator's queue: decisions, explanations, permissions, and the strike rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from villagemarket.catalog import services as catalog
from villagemarket.catalog.models import Product
from villagemarket.core.errors import Conflict, Forbidden, Invalid
from villagemarket.moderation import hooks, selectors, services
from villagemarket.moderation.models import Case, Settings
from villagemarket.shops.models import Shop, ShopStatusChange
from villagemarket.testing import client_for, make_product

pytestmark = pytest.mark.django_db


def _case(product) -> Case:
    return selectors.open_case("product", product.pk)


def test_approving_a_held_listing_puts_it_on_sale(operator, held_listing):
    services.decide(operator, _case(held_listing).pk, approve=True)

    product = Product.objects.get(pk=held_listing.pk)
    assert product.status == "published" and product.moderation_reason == ""
    assert Product.objects.for_sale().filter(pk=product.pk).exists()


def test_rejecting_needs_an_explanation_and_changes_nothing_without_one(operator, held_listing):
    with pytest.raises(Invalid) as refused:
        services.decide(operator, _case(held_listing).pk, approve=False, reason="  ")

    assert "reason" in refused.value.fields
    assert _case(held_listing).status == "open"


def test_a_rejected_held_listing_is_delisted_with_the_explanation_and_may_be_fixed(
    alice, operator, held_listing
):
    services.decide(operator, _case(held_listing).pk, approve=False, reason="no WeChat here")

    product = Product.objects.get(pk=held_listing.pk)
    assert product.status == "delisted" and product.moderation_reason == "no WeChat here"
    # the seller fixes the text and publishes again: screened again, clean, on sale
    catalog.update_product(alice, product.pk, {"description": "<p>纯棉</p>"})
    assert catalog.publish_product(alice, product.pk).status == "published"


def test_a_rejected_report_takes_the_listing_down_for_good(buyer, alice, operator, listing):
    services.report(reporter=buyer, kind="product", object_id=listing.pk, reason="fake")

    services.decide(operator, _case(listing).pk, approve=False, reason="counterfeit brand")

    product = Product.objects.get(pk=listing.pk)
    assert product.status == "delisted" and product.is_moderated
    with pytest.raises(Conflict):
        catalog.publish_product(alice, listing.pk)


def test_an_approved_report_leaves_the_listing_on_sale(buyer, operator, listing):
    services.report(reporter=buyer, kind="product", object_id=listing.pk, reason="fake")

    services.decide(operator, _case(listing).pk, approve=True)

    assert Product.objects.get(pk=listing.pk).status == "published"


def test_a_decided_case_answers_409_to_a_second_decision(operator, held_listing):
    case = _case(held_listing)
    services.decide(operator, case.pk, approve=True)

    with pytest.raises(Conflict) as refused:
        services.decide(operator, case.pk, approve=False, reason="too late")

    assert refused.value.status == 409
    assert Case.objects.get(pk=case.pk).status == "approved"


def test_listeners_hear_each_decision_with_who_and_why(operator, held_listing):
    heard = []
    hooks.on_decision(heard.append)
    try:
        services.decide(operator, _case(held_listing).pk, approve=False, reason="contact details")
    finally:
        hooks._listeners.remove(heard.append)

    (decision,) = heard
    assert (decision.kind, decision.object_id, decision.approved) == (
        "product",
        held_listing.pk,
        False,
    )
    assert decision.reason == "contact details" and decision.shop_id == held_listing.shop_id


@pytest.mark.parametrize("who", ["buyer", "alice", "bob"])
def test_only_operators_decide(request, who, held_listing):
    person = request.getfixturevalue(who)

    with pytest.raises(Forbidden):
        services.decide(person, _case(held_listing).pk, approve=True)
    assert _case(held_listing).status == "open"


@pytest.mark.parametrize(
    "who, status", [("anonymous", 302), ("buyer", 403), ("alice", 403), ("operator", 200)]
)
def test_the_queue_page_is_for_operators(people, held_listing, who, status):
    assert people[who].get("/operator/moderation/").status_code == status


@pytest.mark.parametrize("who, status", [("buyer", 403), ("alice", 403)])
def test_a_non_operator_cannot_decide_through_the_page(people, held_listing, who, status):
    url = f"/operator/moderation/{_case(held_listing).pk}/decide/"

    assert people[who].post(url, {"decision": "approve"}).status_code == status
    assert _case(held_listing).status == "open"


def test_the_queue_shows_held_items_oldest_first_with_the_match_marked(
    operator, alice, shop_a, held_listing
):
    later = make_product(shop_a, title="舞蹈服")
    catalog.update_product(alice, later.pk, {"description": "<p>QQ:12345678</p>"})

    page = client_for(operator).get("/operator/moderation/").content.decode()

    assert page.index("加微信") < page.index("12345678")
    assert "<mark>加微信</mark>" in page


def test_deciding_through_the_page_and_a_second_time_gets_a_clear_409(operator, held_listing):
    client = client_for(operator)
    url = f"/operator/moderation/{_case(held_listing).pk}/decide/"

    first = client.post(url, {"decision": "reject", "reason": "contact details"})
    second = client.post(url, {"decision": "approve", "reason": ""})

    assert first.status_code == 302
    assert second.status_code == 409
    assert "already decided" in second.content.decode()


def test_rejecting_through_the_page_without_a_reason_keeps_the_form(operator, held_listing):
    answer = client_for(operator).post(
        f"/operator/moderation/{_case(held_listing).pk}/decide/", {"decision": "reject"}
    )

    assert answer.status_code == 422
    assert "required to reject" in answer.content.decode()


def test_the_operator_dashboard_links_to_the_queue(operator):
    assert "/operator/moderation/" in client_for(operator).get("/operator/").content.decode()


# --- the strike rule --------------------------------------------------------------------------
def _reject_listings(operator, alice, shop, count: int) -> None:
    for i in range(count):
        product = make_product(shop, title=f"商品{i}")
        catalog.update_product(alice, product.pk, {"description": "<p>加微信</p>"})
        services.decide(operator, _case(product).pk, approve=False, reason="contact details")


def test_rejections_below_the_limit_leave_the_shop_open(operator, alice, shop_a):
    Settings.objects.filter(pk=1).update(strike_limit=3, strike_days=30)

    _reject_listings(operator, alice, shop_a, 2)

    assert Shop.objects.get(pk=shop_a.pk).status == "active"


def test_the_limit_of_rejections_within_the_window_suspends_the_shop(operator, alice, shop_a):
    Settings.objects.filter(pk=1).update(strike_limit=3, strike_days=30)

    _reject_listings(operator, alice, shop_a, 3)

    assert Shop.objects.get(pk=shop_a.pk).status == "suspended"
    change = ShopStatusChange.objects.get(shop=shop_a)
    assert change.to_status == "suspended" and change.changed_by == operator
    assert "3" in change.reason and "30" in change.reason


def test_rejections_older_than_the_window_do_not_count(operator, alice, shop_a):
    Settings.objects.filter(pk=1).update(strike_limit=3, strike_days=30)
    _reject_listings(operator, alice, shop_a, 2)
    Case.objects.update(decided_at=timezone.now() - timedelta(days=31))

    _reject_listings(operator, alice, shop_a, 1)

    assert Shop.objects.get(pk=shop_a.pk).status == "active"
