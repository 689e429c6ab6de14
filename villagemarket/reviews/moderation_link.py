"""The thin link to moderation (layer 1): submit review texts, register the review kinds.

Moderation screens a text and, when it matches, opens a held case; its operator's decision
comes back through `on_decision`. Until the moderation app is installed, every text is clean.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps

KIND_REVIEW = "review"
KIND_FOLLOW_UP = "review_follow_up"
KIND_REPLY = "review_reply"


def installed() -> bool:
    return apps.is_installed("villagemarket.moderation")


def held(*, kind: str, object_id: int, text: str, shop_id: int | None, author=None) -> bool:
    """Submit `text` for screening inside the caller's transaction; True when it is held."""
    if not text or not installed():
        return False
    from villagemarket.moderation import services

    case = services.submit(
        kind=kind, object_id=object_id, text=text, shop_id=shop_id, author=author
    )
    return case is not None


def register(
    kind: str, *, label: str, describe: Callable, on_decision: Callable[[int, bool, str], object]
) -> None:
    """Register one of our kinds with moderation (nothing to do while it is not installed)."""
    if not installed():
        return
    from villagemarket.moderation import hooks

    hooks.register_kind(kind, label=label, describe=describe, on_decision=on_decision)
