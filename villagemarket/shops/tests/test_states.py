"""A shop's life as pure rules (no database), in orders/states.py's shape."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from villagemarket.core.errors import IllegalTransition
from villagemarket.shops.states import TRANSITIONS, Event, Status, allowed_events, next_status


@pytest.mark.parametrize(
    ("status", "event", "after"),
    [
        ("pending", "approve", "active"),
        ("pending", "suspend", "suspended"),
        ("active", "suspend", "suspended"),
        ("suspended", "reinstate", "active"),
    ],
)
def test_operator_decisions_move_a_shop(status, event, after):
    assert next_status(status, event) == after


@pytest.mark.parametrize(
    ("status", "event"),
    [("active", "approve"), ("active", "reinstate"), ("suspended", "approve"),
     ("pending", "reinstate"), ("suspended", "suspend")],
)  # fmt: skip
def test_a_move_that_is_not_listed_is_a_translated_illegal_transition(status, event):
    with pytest.raises(IllegalTransition) as caught:
        next_status(status, event)
    # the message uses the labels people read, not the stored codes
    assert str(Status(status).label) in caught.value.message
    assert caught.value.status == 409


@given(st.sampled_from(Status.values), st.sampled_from(Event.values))
def test_every_pair_either_moves_as_listed_or_is_refused(status, event):
    if (status, event) in TRANSITIONS:
        assert next_status(status, event) == TRANSITIONS[(status, event)]
    else:
        with pytest.raises(IllegalTransition):
            next_status(status, event)


def test_allowed_events_are_the_buttons_that_work():
    assert allowed_events("pending") == [Event.APPROVE, Event.SUSPEND]
    assert allowed_events("active") == [Event.SUSPEND]
    assert allowed_events("suspended") == [Event.REINSTATE]
