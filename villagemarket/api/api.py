"""Assembles the slices' routers under /api/v1/ and maps domain errors to JSON."""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from villagemarket.core.errors import DomainError

api = NinjaAPI(
    title="VillageMarket API",
    version="1",
    description="Public catalogue reads; seller writes with a per-user API token (Bearer).",
    urls_namespace="api",
    docs_url="/docs",
)


def _error(request, status: int, code: str, message: str, fields: dict | None = None):
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return _error(request, exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [
            str(p)
            for p in err.get("loc", [])
            if p not in ("body", "query", "path", "payload", "form")
        ]
        fields.setdefault(".".join(loc) or "__all__", []).append(err.get("msg", "invalid"))
    return _error(request, 422, "invalid", "The request has invalid fields.", fields)


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return _error(request, 401, "unauthenticated", "Sign in or send a valid API token.")


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not_found", "Not found.")


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "http_error", str(exc))


for prefix, module in [
    ("/accounts/", "accounts"),
    ("/regions/", "regions"),
    ("/shops/", "shops"),
    ("/catalog/", "catalog"),
    ("/search/", "search"),
    ("/cart/", "cart"),
    ("/shipping/", "shipping"),
    ("/orders/", "orders"),
    ("/payments/", "payments"),
    ("/ledger/", "ledger"),
    ("/observatory/", "observatory"),
]:
    api.add_router(prefix, f"villagemarket.{module}.api.router")
