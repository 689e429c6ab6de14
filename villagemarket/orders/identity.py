"""Who is behind an order, as far as a marketplace can tell (pure; no ORM): the delivery address
reduced to a comparable key, and the browser's device id. Anti-brushing compares orders by them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# A device id is ours (made by orders.device) or an API client's own: 16-64 URL-safe characters.
DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
# Everything but letters and digits (any script): spaces, punctuation, dashes, full-width marks.
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalised_address(region_code: str, detail: str) -> str:
    """The address as fake orders cannot vary it cheaply: the township code and the street
    detail, NFKC-folded (full-width digits become ASCII), case-folded, without spaces or
    punctuation. The recipient and mobile are left out: a brusher changes those for free."""
    folded = unicodedata.normalize("NFKC", detail).casefold()
    return f"{region_code}|{_NOT_WORD.sub('', folded)}"


def address_key(region_code: str, detail: str) -> str:
    """A fixed-length key of normalised_address (40 hex characters), stored on each order."""
    return hashlib.sha1(
        normalised_address(region_code, detail).encode(), usedforsecurity=False
    ).hexdigest()


def clean_device_id(value: str | None) -> str:
    """The device id if it is well formed, else "" (a forged or broken one is simply absent)."""
    value = (value or "").strip()
    return value if DEVICE_ID.fullmatch(value) else ""
