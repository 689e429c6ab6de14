"""Small display helpers for storefront templates."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized_name(obj) -> str:
    """`name_en` / `title_en` on English pages when set, else the Chinese name."""
    english = (get_language() or "").startswith("en")
    for field, en_field in (("title", "title_en"), ("name", "name_en")):
        if hasattr(obj, field):
            value = getattr(obj, en_field, "") if english else ""
            return value or getattr(obj, "short_name", "") or getattr(obj, field)
    return str(obj)


@register.filter
def first_image(product):
    """The product's first image (from the prefetched list, so no extra query), or None."""
    images = list(product.images.all())
    return images[0] if images else None


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """The current URL's query with `page` replaced, so a pager keeps q and sort."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.filter
def get_option(options, name):
    """options[name] for a SKU's options dict (templates cannot index by a variable)."""
    return (options or {}).get(name) if isinstance(options, dict) else None
