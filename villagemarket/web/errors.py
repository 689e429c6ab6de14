"""The site's own error pages (400, 403, 404, 500) in its design and the viewer's language.

Django's default handlers render the same templates; ours add two things: the 500 page falls
back to a page without the request's context when that context is what broke (a database that
is down breaks the user and message lookups), and `SitePageNotFound` shows the site's 404 for
an unknown product or shop even with DEBUG on (the yellow technical page is for a mistyped URL
pattern, not for a buyer following an old link).
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpResponse, HttpResponseServerError
from django.template import loader
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)


def page_not_found(request, exception=None, template_name="404.html"):
    return _render(request, template_name, 404)


def permission_denied(request, exception=None, template_name="403.html"):
    return _render(request, template_name, 403)


def bad_request(request, exception=None, template_name="400.html"):
    return _render(request, template_name, 400)


def server_error(request, template_name="500.html"):
    try:
        return HttpResponseServerError(loader.render_to_string(template_name, {}, request))
    except Exception:  # the context processors may need the failing database
        logger.exception("the 500 page could not use the request's context")
    try:
        return HttpResponseServerError(loader.render_to_string(template_name, {}))
    except Exception:
        logger.exception("the 500 page could not be rendered")
        return HttpResponseServerError(
            "<!doctype html><title>500</title><h1>Server error (500)</h1>",
            content_type="text/html",
        )


def _render(request, template_name: str, status: int) -> HttpResponse:
    response = TemplateResponse(request, template_name, {}, status=status)
    return response.render()


class SitePageNotFound:
    """Render Http404 raised by a page's view as the site's 404, whatever DEBUG says.

    Only exceptions from views reach `process_exception`: an URL that matches no pattern still
    gets Django's technical 404 in development. The API (ninja) answers its own 404s in JSON
    before this runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
