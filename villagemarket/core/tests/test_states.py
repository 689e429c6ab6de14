"""core.states: the one shape of the state machines, with a toy table (no database)."""

from __future__ import annotations

import pytest
from django.db import models

from villagemarket.core.errors import IllegalTransition
from villagemarket.core.states import StateMachine


class Lamp(models.TextChoices):
    OFF = "off", "off"
    ON = "on", "on"
    BROKEN = "broken", "broken"


class Press(models.TextChoices):
    SWITCH_ON = "switch_on", "switch on"
    SWITCH_OFF = "switch_off", "switch off"
    SMASH = "smash", "smash"


LAMP = StateMachine(
    {
        (Lamp.OFF, Press.SWITCH_ON): Lamp.ON,
        (Lamp.ON, Press.SWITCH_OFF): Lamp.OFF,
        (Lamp.OFF, Press.SMASH): Lamp.BROKEN,
        (Lamp.ON, Press.SMASH): Lamp.BROKEN,
    },
    status=Lamp,
    event=Press,
    refusal="A lamp that is %(status)s cannot %(event)s.",
)


def test_an_allowed_move_gives_the_next_status():
    assert LAMP.next_status("off", "switch_on") is Lamp.ON


def test_a_move_that_is_not_listed_is_refused_naming_status_and_event():
    with pytest.raises(IllegalTransition) as refused:
        LAMP.next_status("broken", "switch_on")
    assert refused.value.message == "A lamp that is broken cannot switch on."
    assert refused.value.fields == {}


def test_the_status_field_is_named_when_asked():
    machine = StateMachine(
        LAMP.transitions, status=Lamp, event=Press, refusal="no", name_status_field=True
    )
    with pytest.raises(IllegalTransition) as refused:
        machine.next_status("broken", "smash")
    assert refused.value.fields == {"status": ["broken"]}


def test_questions_for_buttons_and_guarded_updates():
    assert LAMP.allowed_events("off") == [Press.SWITCH_ON, Press.SMASH]
    assert LAMP.allowed_events("broken") == []
    assert LAMP.sources("smash") == [Lamp.OFF, Lamp.ON]
    assert LAMP.target("smash") is Lamp.BROKEN
