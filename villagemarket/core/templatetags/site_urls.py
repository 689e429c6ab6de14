"""`{% absolute_url 'viewname' arg %}`: an absolute link on SITE_URL (core.urls), for templates."""

from django import template

from villagemarket.core.urls import absolute_reverse

register = template.Library()


@register.simple_tag
def absolute_url(viewname: str, *args) -> str:
    return absolute_reverse(viewname, *args)
