"""Pure catalog rules (no ORM): what is for sale, quantities, prices, variant options, stock
input. Status transitions are in catalog.states."""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import Field, StrictInt

from villagemarket.core.errors import Invalid
from villagemarket.core.money import EXPONENTS, Money
from villagemarket.core.validation import (
    control_character_message,
    find_control_character,
    is_invisible,
)

from .states import Status

MAX_IMAGES = 10
MAX_SKUS = 50
MAX_STOCK = 1_000_000
MAX_PRICE_MINOR = 100_000_000_00  # 100 million yuan: anything above is a typo
MAX_TITLE, MAX_TITLE_EN = 120, 160
MAX_DESCRIPTION = 20_000  # characters as typed, before sanitizing
MAX_ATTRIBUTES, MAX_ATTRIBUTE_NAME, MAX_ATTRIBUTE_VALUE = 30, 40, 200
MAX_SKU_CODE = 40
MAX_OPTIONS, MAX_OPTION_NAME, MAX_OPTION_VALUE = 5, 20, 40
# More of one SKU than this in a cart line or an order is a typo or an attack, not an order
# from a village shop. Cart and checkout both check it with check_quantity.
MAX_LINE_QUANTITY = 999

# A quantity in an API body: a JSON integer (not true, "1" or 2.0) from 1 to MAX_LINE_QUANTITY.
Quantity = Annotated[StrictInt, Field(ge=1, le=MAX_LINE_QUANTITY)]
# The same, where 0 means "remove the line".
QuantityOrZero = Annotated[StrictInt, Field(ge=0, le=MAX_LINE_QUANTITY)]

# Why a SKU is not for sale (sale_refusal's answers).
SHOP_NOT_SELLING = "shop_not_selling"
NOT_SOLD = "not_sold"


def sale_refusal(*, sku_active: bool, product_status: str, shop_active: bool) -> str:
    """Why a SKU is not for sale: SHOP_NOT_SELLING (its shop is pending or suspended), NOT_SOLD
    (the SKU is inactive or its product is a draft or delisted), or "" when it is for sale.

    The one rule; `SKU.sale_refusal` applies it to a row and `SKU.objects.for_sale()` is the
    same rule as a filter. Stock is not part of it: a sold-out SKU is for sale but short.
    """
    if not shop_active:
        return SHOP_NOT_SELLING
    if product_status != Status.PUBLISHED or not sku_active:
        return NOT_SOLD
    return ""


def check_quantity(quantity, *, allow_zero: bool = False, field: str = "quantity") -> int:
    """A quantity for a cart line or an order line: a real int (not a bool, string or float)
    from 1 (or 0 with `allow_zero`) to MAX_LINE_QUANTITY; Invalid naming `field` otherwise."""
    low = 0 if allow_zero else 1
    if (
        not isinstance(quantity, int)
        or isinstance(quantity, bool)
        or not low <= quantity <= MAX_LINE_QUANTITY
    ):
        raise Invalid(
            _("Quantity must be a whole number from %(low)d to %(max)d.")
            % {"low": low, "max": MAX_LINE_QUANTITY},
            fields={field: [_("Out of range.")]},
        )
    return quantity


def clean_name(value, *, field: str, max_length: int, required: bool = False) -> str:
    """A one-line name (title, attribute, option, code): runs of spaces become one, no control
    characters, something visible, at most `max_length` characters. Refused, never cut."""
    text = "" if value is None else str(value)
    if (char := find_control_character(text)) is not None:
        message = control_character_message(char)
        raise Invalid(message, fields={field: [message]})
    text = " ".join(text.split())
    if text and is_invisible(text):
        message = _("must contain visible characters, not only spaces or invisible ones")
        raise Invalid(message, fields={field: [message]})
    if required and not text:
        raise Invalid(_("Please correct the marked fields."), fields={field: [_("required")]})
    if len(text) > max_length:
        raise Invalid(
            _("%(length)d characters; at most %(max)d are allowed.")
            % {"length": len(text), "max": max_length},
            fields={field: [_("at most %(max)d characters") % {"max": max_length}]},
        )
    return text


def check_description(value, *, field: str = "description") -> str:
    """Description text as typed: no control characters but tab and newlines, at most
    MAX_DESCRIPTION characters (refused, never cut: a cut could end mid-sentence unnoticed)."""
    text = "" if value is None else str(value)
    if (char := find_control_character(text)) is not None:
        message = control_character_message(char)
        raise Invalid(message, fields={field: [message]})
    if len(text) > MAX_DESCRIPTION:
        raise Invalid(
            _("The description has %(length)d characters; at most %(max)d are allowed.")
            % {"length": len(text), "max": MAX_DESCRIPTION},
            fields={field: [_("at most %(max)d characters") % {"max": MAX_DESCRIPTION}]},
        )
    return text


def clean_attributes(value, *, field: str = "attributes") -> dict[str, str]:
    """Product attributes as {name: value} one-line strings, at most MAX_ATTRIBUTES pairs."""
    if value is None:
        return {}
    if not isinstance(value, dict) or len(value) > MAX_ATTRIBUTES:
        raise Invalid(
            _("Attributes are name/value pairs, at most %(max)d.") % {"max": MAX_ATTRIBUTES},
            fields={field: [_("name/value pairs, at most %(max)d") % {"max": MAX_ATTRIBUTES}]},
        )
    cleaned: dict[str, str] = {}
    for name, text in value.items():
        name = clean_name(name, field=field, max_length=MAX_ATTRIBUTE_NAME, required=True)
        cleaned[name] = clean_name(
            text, field=f"{field}.{name}", max_length=MAX_ATTRIBUTE_VALUE, required=True
        )
    return cleaned


