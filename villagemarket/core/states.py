"""The one shape of every state machine (orders, products, shops, payments): a table of allowed
moves, (status, event) -> status, and the four questions asked of it. Pure: no ORM.

Each app keeps its own statuses, events, table and refusal message in its `states.py` and binds
the answers to module names (`next_status`, `allowed_events`, `sources`, `target`); services
apply a move with one guarded UPDATE (`WHERE status IN sources(event)`), so two callers cannot
both make it.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models

from .errors import IllegalTransition


class StateMachine[S: models.TextChoices, E: models.TextChoices]:
    """Allowed moves of one kind of record. `refusal` is a translatable message with
    %(status)s and %(event)s (the labels); `name_status_field` also names the status in the
    error's fields, for forms that show it beside the field."""

    def __init__(
        self,
        transitions: Mapping[tuple[str, str], str],
        *,
        status: type[S],
        event: type[E],
        refusal: str,
        name_status_field: bool = False,
    ) -> None:
        self.transitions = dict(transitions)
        self.status = status
        self.event = event
        self.refusal = refusal
        self.name_status_field = name_status_field

    def next_status(self, status: str, event: str) -> S:
        """The status after `event`, or IllegalTransition (HTTP 409) naming both when the record
        in `status` cannot take it."""
        try:
            return self.status(self.transitions[(status, event)])
        except KeyError:
            label = self.status(status).label
            raise IllegalTransition(
                str(self.refusal) % {"status": label, "event": self.event(event).label},
                fields={"status": [str(label)]} if self.name_status_field else None,
            ) from None

    def allowed_events(self, status: str) -> list[E]:
        """Events a record in `status` may take, for showing only the buttons that work."""
        return [self.event(event) for (source, event) in self.transitions if source == status]

    def sources(self, event: str) -> list[S]:
        """The statuses from which `event` is allowed: the WHERE of its guarded UPDATE."""
        return [self.status(source) for (source, name) in self.transitions if name == event]

    def target(self, event: str) -> S:
        """Where `event` leads, for events with one target (ValueError otherwise)."""
        (to,) = {to for (_source, name), to in self.transitions.items() if name == event}
        return self.status(to)
