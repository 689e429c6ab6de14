"""Domain errors with stable codes.

`api/` maps them to HTTP statuses; pages show them as messages.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the request. `code` is stable and machine-readable."""

    code = "domain_error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class Invalid(DomainError):
    """Input is wrong; `fields` names each field and what is wrong with it."""

    code = "invalid"
    status = 422


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Forbidden(DomainError):
    """The user may not do this (often shown as 404 to avoid revealing what exists)."""

    code = "forbidden"
    status = 403


class Conflict(DomainError):
    """The request is well formed but the current state does not allow it."""

    code = "conflict"
    status = 409


class IllegalTransition(Conflict):
    code = "illegal_transition"


class OutOfStock(Conflict):
    code = "out_of_stock"


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
