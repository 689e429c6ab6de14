"""What messaging offers the apps above it (notifications tells an offline recipient).

`on_message_posted(listener)`: the listener is called with a `PostedMessage` inside the
transaction that delivers a message: at once when its text is clean, or inside the operator's
approval when moderation held it (a held or rejected message is never announced). Once per
delivered message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .models import Message


@dataclass(frozen=True)
class PostedMessage:
    """A delivered message, its conversation and sender, and which side receives it."""

    message: Message
    recipient_side: str  # "buyer" or "shop"

    @property
    def conversation(self):
        return self.message.conversation

    @property
    def sender(self):
        return self.message.sender


_listeners: list[Callable[[PostedMessage], object]] = []


def on_message_posted(listener: Callable[[PostedMessage], object]) -> None:
    """Register `listener` (idempotent: registering the same function twice keeps one)."""
    if listener not in _listeners:
        _listeners.append(listener)


def message_posted(message: Message) -> None:
    """Tell every listener, inside the current transaction (it commits or rolls back with it)."""
    posted = PostedMessage(message=message, recipient_side=message.recipient_side)
    for listener in list(_listeners):
        listener(posted)
