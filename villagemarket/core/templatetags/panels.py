"""`{% panels "slot" obj %}`: what higher apps add to this page (core/panels.py)."""

from django import template

from villagemarket.core import panels as registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot: str, obj=None):
    request = context.get("request")
    if request is None:
        return ""
    return registry.render(slot, request, obj)
