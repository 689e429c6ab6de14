"""The product status machine (catalog.states) as pure rules, and the services that use it."""

from __future__ import annotations

import pytest

from villagemarket.catalog import services, states
from villagemarket.catalog.models import Product
from villagemarket.catalog.states import Event, Status
from villagemarket.core.errors import IllegalTransition

ALL = [(status, event) for status in Status for event in Event]


@pytest.mark.parametrize(("status", "event"), ALL)
def test_every_move_is_either_listed_or_refused_with_a_409(status, event):
    if (status, event) in states.TRANSITIONS:
        assert states.next_status(status, event) == states.TRANSITIONS[(status, event)]
        assert event in states.allowed_events(status)
    else:
        with pytest.raises(IllegalTransition) as refused:
            states.next_status(status, event)
        assert refused.value.status == 409
        assert str(status.label) in refused.value.message
        assert event not in states.allowed_events(status)


def test_the_seller_publishes_drafts_and_delisted_products_and_delists_published_ones():
    assert states.next_status("draft", "publish") == Status.PUBLISHED
    assert states.next_status("delisted", "publish") == Status.PUBLISHED
    assert states.next_status("published", "delist") == Status.DELISTED
    assert states.allowed_events("published") == [Event.DELIST, Event.MODERATE_DELIST, Event.HOLD]


def test_a_held_listing_waits_for_the_operator_and_the_seller_cannot_delist_it():
    assert states.next_status("draft", "hold") == Status.HELD
    assert states.next_status("published", "hold") == Status.HELD
    assert states.next_status("held", "moderate_publish") == Status.PUBLISHED
    assert states.next_status("held", "moderate_delist") == Status.DELISTED
    with pytest.raises(IllegalTransition):
        states.next_status("held", "delist")
    with pytest.raises(IllegalTransition):
        states.next_status("held", "publish")


def test_the_refusal_reads_as_a_sentence():
    with pytest.raises(IllegalTransition) as refused:
        states.next_status("draft", "delist")
    assert refused.value.message == "A product that is draft cannot be delisted."


def test_delisting_a_draft_is_refused_and_changes_nothing(alice, alice_draft):
    with pytest.raises(IllegalTransition):
        services.delist_product(alice, alice_draft.pk)
    assert Product.objects.get(pk=alice_draft.pk).status == "draft"


def test_publishing_a_published_product_is_refused(alice, alice_product):
    with pytest.raises(IllegalTransition):
        services.publish_product(alice, alice_product.pk)


def test_an_operator_cannot_put_a_published_product_on_sale_again(operator, alice_product):
    with pytest.raises(IllegalTransition):
        services.moderate_publish(operator, alice_product.pk)


def test_a_move_checked_against_a_stale_status_changes_nothing(alice, alice_product):
    # given a product read as published, then delisted by another request
    stale = Product.objects.select_related("shop").get(pk=alice_product.pk)
    services.delist_product(alice, alice_product.pk)
    # when the stale copy is delisted again through the guarded update
    with pytest.raises(IllegalTransition):
        services.common.move_product(stale, Event.DELIST)
    # then the row is still delisted once, not moved twice
    assert Product.objects.get(pk=alice_product.pk).status == "delisted"
