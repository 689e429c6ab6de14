"""Hostile values in every text or number input: never a 5xx.

The inputs are enumerated, not listed by hand, so a new endpoint or form is covered by itself:
API operations and their query, path and JSON body fields from the OpenAPI document; pages from
the URL conf (ids filled with the personas' own objects), and their POST forms from the HTML.
Each field gets, one at a time: NUL, other control characters, invisible-only text, non-ASCII
digits, a 5,000-digit number and 1e999999 (as JSON numbers and as strings).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from villagemarket.api.api import api
from villagemarket.testing import client_for

HUGE = "9" * 5000
# (label, value in a query/path/form, raw JSON text for a body field)
HOSTILE = [
    ("nul", "a\x00b", json.dumps("a\x00b")),
    ("escape", "\x1b[2J", json.dumps("\x1b[2J")),
    ("invisible", "\u200b\u3000\u3164", json.dumps("\u200b\u3000\u3164")),
    ("arabic-digits", "١٢٣", json.dumps("١٢٣")),
    ("fullwidth-digits", "１２３", json.dumps("１２３")),
    ("5000-digits", HUGE, HUGE),
    ("5000-digit-string", HUGE, json.dumps(HUGE)),
    ("1e999999", "1e999999", "1e999999"),
    ("1e999999-string", "1e999999", json.dumps("1e999999")),
]
# Forms and page queries take text only: one value of each kind is enough there.
FORM_HOSTILE = [
    h for h in HOSTILE if h[0] in ("nul", "invisible", "arabic-digits", "5000-digits", "1e999999")
]
KNOWN_FAILURES: dict[str, str] = {}  # test id -> owner and request; the lead removes them


# --- the personas' world ---------------------------------------------------------------------
@pytest.fixture
def world(buyer, alice, shop_a, sku_a, address):
    from villagemarket.accounts.services import create_api_token
    from villagemarket.orders.services import place_order

    order = place_order(buyer=buyer, address_id=address.pk, items=[(sku_a.pk, 1)]).orders[0]
    ids = sorted({sku_a.pk, sku_a.product_id, order.pk, address.pk, shop_a.pk})
    return {
        "clients": {"buyer": client_for(buyer), "alice": client_for(alice)},
        "tokens": {
            "buyer": create_api_token(buyer, name="hostile")[1],
            "alice": create_api_token(alice, name="hostile")[1],
        },
        "ids": ids,
        "slug": shop_a.slug,
        "code": "371721121227",
    }


def assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{what} -> {response.status_code}"


# --- API ---------------------------------------------------------------------------------------
DOCUMENT = api.get_openapi_schema()  # the document /api/v1/openapi.json serves


def resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    for key in ("anyOf", "allOf", "oneOf"):
        if key in schema:
            options = [resolve(s) for s in schema[key] if resolve(s).get("type") != "null"]
            return options[0] if options else {}
    return schema


def sample(schema: dict, depth: int = 0):
    """A plausible value for a schema: enough for the request to reach the field under test."""
    schema = resolve(schema)
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {k: sample(v, depth + 1) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [sample(schema.get("items", {}), depth + 1)] if depth < 3 else []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    return "x"


def body_leaves(value, path=()):
    """Paths to every scalar of a sample body (through objects and the first array item)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from body_leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:1]):
            yield from body_leaves(item, (*path, index))
    else:
        yield path


def with_raw(value, path, raw: str) -> str:
    """The JSON text of `value` with the scalar at `path` replaced by raw JSON text."""
    marker = "\ue000HOSTILE\ue000"
    target = value
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = marker
    return json.dumps(value).replace(json.dumps(marker), raw)


def api_cases():
    cases = []
    for path, methods in DOCUMENT["paths"].items():
        for method, operation in methods.items():
            params = [p for p in operation.get("parameters", []) if p["in"] in ("query", "path")]
            content = operation.get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema")
            fields = [(p["in"], p["name"]) for p in params]
            if body is not None:
                base = sample(body)
                fields += [("body", ".".join(map(str, p))) for p in body_leaves(base) if p]
            for where, name in fields:
                case_id = f"{method.upper()} {path} {where}:{name}"
                marks = (
                    [pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[case_id])]
                    if case_id in KNOWN_FAILURES
                    else []
                )
                cases.append(pytest.param(method, path, where, name, id=case_id, marks=marks))
    return cases


