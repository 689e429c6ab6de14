"""Server-rendered SVG charts: a time series and the province tile map. Small, no JavaScript."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from villagemarket.observatory.figures import PROVINCE_SHORT, PROVINCE_TILES

COLOURS = ["#d9480f", "#1c7ed6", "#2b8a3e"]


def time_series(
    series: dict[str, dict[int, int | None]], *, width: int = 420, height: int = 200
) -> SafeString:
    """Lines of yearly counts (name -> {year: count}); missing years leave gaps, and every year
    from the first to the last is labelled (a gap is a year without figures, not a skipped one).
    """
    known = sorted({y for points in series.values() for y, v in points.items() if v is not None})
    if not known:
        return mark_safe("")
    years = list(range(known[0], known[-1] + 1))
    top = max(v for points in series.values() for v in points.values() if v is not None) or 1
    left, right, head = 44, 20, 24  # room for the last year's label
    span = max(years[-1] - years[0], 1)
    # Many years on a narrow chart: the labels turn 45° (with room below) rather than overlap.
    turn = (width - left - right) / span < 30
    bottom = 44 if turn else 28
    label_y = height - bottom + 14

    def x(year: int) -> float:
        return left + (year - years[0]) * (width - left - right) / span

    def y(value: int) -> float:
        return height - bottom - value * (height - bottom - head) / top

    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" class="chart" xmlns="http://www.w3.org/2000/svg">'  # noqa: E501 - SVG markup
    ]
    for frac in (0, 0.5, 1):
        value = round(top * frac)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#eee"/>'  # noqa: E501 - SVG markup
            f'<text x="{left - 4}" y="{y(value) + 4:.1f}" font-size="10" text-anchor="end">{value:,}</text>'  # noqa: E501 - SVG markup
        )
    for year in years:
        anchor = (
            f' transform="rotate(-45 {x(year):.1f} {label_y})" text-anchor="end"'
            if turn
            else ' text-anchor="middle"'
        )
        parts.append(f'<text x="{x(year):.1f}" y="{label_y}" font-size="10"{anchor}>{year}</text>')
    for i, (name, points) in enumerate(series.items()):
        colour = COLOURS[i % len(COLOURS)]
        coords = [(x(yr), y(v)) for yr, v in sorted(points.items()) if v is not None]
        path = " ".join(f"{a:.1f},{b:.1f}" for a, b in coords)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
        parts.extend(
            f'<circle cx="{a:.1f}" cy="{b:.1f}" r="2.5" fill="{colour}"/>' for a, b in coords
        )
        parts.append(
            f'<text x="{left + 8 + i * 150}" y="14" font-size="12" fill="{colour}">■ {escape(name)}</text>'  # noqa: E501 - SVG markup
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped names only


def province_tiles(
    counts: dict[str, int], links: dict[str, str] | None = None, *, size: int = 44
) -> SafeString:
    """The 31 provinces as squares on a fixed grid, darker where there are more Taobao villages."""
    top = max(counts.values(), default=0) or 1
    cols = 1 + max(c for _, c in PROVINCE_TILES.values())
    rows = 1 + max(r for r, _ in PROVINCE_TILES.values())
    parts = [
        f'<svg viewBox="0 0 {cols * size} {rows * size}" class="tiles" role="img" xmlns="http://www.w3.org/2000/svg">'  # noqa: E501 - SVG markup
    ]
    for code, (row, col) in PROVINCE_TILES.items():
        n = counts.get(code, 0)
        # Square-root scale: Zhejiang would otherwise leave every other province white.
        alpha = 0.08 + 0.92 * (n / top) ** 0.5 if n else 0.04
        dark = alpha > 0.55
        tile = (
            f'<rect x="{col * size + 1}" y="{row * size + 1}" width="{size - 2}" height="{size - 2}" rx="4" '  # noqa: E501 - SVG markup
            f'fill="rgba(217,72,15,{alpha:.2f})"><title>{code}: {n}</title></rect>'
            f'<text x="{col * size + size / 2}" y="{row * size + 20}" font-size="13" text-anchor="middle" '  # noqa: E501 - SVG markup
            f'fill="{"#fff" if dark else "#222"}">{PROVINCE_SHORT[code]}</text>'
            f'<text x="{col * size + size / 2}" y="{row * size + 36}" font-size="10" text-anchor="middle" '  # noqa: E501 - SVG markup
            f'fill="{"#fff" if dark else "#444"}">{n}</text>'
        )
        href = (links or {}).get(code)
        parts.append(f'<a href="{escape(href)}">{tile}</a>' if href else tile)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped names only
