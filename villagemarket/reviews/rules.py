"""Pure review rules (no ORM): star values, text limits, how an anonymous name is masked."""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

from villagemarket.core.errors import Invalid
from villagemarket.core.validation import find_control_character, is_invisible

MAX_PHOTOS = 6
TEXT_MAX = 500  # a review or its follow-up
REPLY_MAX = 300  # a seller's reply
STAR_FIELDS = ("item_stars", "service_stars", "delivery_stars")


def check_stars(**stars: object) -> dict[str, int]:
    """Each of item/service/delivery stars must be a whole number 1..5; Invalid names the field."""
    errors = {}
    clean = {}
    for name in STAR_FIELDS:
        value = stars.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            errors[name] = [_("Choose 1 to 5 stars.")]
        else:
            clean[name] = value
    if errors:
        raise Invalid(_("Give each rating 1 to 5 stars."), fields=errors)
    return clean


def check_text(text: str, *, field: str, limit: int, required: bool) -> str:
    """`text` stripped; Invalid naming `field` when too long, invisible, with control chars."""
    text = (text or "").strip()
    if find_control_character(text) is not None:
        raise Invalid(
            _("The text holds control characters."),
            fields={field: [_("must not contain control characters")]},
        )
    if len(text) > limit:
        raise Invalid(
            _("The text is too long (at most %(n)d characters).") % {"n": limit},
            fields={field: [_("at most %(n)d characters") % {"n": limit}]},
        )
    if required and is_invisible(text):
        raise Invalid(_("Please write something."), fields={field: [_("required")]})
    return text


def check_photo_count(count: int, *, already: int = 0) -> None:
    if count + already > MAX_PHOTOS:
        raise Invalid(
            _("At most %(n)d photos.") % {"n": MAX_PHOTOS},
            fields={"photos": [_("at most %(n)d photos") % {"n": MAX_PHOTOS}]},
        )


def _is_cjk(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("CJK UNIFIED", "CJK COMPATIBILITY", "HANGUL"))


def mask_name(name: str) -> str:
    """The name an anonymous review shows: "张三丰" -> "张**", "buyer" -> "b***r", "" -> "***".

    Always the same number of stars, so the mask does not tell the name's length.
    """
    name = (name or "").strip()
    if not name:
        return "***"
    if _is_cjk(name[0]):
        return name[0] + "**"
    if len(name) == 1:
        return name + "***"
    return name[0] + "***" + name[-1]
