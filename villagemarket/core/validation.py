"""Input rules shared by every API schema and form: text without control characters, names
that are visible, ids that fit the database.

Ninja schemas use the Annotated types (`Text`, `Name`, `DbId`); Django forms use the
validators (`no_control_characters`, `visible_text`). One definition of each, so the API and
the pages refuse the same input with the same words.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

# Largest value of a database bigint (PostgreSQL bigint / SQLite integer): every primary key.
MAX_DB_ID = 2**63 - 1
# Whitespace that ordinary text may hold: tab, line feed, carriage return.
ALLOWED_CONTROLS = frozenset("\t\n\r")
# Characters that draw nothing but are not in the Unicode "space" or "format" categories.
_BLANK_LOOKALIKES = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")


def find_control_character(value: str, *, allow: frozenset[str] = ALLOWED_CONTROLS) -> str | None:
    """The first control character (NUL, C0/C1 controls, DEL) in `value`, except `allow`."""
    for char in value:
        if unicodedata.category(char) == "Cc" and char not in allow:
            return char
        if unicodedata.category(char) == "Cs":  # a lone surrogate cannot be stored as UTF-8
            return char
    return None


def is_invisible(value: str) -> bool:
    """True when `value` is empty or draws nothing (spaces, zero-width and format characters)."""
    for char in value:
        category = unicodedata.category(char)
        if category[0] in "ZC" or char in _BLANK_LOOKALIKES:
            continue
        if category in ("Mn", "Me"):  # a lone combining mark draws nothing on its own
            continue
        return False
    return True


def parse_db_id(value: str | int | None) -> int | None:
    """`value` as a database id when it is one, else None: an int (not a bool) or a string of
    ASCII digits, within 1..MAX_DB_ID. The one id rule for forms, query strings and JSON bodies.

    `str.isdigit()` is not this test: it accepts "١٢٣", "²" and 5,000-digit strings that int()
    reads differently, refuses, or the database cannot hold.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= MAX_DB_ID else None
    if not (
        isinstance(value, str) and 0 < len(value) <= 19 and value.isascii() and value.isdigit()
    ):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_DB_ID else None


def control_character_message(char: str) -> str:
    return _("must not contain control characters (found U+%(code)04X)") % {"code": ord(char)}


# --- Django form validators --------------------------------------------------------------------
def no_control_characters(value: str) -> None:
    """Form validator: refuses NUL and other control characters (tab and newlines allowed)."""
    char = find_control_character(str(value))
    if char is not None:
        raise ValidationError(control_character_message(char), code="control_characters")


def visible_text(value: str) -> None:
    """Form validator: refuses text made only of spaces or invisible characters."""
    if value and is_invisible(str(value)):
        raise ValidationError(
            _("must contain visible characters, not only spaces or invisible ones"),
            code="invisible",
        )


# --- pydantic (ninja schema) types -------------------------------------------------------------
def _text(value: str) -> str:
    char = find_control_character(value)
    if char is not None:
        raise PydanticCustomError("control_characters", control_character_message(char))
    return value


def _name(value: str) -> str:
    char = find_control_character(value, allow=frozenset())
    if char is not None:
        raise PydanticCustomError("control_characters", control_character_message(char))
    stripped = value.strip()
    # "" stays "" (whether a name is required is the schema's call); "  " or "\u200b" is refused.
    if value and is_invisible(stripped):
        raise PydanticCustomError(
            "invisible", _("must contain visible characters, not only spaces or invisible ones")
        )
    return stripped


# Free text (descriptions, notes): no control characters except tab and newlines.
Text = Annotated[str, AfterValidator(_text)]
# A one-line name or title: no control characters at all, stripped, something visible.
Name = Annotated[str, AfterValidator(_name)]
# A database id: what a primary key can be, so nothing out of range reaches a query.
DbId = Annotated[int, Field(ge=1, le=MAX_DB_ID)]
