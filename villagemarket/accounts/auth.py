"""API authentication: per-user bearer tokens (seller writes) or the browser session."""

from __future__ import annotations

from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from villagemarket.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer vm_...`; a revoked token or inactive user is refused."""

    def authenticate(self, request, token: str):
        token_row = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=ApiToken.hash_secret(token), revoked_at__isnull=True)
            .first()
        )
        if token_row is None or not token_row.user.is_active:
            # A client that sent a token meant to use it: say 401 now rather than fall through
            # to the session check, whose CSRF refusal (403) would hide the real problem.
            raise AuthenticationError()
        # One cheap UPDATE; not worth a round trip on every call when it is recent.
        now = timezone.now()
        if token_row.last_used_at is None or (now - token_row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token_row.pk).update(last_used_at=now)
        request.user = token_row.user
        return token_row.user


class SessionAuth(APIKeyHeader):
    """Placeholder so OpenAPI lists cookie sessions; real check is ninja's django_auth."""

    param_name = "X-Session"

    def authenticate(self, request, key):  # pragma: no cover - never used directly
        return None


token_auth = TokenAuth()
# Token first (scripts), then the signed-in browser session (htmx/pages; CSRF checked by ninja).
user_auth = [token_auth, django_auth]