def parse_price(text, currency: str = "CNY", *, field: str = "price") -> Money:
    """A positive price from a string like "12.30"; errors name the field."""
    if currency not in EXPONENTS:
        raise Invalid(_("Unknown currency."), fields={"currency": [_("unknown currency")]})
    if text is None or str(text).strip() == "":
        raise Invalid(_("Enter a price."), fields={field: [_("required")]})
    if isinstance(text, (float, bool)):
        # A binary float may already be off by a fen; prices travel as strings.
        raise Invalid(
            _('Send the price as a string like "12.50".'),
            fields={field: [_("a string like 12.50, not a number")]},
        )
    try:
        price = Money.parse(str(text), currency)
    except (ValueError, TypeError):
        # Money.parse is bounded (length, no exponent), so "1e999990" is refused at once.
        raise Invalid(
            _("%(value)s is not a price like 12.50.") % {"value": str(text)[:40]},
            fields={field: [_("not a price like 12.50")]},
        ) from None
    if price.minor <= 0:
        raise Invalid(_("The price must be above zero."), fields={field: [_("must be above zero")]})
    if price.minor > MAX_PRICE_MINOR:
        raise Invalid(_("The price is too high."), fields={field: [_("too high")]})
    return price


def whole_number(value) -> int:
    """An int from an int or from ASCII digits as typed (at most 12 of them, so a 5,000-digit
    string is refused before int() works on it); bools, floats and other digits are refused."""
    if isinstance(value, (bool, float)):
        raise ValueError("not a whole number")
    if isinstance(value, int):
        return value
    text = str(value).strip()
    body = text[1:] if text[:1] in "+-" else text
    if not (body.isascii() and body.isdigit() and len(body) <= 12):
        raise ValueError("not a whole number")
    return int(text)


def parse_stock(value, *, field: str = "stock") -> int:
    """A whole number of items, 0 or more."""
    try:
        number = whole_number(value)
    except (TypeError, ValueError):
        raise Invalid(
            _("Stock must be a whole number."), fields={field: [_("not a whole number")]}
        ) from None
    if number < 0:
        raise Invalid(_("Stock cannot be negative."), fields={field: [_("cannot be negative")]})
    if number > MAX_STOCK:
        raise Invalid(_("Stock is too large."), fields={field: [_("too large")]})
    return number


def parse_weight(value, *, field: str = "weight_grams") -> int:
    try:
        grams = whole_number(value)
    except (TypeError, ValueError):
        raise Invalid(
            _("Weight must be whole grams."), fields={field: [_("not a whole number")]}
        ) from None
    if grams <= 0 or grams > 1_000_000:
        raise Invalid(
            _("Weight must be between 1 g and 1000 kg."), fields={field: [_("out of range")]}
        )
    return grams


def clean_options(options, *, field: str = "options") -> dict[str, str]:
    """Variant options as {name: value} strings, e.g. {"尺码": "L", "颜色": "红"}."""
    if options is None:
        return {}
    if not isinstance(options, dict):
        raise Invalid(
            _("Options must be name/value pairs."), fields={field: [_("not name/value pairs")]}
        )
    cleaned: dict[str, str] = {}
    for name, value in options.items():
        name, value = str(name).strip(), str(value).strip()
        if (
            is_invisible(name)
            or is_invisible(value)
            or find_control_character(name + value, allow=frozenset()) is not None
            or len(name) > MAX_OPTION_NAME
            or len(value) > MAX_OPTION_VALUE
        ):
            raise Invalid(
                _("Each option needs a name (up to 20 characters) and a value (up to 40)."),
                fields={field: [_("bad option %(name)s") % {"name": name[:20] or "?"}]},
            )
        cleaned[name] = value
    if len(cleaned) > MAX_OPTIONS:
        raise Invalid(_("At most 5 options per variant."), fields={field: [_("too many options")]})
    return cleaned


def parse_options_text(text: str, *, field: str = "options") -> dict[str, str]:
    """Options typed in a form: "尺码=L; 颜色=红" (also ，；: and ：)."""
    text = (text or "").strip()
    if not text:
        return {}
    for sep in ("；", ";", "，", ","):
        text = text.replace(sep, "\n")
    options: dict[str, str] = {}
    for line in filter(None, (part.strip() for part in text.splitlines())):
        for sep in ("=", "：", ":"):
            if sep in line:
                name, value = line.split(sep, 1)
                options[name.strip()] = value.strip()
                break
        else:
            raise Invalid(
                _('Write options as name=value, e.g. "尺码=L; 颜色=红".'),
                fields={field: [_("expected name=value")]},
            )
    return clean_options(options, field=field)


def options_text(options: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in (options or {}).items())


def check_return_policy(*, perishable: bool, custom_made: bool, returns_7day: bool) -> None:
    """7-day no-reason return is not offered for perishable or custom-made goods."""
    if returns_7day and (perishable or custom_made):
        raise Invalid(
            _("Perishable or custom-made goods cannot offer 7-day no-reason return."),
            fields={"returns_7day": [_("not for perishable or custom-made goods")]},
        )


def price_range_label(low: int | None, high: int | None, currency: str = "CNY") -> str:
    """ "¥9.90" or "¥9.90 – ¥19.90"; empty when there is no active variant."""
    if low is None:
        return ""
    if high is None or high == low:
        return Money(low, currency).format()
    return f"{Money(low, currency).format()} – {Money(high, currency).format()}"
