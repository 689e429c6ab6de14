"""Who is an operator: the one definition, and the checks pages, the API and services use.

An operator runs the platform (verifies shops, moderates listings, reads shop-level figures,
imports villages). Today that is an active user with `is_staff` set: `User.is_operator`.
Everything else asks through this module, so the rule can change in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from villagemarket.core.errors import Forbidden


def is_operator(user) -> bool:
    """True for a signed-in, active operator; False for anyone else, anonymous or None included."""
    return bool(user is not None and getattr(user, "is_operator", False))


def require_operator(user, message: str | None = None) -> None:
    """Services and API handlers: raise Forbidden (HTTP 403) unless `user` is an operator."""
    if not is_operator(user):
        raise Forbidden(message or _("Only operators can do this."))


def operator_required(view: Callable) -> Callable:
    """Page decorator: anonymous visitors go to sign in, signed-in non-operators get a 403 page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_operator(request.user):
            raise PermissionDenied(_("Only operators can do this."))
        return view(request, *args, **kwargs)

    return wrapper


def api_operator_required(handler: Callable) -> Callable:
    """Ninja handler decorator (under the `@router.get/post(...)` line, with `auth=user_auth`):
    the authenticated caller must be an operator, or the answer is 403 `forbidden`."""

    @wraps(handler)
    def wrapper(request, *args, **kwargs):
        require_operator(getattr(request, "auth", None) or getattr(request, "user", None))
        return handler(request, *args, **kwargs)

    return wrapper
