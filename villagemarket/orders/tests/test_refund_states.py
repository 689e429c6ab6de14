"""The refund state machine and its pure rules, without a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from villagemarket.core.errors import IllegalTransition
from villagemarket.orders.refund_states import (
    IN_PAYMENT,
    OPEN,
    TRANSITIONS,
    RefundEvent,
    RefundStatus,
    allowed_refund_events,
    next_refund_status,
    no_reason_return_allowed,
    refundable_minor,
)


def test_a_return_runs_from_request_to_refund():
    status = RefundStatus.REQUESTED
    for event in (
        RefundEvent.APPROVE_RETURN,
        RefundEvent.SHIP_BACK,
        RefundEvent.CONFIRM_RETURN,
        RefundEvent.PROVIDER_PAID,
    ):
        status = next_refund_status(status, event)
    assert status == RefundStatus.REFUNDED


@pytest.mark.parametrize(
    "status",
    [RefundStatus.REQUESTED, RefundStatus.RETURNING, RefundStatus.DISPUTED],
)
def test_every_way_to_the_money_goes_through_paying(status):
    # given a refund granted from `status`, the provider is asked before it counts as refunded
    paying = [target for (source, _event), target in TRANSITIONS.items() if source == status]
    assert RefundStatus.REFUNDED not in paying
    assert RefundStatus.PAYING in paying


def test_a_refund_being_paid_or_failed_is_decided_and_not_final():
    assert set(IN_PAYMENT) == {RefundStatus.PAYING, RefundStatus.FAILED}
    assert not set(IN_PAYMENT) & set(OPEN)
    assert allowed_refund_events(RefundStatus.PAYING) == [
        RefundEvent.PROVIDER_PAID,
        RefundEvent.PROVIDER_FAILED,
    ]


@pytest.mark.parametrize("status", list(RefundStatus))
@pytest.mark.parametrize("event", list(RefundEvent))
def test_every_unlisted_move_is_an_illegal_transition(status, event):
    if (status, event) in TRANSITIONS:
        assert next_refund_status(status, event) == TRANSITIONS[(status, event)]
    else:
        with pytest.raises(IllegalTransition) as caught:
            next_refund_status(status, event)
        assert caught.value.code == "illegal_transition"


def test_refunded_and_withdrawn_requests_are_final():
    assert allowed_refund_events(RefundStatus.REFUNDED) == []
    assert allowed_refund_events(RefundStatus.CANCELLED) == []
    assert RefundStatus.REFUNDED not in OPEN and RefundStatus.REJECTED not in OPEN


def test_the_goods_cannot_be_refunded_before_they_came_back():
    with pytest.raises(IllegalTransition):
        next_refund_status(RefundStatus.AWAITING_RETURN, RefundEvent.CONFIRM_RETURN)


@pytest.mark.parametrize(
    "products, allowed",
    [
        ([(True, False, False)], True),
        ([(True, False, False), (False, False, False)], False),
        ([(True, True, False)], False),  # perishable
        ([(True, False, True)], False),  # custom-made
        ([], False),
    ],
)
def test_no_reason_return_needs_every_product_to_offer_it(products, allowed):
    assert no_reason_return_allowed(products) is allowed


@given(st.integers(1, 10**9), st.integers(0, 10**9))
def test_what_is_refundable_is_never_negative_nor_above_the_total(total, claimed):
    left = refundable_minor(total, min(claimed, total))
    assert 0 <= left <= total
