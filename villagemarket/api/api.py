"""Assembles the slices' routers under /api/v1/ and maps domain errors to JSON."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
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
    return _error(request, 422, "invalid", _("The request has invalid fields."), fields)


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return _error(request, 401, "unauthenticated", _("Sign in or send a valid API token."))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(OverflowError)
def out_of_range(request, exc):
    # A number past what the database stores (SQLite raises this for ints beyond 64 bits).
    return _error(request, 422, "invalid", _("A number in the request is out of range."))


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
    ("/tracking/", "tracking"),
    ("/payments/", "payments"),
    ("/imports/", "imports"),
    ("/ledger/", "ledger"),
    ("/observatory/", "observatory"),
    ("/reviews/", "reviews"),
    ("/messaging/", "messaging"),
    ("/finance/", "finance"),
    ("/notifications/", "notifications"),
    ("/moderation/", "moderation"),
    ("/antifraud/", "antifraud"),
    ("/logistics/", "logistics"),
    ("/promotions/", "promotions"),
    ("/seller/", "insights"),
]:
    api.add_router(prefix, f"villagemarket.{module}.api.router")


class ErrorOut(Schema):
    """The one error body of the API (see docs/api.md)."""

    code: str
    message: str
    fields: dict[str, list[str]]


# What any operation may answer besides its own responses: the refusal middleware (400, 404, 413,
# 422 before the view), input validation (422), domain errors (404, 409, 422), and for operations
# that need a caller, authentication (401) and permissions (403). Writes may also be rate limited.
ALWAYS = (400, 404, 422)
WITH_AUTH = (401, 403)
ON_WRITE = (409, 413, 429)


def document_standard_errors(ninja_api: NinjaAPI) -> None:
    """Add ErrorOut for the standard error statuses to every operation, keeping its own."""
    for bound in ninja_api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                statuses = list(ALWAYS)
                if operation.auth_callbacks:
                    statuses += WITH_AUTH
                if set(operation.methods) - {"GET", "HEAD", "OPTIONS"}:
                    statuses += ON_WRITE
                for status in statuses:
                    if status not in operation.response_models:
                        operation.response_models[status] = operation._create_response_model(
                            ErrorOut
                        )


document_standard_errors(api)
