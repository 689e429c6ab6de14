"""Pure rules of messaging (no ORM): limits and what a message may hold."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from villagemarket.core.errors import Invalid
from villagemarket.core.validation import find_control_character, is_invisible

MAX_TEXT = 2000
# Spam limits (core.ratelimit fixed windows), overridable in settings.
NEW_CONVERSATIONS_PER_HOUR = 10
MESSAGES_PER_MINUTE = 20


def new_conversations_per_hour() -> int:
    return getattr(settings, "MESSAGING_NEW_CONVERSATIONS_PER_HOUR", NEW_CONVERSATIONS_PER_HOUR)


def messages_per_minute() -> int:
    return getattr(settings, "MESSAGING_MESSAGES_PER_MINUTE", MESSAGES_PER_MINUTE)


def clean_text(text: str | None, *, has_image: bool) -> str:
    """The message text, stripped; Invalid naming `text` when it is empty (and no image is
    attached), too long, or holds control characters."""
    text = (text or "").strip()
    if not text or is_invisible(text):
        if has_image:
            return ""
        raise Invalid(
            _("Write a message or attach an image."), fields={"text": [_("write something")]}
        )
    if len(text) > MAX_TEXT:
        raise Invalid(
            _("A message has at most %(n)s characters.") % {"n": MAX_TEXT},
            fields={"text": [_("at most %(n)s characters") % {"n": MAX_TEXT}]},
        )
    if find_control_character(text) is not None:
        raise Invalid(
            _("The message holds control characters."),
            fields={"text": [_("must not contain control characters")]},
        )
    return text
