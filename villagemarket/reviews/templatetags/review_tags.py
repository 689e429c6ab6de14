from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def stars(value, label: str = "") -> str:
    """★★★★☆ for a star count (rounded for an average), with the figure for screen readers."""
    if value is None:
        return ""
    whole = max(0, min(5, int(round(float(value)))))
    figure = value if isinstance(value, int) else f"{float(value):.1f}"
    spoken = _("%(n)s of 5 stars") % {"n": figure}
    return format_html(
        '<span class="stars" role="img" aria-label="{}{}">{}<span class="off">{}</span></span>',
        f"{label}: " if label else "",
        spoken,
        "★" * whole,
        "☆" * (5 - whole),
    )


@register.filter
def one_place(value) -> str:
    """4.67 -> "4.7" (ratings are shown with one decimal)."""
    if value is None:
        return "–"
    return f"{float(value):.1f}"
