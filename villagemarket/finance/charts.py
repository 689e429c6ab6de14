"""The finance dashboard's chart: daily amounts as lines, server-rendered SVG in the
observatory's way (observatory/charts.py: same look and colours, no JavaScript, no library).

The observatory's `time_series` labels whole years; money by day needs dates on the x axis and
amounts on the y axis, so this is its sibling rather than a call to it.
"""

from __future__ import annotations

import datetime as dt

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from villagemarket.core.money import EXPONENTS, SYMBOLS
from villagemarket.observatory.charts import COLOURS

MAX_LABELS = 8


def _axis_amount(minor: int, currency: str) -> str:
    """A y-axis label in whole units: ¥1,234."""
    whole = minor // 10 ** EXPONENTS[currency]
    return f"{SYMBOLS.get(currency, currency)}{whole:,}"


def daily_lines(
    days: list[dt.date],
    series: dict[str, list[int]],
    currency: str,
    *,
    width: int = 420,
    height: int = 200,
) -> SafeString:
    """One line per named series of amounts in minor units, one point per day. Every day has a
    point; at most MAX_LABELS dates are labelled (month-day), evenly spread."""
    if not days:
        return mark_safe("")
    values = [v for points in series.values() for v in points]
    top = max([*values, 0]) or 1
    low = min([*values, 0])
    left, right, head, bottom = 52, 12, 24, 28
    span = max(len(days) - 1, 1)

    def x(i: int) -> float:
        return left + i * (width - left - right) / span

    def y(value: int) -> float:
        return height - bottom - (value - low) * (height - bottom - head) / (top - low)

    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" class="chart" xmlns="http://www.w3.org/2000/svg">'  # noqa: E501 - SVG markup
    ]
    for value in sorted({low, (low + top) // 2, top}):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#eee"/>'  # noqa: E501 - SVG markup
            f'<text x="{left - 4}" y="{y(value) + 4:.1f}" font-size="10" text-anchor="end">{escape(_axis_amount(value, currency))}</text>'  # noqa: E501 - SVG markup
        )
    step = max(1, -(-len(days) // MAX_LABELS))
    for i in range(0, len(days), step):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - bottom + 14}" font-size="10" text-anchor="middle">{days[i]:%m-%d}</text>'  # noqa: E501 - SVG markup
        )
    for n, (name, points) in enumerate(series.items()):
        colour = COLOURS[n % len(COLOURS)]
        path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(points))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
        parts.append(
            f'<text x="{left + 4 + n * 120}" y="14" font-size="12" fill="{colour}">■ {escape(name)}</text>'  # noqa: E501 - SVG markup
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped names only
