"""Refuse malformed requests before any view or query sees them.

One place for what every page and endpoint would otherwise have to check:
- NUL and other control characters in the path, a query parameter, a form field or a JSON string
  (tab, line feed and carriage return are kept in bodies): 422 naming the field;
- under /api/, a number in the path beyond a database id (more than 19 digits or over 2**63-1):
  404, so no overflowing integer reaches a query;
- a body over the size limits, too many fields or files, a malformed multipart body or a JSON
  number with thousands of digits: 400/413, never a 500.

Under /api/ the answer is the API's JSON error body `{code, message, fields}`; elsewhere a plain
page. Both say which field was refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.html import escape
from django.utils.translation import gettext as _

from villagemarket.core.validation import (
    MAX_DB_ID,
    control_character_message,
    find_control_character,
)

API_PREFIX = "/api/"
NO_CONTROLS: frozenset[str] = frozenset()
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
# Above DATA_UPLOAD_MAX_MEMORY_SIZE, which does not count uploaded files: a whole request body
# (images included) larger than this is refused before it is read.
DEFAULT_REQUEST_MAX_BYTES = 32 * 1024 * 1024


class Refusal(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def request_max_bytes() -> int:
    return getattr(settings, "REQUEST_MAX_BYTES", DEFAULT_REQUEST_MAX_BYTES)


class RequestRefusalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        try:
            check_request(request)
        except Refusal as refusal:
            return refusal_response(request, refusal)
        return self.get_response(request)


def check_request(request: HttpRequest) -> None:
    """Raise Refusal for the first thing wrong with the request, reading its body if needed."""
    is_api = request.path_info.startswith(API_PREFIX)
    _check_text("path", request.path_info, NO_CONTROLS)
    if is_api:
        _check_path_numbers(request.path_info)
    try:
        query = list(request.GET.lists())
    except TooManyFieldsSent:
        raise _too_many() from None
    for name, values in query:
        _check_text(name, name, NO_CONTROLS)
        for value in values:
            _check_text(name, value, NO_CONTROLS)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    _check_length(request)
    for name, value in _body_fields(request):
        _check_text(name, value)


def _check_text(field: str, value: str, allow: frozenset[str] | None = None) -> None:
    char = (
        find_control_character(value)
        if allow is None
        else find_control_character(value, allow=allow)
    )
    if char is not None:
        label = field if find_control_character(field, allow=NO_CONTROLS) is None else "?"
        raise Refusal(
            422,
            "invalid",
            _("The request has a control character in “%(field)s”.") % {"field": label},
            {label: [control_character_message(char)]},
        )


def _check_path_numbers(path: str) -> None:
    for segment in path.split("/"):
        if _DIGITS.fullmatch(segment) and (len(segment) > 19 or int(segment) > MAX_DB_ID):
            raise Refusal(404, "not_found", _("Not found."))


def _check_length(request: HttpRequest) -> None:
    raw = request.META.get("CONTENT_LENGTH") or "0"
    if not _DIGITS.fullmatch(raw) or len(raw) > 15:
        raise Refusal(400, "bad_request", _("The Content-Length header is not a number."))
    if int(raw) > request_max_bytes():
        raise _too_large()


def _too_large() -> Refusal:
    return Refusal(413, "too_large", _("The request is too large."))


def _too_many() -> Refusal:
    return Refusal(413, "too_large", _("The request has too many fields or files."))


def _body_fields(request: HttpRequest) -> Iterator[tuple[str, str]]:
    content_type = request.content_type or ""
    try:
        if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            if int(request.META.get("CONTENT_LENGTH") or 0) <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                # Read the raw body first so it stays readable after POST is parsed from it
                # (ninja, signatures and idempotency fingerprints read request.body).
                request.body  # noqa: B018
            fields = list(request.POST.lists())
            files = list(request.FILES.lists())
        elif content_type == "application/json" or content_type.endswith("+json"):
            yield from _json_fields(request.body)
            return
        else:
            return
    except RequestDataTooBig:
        raise _too_large() from None
    except (TooManyFieldsSent, TooManyFilesSent):
        raise _too_many() from None
    except (MultiPartParserError, UnreadablePostError, SuspiciousOperation):
        raise Refusal(400, "bad_request", _("The request body is malformed.")) from None
    for name, values in fields:
        for value in values:
            yield name, value
    for name, uploads in files:
        for upload in uploads:
            yield name, upload.name or ""


def _json_fields(body: bytes) -> Iterator[tuple[str, str]]:
    try:
        data = json.loads(body)
    except json.JSONDecodeError:
        return  # ninja answers malformed JSON itself
    except (ValueError, RecursionError):
        # e.g. an integer of thousands of digits (Python refuses to convert it) or deep nesting
        raise Refusal(
            400, "bad_request", _("The JSON body has a number too long or nesting too deep.")
        ) from None
    yield from _walk(data, "")


def _walk(value, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path or "body", value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path or "body", str(key)
            yield from _walk(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}.{index}" if path else str(index))


def refusal_response(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse(
            {"code": refusal.code, "message": refusal.message, "fields": refusal.fields},
            status=refusal.status,
        )
    reasons = "".join(
        f"<li>{escape(name)}: {escape(reason)}</li>"
        for name, items in refusal.fields.items()
        for reason in items
    )
    page = (
        '<!doctype html><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(refusal.message)}</title><h1>{escape(refusal.message)}</h1>"
        + (f"<ul>{reasons}</ul>" if reasons else "")
        + f'<p><a href="/">{escape(_("Back to the home page"))}</a></p>'
    )
    return HttpResponse(page, status=refusal.status, content_type="text/html; charset=utf-8")
