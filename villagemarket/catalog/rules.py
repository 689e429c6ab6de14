"""Pure catalog rules (no ORM): what is for sale, quantities, prices, variant options, stock
input, status transitions."""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import Field, StrictInt

from villagemarket.core.errors import IllegalTransition, Invalid
from villagemarket.core.money import EXPONENTS, Money

MAX_IMAGES = 10
MAX_SKUS = 50
MAX_STOCK = 1_000_000
MAX_PRICE_MINOR = 100_000_000_00  # 100 million yuan: anything above is a typo
LOW_STOCK = 5  # the seller list marks a product at or below this total stock
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

DRAFT, PUBLISHED, DELISTED = "draft", "published", "delisted"

# action -> (states it may start from, state it ends in)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "publish": (frozenset({DRAFT, DELISTED}), PUBLISHED),
    "delist": (frozenset({PUBLISHED}), DELISTED),
}


def sale_refusal(*, sku_active: bool, product_status: str, shop_active: bool) -> str:
    """Why a SKU is not for sale: SHOP_NOT_SELLING (its shop is pending or suspended), NOT_SOLD
    (the SKU is inactive or its product is a draft or delisted), or "" when it is for sale.

    The one rule; `SKU.sale_refusal` applies it to a row and `SKU.objects.for_sale()` is the
    same rule as a filter. Stock is not part of it: a sold-out SKU is for sale but short.
    """
    if not shop_active:
        return SHOP_NOT_SELLING
    if product_status != PUBLISHED or not sku_active:
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


def next_status(current: str, action: str) -> str:
    """The status after `action`, or IllegalTransition (HTTP 409) naming both."""
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise IllegalTransition(
            _("A %(status)s product cannot be %(action)sed.")
            % {"status": current, "action": action},
            fields={"status": [current]},
        )
    return target


def parse_price(text, currency: str = "CNY", *, field: str = "price") -> Money:
    """A positive price from a string like "12.30"; errors name the field."""
    if currency not in EXPONENTS:
        raise Invalid(_("Unknown currency."), fields={"currency": [_("unknown currency")]})
    if text is None or str(text).strip() == "":
        raise Invalid(_("Enter a price."), fields={field: [_("required")]})
    if isinstance(text, float):
        # A binary float may already be off by a fen; prices travel as strings.
        raise Invalid(
            _('Send the price as a string like "12.50".'),
            fields={field: [_("a string like 12.50, not a number")]},
        )
    try:
        price = Money.parse(str(text), currency)
    except (ValueError, TypeError):
        raise Invalid(
            _("%(value)s is not a price like 12.50.") % {"value": str(text)[:40]},
            fields={field: [_("not a price like 12.50")]},
        ) from None
    if price.minor <= 0:
        raise Invalid(_("The price must be above zero."), fields={field: [_("must be above zero")]})
    if price.minor > MAX_PRICE_MINOR:
        raise Invalid(_("The price is too high."), fields={field: [_("too high")]})
    return price


def parse_stock(value, *, field: str = "stock") -> int:
    """A whole number of items, 0 or more."""
    try:
        number = int(str(value).strip())
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
        grams = int(str(value).strip())
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
        if not name or not value or len(name) > 20 or len(value) > 40:
            raise Invalid(
                _("Each option needs a name (up to 20 characters) and a value (up to 40)."),
                fields={field: [_("bad option %(name)s") % {"name": name[:20] or "?"}]},
            )
        cleaned[name] = value
    if len(cleaned) > 5:
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
