"""How people read numbers: `{{ value|amount }}` for money and counts, in the viewer's language.

Chinese readers count large sums in 万 (10⁴) and 亿 (10⁸): ¥1,234.50, ¥12.35万, ¥3.2亿; English
readers get thousands separators: ¥12,345,678.00. Counts follow the same rule without a symbol.
Exact amounts (an order's total, a price) stay exact below 10,000 in both languages; from 万 on
a Chinese page shows two decimals of 万 (the figure people say aloud), never fen.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import get_language

from villagemarket.core.money import SYMBOLS, Money

register = template.Library()

WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def _chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


def _in_units(value: Decimal) -> str | None:
    """Large values as "12.35万" / "3.2亿"; None below 万 (shown as is)."""
    magnitude = abs(value)
    for unit, label in ((YI, "亿"), (WAN, "万")):
        if magnitude >= unit:
            scaled = (value / unit).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            text = f"{scaled:,.2f}".rstrip("0").rstrip(".")
            return f"{text}{label}"
    return None


def format_amount(value, chinese: bool | None = None) -> str:
    """A Money or a count as people read it in the current language (see the module doc)."""
    if value is None or value == "":
        return ""
    chinese = _chinese() if chinese is None else chinese
    if isinstance(value, Money):
        if chinese and (large := _in_units(value.amount)) is not None:
            return f"{SYMBOLS.get(value.currency, '')}{large}"
        return value.format()
    number = Decimal(value)
    if chinese and (large := _in_units(number)) is not None:
        return large
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,}"


@register.filter
def amount(value, currency: str = "") -> str:
    """`{{ order.total|amount }}`, `{{ count|amount }}`; `{{ row.sales_minor|amount:"CNY" }}`
    reads an integer as minor units of that currency."""
    if currency and isinstance(value, int) and not isinstance(value, bool):
        value = Money(value, currency)
    return format_amount(value)
