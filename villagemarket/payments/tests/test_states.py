"""The payment state machine as pure rules (no database)."""

from __future__ import annotations

import pytest

from villagemarket.core.errors import IllegalTransition
from villagemarket.payments import states
from villagemarket.payments.states import PaymentEventName as E
from villagemarket.payments.states import PaymentStatus as S


@pytest.mark.parametrize(
    ("source", "event", "target"),
    [
        (S.PENDING, E.SUCCEED, S.SUCCEEDED),
        (S.FAILED, E.SUCCEED, S.SUCCEEDED),
        (S.CLOSED, E.SUCCEED, S.SUCCEEDED),
        (S.PENDING, E.FAIL, S.FAILED),
        (S.PENDING, E.CLOSE, S.CLOSED),
        (S.FAILED, E.CLOSE, S.CLOSED),
    ],
)
def test_allowed_moves(source, event, target):
    assert states.next_status(source, event) == target


@pytest.mark.parametrize(
    ("source", "event"),
    [
        (S.SUCCEEDED, E.FAIL),  # a late failure never downgrades a paid payment
        (S.SUCCEEDED, E.CLOSE),
        (S.SUCCEEDED, E.SUCCEED),
        (S.FAILED, E.FAIL),
        (S.CLOSED, E.CLOSE),
        (S.CLOSED, E.FAIL),
    ],
)
def test_other_moves_are_illegal_transitions(source, event):
    with pytest.raises(IllegalTransition):
        states.next_status(source, event)


def test_guarded_updates_read_their_where_from_the_table():
    assert set(states.sources(E.SUCCEED)) == {S.PENDING, S.FAILED, S.CLOSED}
    assert states.sources(E.FAIL) == [S.PENDING]
    assert states.target(E.CLOSE) == S.CLOSED
    assert set(states.PAYABLE) == {S.PENDING, S.FAILED}


def test_an_illegal_move_names_both_states():
    with pytest.raises(IllegalTransition) as english:
        states.next_status(S.SUCCEEDED, E.FAIL)
    assert str(english.value) == "A payment that is paid cannot fail."
