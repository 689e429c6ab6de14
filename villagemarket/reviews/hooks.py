"""Hooks the apps above reviews register to hear about new reviews and seller replies.

Anti-brushing checks each new review; notifications tell the buyer when the seller replied.
A listener registers once in its `AppConfig.ready()` and is called inside the transaction that
saved the review (or the reply), so what it writes commits or rolls back with it. A review the
default-rating sweep gives an unreviewed line is not "posted" and tells nobody.
"""

from __future__ import annotations

from collections.abc import Callable

_review_listeners: list[Callable[[object], object]] = []
_reply_listeners: list[Callable[[object], object]] = []


def on_review_posted(listener: Callable[[object], object]) -> None:
    """Call `listener(review)` for every review a buyer posts (idempotent registration)."""
    if listener not in _review_listeners:
        _review_listeners.append(listener)


def on_reply_posted(listener: Callable[[object], object]) -> None:
    """Call `listener(review)` (with `reply_text` set) when a shop replies (idempotent)."""
    if listener not in _reply_listeners:
        _reply_listeners.append(listener)


def review_posted(review) -> None:
    """Tell every listener, inside the current transaction."""
    for listener in list(_review_listeners):
        listener(review)


def reply_posted(review) -> None:
    """Tell every reply listener, inside the current transaction."""
    for listener in list(_reply_listeners):
        listener(review)
