"""What moderation offers the apps above it: the kinds of content it can hold, and news of each
decision. moderation sits on layer 1, so it never imports catalog, shops, reviews or messaging:
each registers its kind here in its AppConfig.ready().

    hooks.register_kind("product", label=_("product"), describe=describe, on_decision=decide)

`describe(object_id) -> ContentRef | None` says what the queue shows (None: it is gone);
`on_decision(object_id, approved, reason)` runs inside the operator's decision transaction, so the
owning app publishes or rejects its content atomically with the decision.
`on_decision(listener)` (the function below) tells every listener each Decision, in the same
transaction (notifications tells the seller or author why; shops counts strikes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ContentRef:
    """What the queue and a report need to know about one piece of content."""

    title: str
    url: str
    text: str
    shop_id: int | None = None
    author_id: int | None = None


@dataclass(frozen=True)
class Decision:
    """An operator's decision on a case (given to on_decision listeners)."""

    kind: str
    object_id: int
    approved: bool
    reason: str
    shop_id: int | None = None
    author_id: int | None = None
    case_id: int | None = None
    decided_by: object = None  # the operator (a User)


@dataclass(frozen=True)
class Kind:
    kind: str
    label: object
    describe: Callable[[int], ContentRef | None]
    on_decision: Callable[[int, bool, str], object]


_kinds: dict[str, Kind] = {}
_listeners: list[Callable[[Decision], object]] = []


def register_kind(
    kind: str,
    *,
    label,
    describe: Callable[[int], ContentRef | None],
    on_decision: Callable[[int, bool, str], object],
) -> None:
    """A higher app declares a kind of content it lets moderation hold (once, from ready())."""
    _kinds[kind] = Kind(kind, label, describe, on_decision)


def kind(name: str) -> Kind | None:
    return _kinds.get(name)


def kinds() -> dict[str, Kind]:
    return dict(_kinds)


def on_decision(listener: Callable[[Decision], object]) -> None:
    """A higher app hears of every decision, inside its transaction."""
    if listener not in _listeners:
        _listeners.append(listener)


def decided(decision: Decision) -> None:
    """Tell the kind's owner, then every listener (inside the decision's transaction)."""
    owner = _kinds.get(decision.kind)
    if owner is not None:
        owner.on_decision(decision.object_id, decision.approved, decision.reason)
    for listener in list(_listeners):
        listener(decision)
