"""Pure rules for account identifiers (no ORM): how a typed login becomes a stored one."""

from __future__ import annotations

import re

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# People paste numbers as "+86 138-0013-8000" or "0086 13800138000"; only digits count.
_MOBILE_NOISE = re.compile(r"[\s\-().]")


def normalize_mobile(value: str) -> str:
    """Strip spaces, dashes and a +86/0086 country prefix; the result may still be invalid."""
    digits = _MOBILE_NOISE.sub("", value or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


def is_valid_mobile(value: str) -> bool:
    """An 11-digit mainland mobile number starting 13-19."""
    return bool(MOBILE_RE.match(value or ""))


def normalize_email(value: str) -> str:
    """Emails are compared and stored lower-case: people do not expect case to matter."""
    return (value or "").strip().lower()


def normalize_login(value: str) -> str:
    """The canonical form of what someone typed in the "email or mobile" field."""
    value = (value or "").strip()
    return normalize_email(value) if "@" in value else normalize_mobile(value)
