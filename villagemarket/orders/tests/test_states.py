"""The order state machine, without a database."""

from __future__ import annotations

import pytest

from villagemarket.core.errors import IllegalTransition
from villagemarket.orders.states import TRANSITIONS, Event, Status, allowed_events, next_status


def test_the_happy_path_runs_from_payment_to_completion():
    status = Status.AWAITING_PAYMENT
    for event in (Event.PAY, Event.SHIP, Event.EXTEND, Event.CONFIRM):
        status = next_status(status, event)
    assert status == Status.COMPLETED


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("event", list(Event))
def test_every_unlisted_move_is_an_illegal_transition_with_http_409(status, event):
    if (status, event) in TRANSITIONS:
        assert next_status(status, event) in Status
    else:
        with pytest.raises(IllegalTransition) as refused:
            next_status(status, event)
        assert refused.value.status == 409 and refused.value.code == "illegal_transition"


@pytest.mark.parametrize("final", [Status.COMPLETED, Status.CLOSED])
def test_completed_and_closed_are_final(final):
    assert allowed_events(final) == []


def test_a_shipped_order_cannot_be_cancelled_and_an_unpaid_one_cannot_ship():
    with pytest.raises(IllegalTransition):
        next_status(Status.SHIPPED, Event.CANCEL)
    with pytest.raises(IllegalTransition):
        next_status(Status.AWAITING_PAYMENT, Event.SHIP)


def test_an_illegal_move_is_explained_in_chinese_to_a_chinese_viewer():
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(IllegalTransition) as refused:
        next_status(Status.COMPLETED, Event.SHIP)
    assert str(refused.value) == "“已完成”的订单不能执行“发货”。"