def fill_path(path: str, world, override: dict | None = None) -> str:
    def value(match):
        name = match.group(1)
        if override and name in override:
            return override[name]
        if name == "slug":
            return world["slug"]
        if name == "code":
            return world["code"]
        return str(world["ids"][0])

    return re.sub(r"\{(\w+)\}", value, path)


@pytest.mark.django_db
@pytest.mark.parametrize("method, path, where, name", api_cases())
def test_api_fields_refuse_hostile_values_without_a_5xx(world, method, path, where, name):
    operation = DOCUMENT["paths"][path][method]
    params = {p["name"]: p for p in operation.get("parameters", [])}
    body_schema = (
        operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ).get("schema")
    for persona, token in world["tokens"].items():
        client = Client()
        for label, text, raw in HOSTILE:
            url = fill_path(path, world, {name: text} if where == "path" else None)
            query = {k: "1" for k, p in params.items() if p["in"] == "query" and p.get("required")}
            if where == "query":
                query[name] = text
            body = json.dumps(sample(body_schema)) if body_schema else None
            if where == "body":
                body = with_raw(sample(body_schema), tuple(_steps(name)), raw)
            response = client.generic(
                method.upper(),
                url + ("?" + "&".join(f"{k}={_q(v)}" for k, v in query.items()) if query else ""),
                body or "",
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            assert_no_server_error(
                response, f"[{persona}] {label} in {where}:{name} of {method} {path}"
            )


def _steps(dotted: str):
    for part in dotted.split("."):
        yield int(part) if part.isdigit() else part


def _q(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


# --- pages and their forms ---------------------------------------------------------------------
class FormParser(HTMLParser):
    """POST forms of a page: action and the fields a person could type into."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append({"action": a.get("action") or "", "fields": {}, "text": []})
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file", "image"):
            form["fields"].setdefault(name, a.get("value") or "")
            if a.get("type", "text") in (
                "text",
                "email",
                "tel",
                "number",
                "search",
                "hidden",
                "password",
                "url",
            ):
                form["text"].append(name)
        elif tag == "textarea" and name:
            form["fields"].setdefault(name, "")
            form["text"].append(name)
        elif tag == "select" and name:
            self._select = name
            form["fields"].setdefault(name, "")
        elif tag == "option" and self._select and not self.forms[-1]["fields"][self._select]:
            self.forms[-1]["fields"][self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def page_routes(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(("admin/", "api/", "i18n/", "media/")):
                continue
            yield from page_routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


PAGE_ROUTES = sorted(set(page_routes()))


def page_urls(route: str, world) -> list[str]:
    """The route with its parameters filled from the personas' objects (every id they own)."""
    if re.search(r"<(?!id:|slug:)[^>]+>", route):
        return []  # str/path parameters (tokens, public ids) are not guessable here
    route = re.sub(r"<slug:\w+>", world["slug"], route)
    if "<id:" not in route:
        return ["/" + route]
    return ["/" + re.sub(r"<id:\w+>", str(i), route) for i in world["ids"]]


@pytest.mark.django_db
@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_page_forms_refuse_hostile_values_without_a_5xx(world, route):
    for persona, client in world["clients"].items():
        for url in page_urls(route, world):
            page = client.get(url)
            assert_no_server_error(page, f"[{persona}] GET {url}")
            for label, text, _raw in FORM_HOSTILE:
                response = client.get(url, {"q": text, "page": text})
                assert_no_server_error(response, f"[{persona}] GET {url}?q/page={label}")
            if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
                continue
            parser = FormParser()
            parser.feed(page.content.decode())
            for form in parser.forms:
                action = form["action"] or url
                for field in form["text"]:
                    if field == "csrfmiddlewaretoken":
                        continue
                    for label, text, _raw in FORM_HOSTILE:
                        data = {**form["fields"], field: text}
                        response = client.post(action, data)
                        assert_no_server_error(
                            response, f"[{persona}] {label} in {field} of {action}"
                        )
