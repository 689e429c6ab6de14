"""Idempotent API writes: `@idempotent` directly under a ninja `@router.post(...)`.

    @router.post("checkout", response={201: CheckoutOut})
    @idempotent
    def checkout(request, payload: CheckoutIn): ...

A client that may retry sends `Idempotency-Key: <1-100 of A-Z a-z 0-9 _ . : ->`. The key is
bound to the caller (the signed-in user, else the session) and to a sha256 of the request's
method, path and body:

- first request: runs, and its answer (status, content type, body) is remembered when it
  succeeded (2xx); an error changes nothing and is not remembered, so a retry runs again;
- same key, same request: the first answer is replayed exactly, header `Idempotent-Replayed`;
- same key, another request: 409 `idempotency_key_reused`, nothing runs;
- a malformed key: 422 naming the header, nothing runs;
- concurrent duplicates: the key is claimed with an INSERT inside the write's transaction,
  so the second waits on the unique index and replays the first's answer (one effect).

No header: the operation runs as if undecorated. Remembered answers are purged after
RETENTION by `purge_idempotency_records` (a periodic sweep).
"""

from __future__ import annotations

import functools
import hashlib
import re
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.utils import contribute_operation_callback

from villagemarket.core.errors import Conflict, Invalid
from villagemarket.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
KEY_RE = re.compile(r"[A-Za-z0-9_.:-]{1,100}")
RETENTION = timedelta(hours=24)
REPLAYED_HEADER = "Idempotent-Replayed"


def read_key(request: HttpRequest) -> str | None:
    """The request's Idempotency-Key, None when absent; a malformed key is a 422."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not KEY_RE.fullmatch(key):
        raise Invalid(
            _("The Idempotency-Key header is not valid."),
            fields={HEADER: [_("1 to 100 characters of A-Z, a-z, 0-9, _ . : -")]},
        )
    return key


def caller_of(request: HttpRequest) -> str | None:
    """Whom a key belongs to: the authenticated user, else the browser session, else nobody."""
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        return f"session:{session_key}"
    return None


def _body_of(request: HttpRequest) -> bytes:
    try:
        return request.body
    except RawPostDataException:
        # A multipart body was streamed into POST/FILES already: fingerprint what it held.
        fields = sorted((k, v) for k, values in request.POST.lists() for v in values)
        files = sorted(
            (k, f.name or "", f.size or 0) for k, fs in request.FILES.lists() for f in fs
        )
        return repr((fields, files)).encode()


def fingerprint_of(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.get_full_path().encode(), _body_of(request)):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _replay(owner: str, key: str, fingerprint: str) -> HttpResponse | None:
    record = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
    if record is None or record.status_code is None:
        return None
    if record.fingerprint != fingerprint:
        raise Conflict(
            _("This Idempotency-Key was already used for a different request."),
            code="idempotency_key_reused",
            fields={HEADER: [_("Use a new key for a new request.")]},
        )
    response = HttpResponse(
        bytes(record.body), status=record.status_code, content_type=record.content_type
    )
    response[REPLAYED_HEADER] = "true"
    return response


class _Claim:
    """What the view wrapper tells the run wrapper about this request (one per request)."""

    __slots__ = ("record_id",)

    def __init__(self) -> None:
        self.record_id: int | None = None


def _guard_view(view_func):
    """Runs after authentication and input validation, before the operation's own work."""

    @functools.wraps(view_func)
    def guarded(request: HttpRequest, *args, **kwargs):
        key = read_key(request)
        claim: _Claim | None = getattr(request, "_idempotency_claim", None)
        owner = caller_of(request) if key else None
        if key is None or owner is None or claim is None:
            return view_func(request, *args, **kwargs)
        fingerprint = fingerprint_of(request)
        replay = _replay(owner, key, fingerprint)
        if replay is not None:
            return replay
        try:
            with transaction.atomic():
                # Waits on the unique index while a concurrent duplicate is in flight.
                record = IdempotencyRecord.objects.create(
                    owner=owner, key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            replay = _replay(owner, key, fingerprint)
            if replay is not None:
                return replay
            raise
        claim.record_id = record.pk
        return view_func(request, *args, **kwargs)

    return guarded


def _wrap_run(run):
    """Around the whole operation: one transaction holding the claim, the work and the answer."""

    @functools.wraps(run)
    def run_idempotently(request: HttpRequest, *args, **kwargs):
        if request.headers.get(HEADER) is None:
            return run(request, *args, **kwargs)
        claim = _Claim()
        request._idempotency_claim = claim
        with transaction.atomic():
            response = run(request, *args, **kwargs)
            if claim.record_id is not None:
                if 200 <= response.status_code < 300 and not response.streaming:
                    IdempotencyRecord.objects.filter(pk=claim.record_id).update(
                        status_code=response.status_code,
                        content_type=response.get("Content-Type", ""),
                        body=response.content,
                    )
                else:
                    # An error changed nothing (ninja turned the exception into this
                    # response); undo the claim and whatever partial work went with it.
                    transaction.set_rollback(True)
        return response

    return run_idempotently


def _install(operation) -> None:
    operation.run = _wrap_run(operation.run)
    if not hasattr(operation, "_run_decorators"):
        operation._run_decorators = []
    operation._run_decorators.append(_wrap_run)  # so ninja's clone of the operation keeps it


def idempotent(view_func):
    """Make a ninja write operation safe to retry with an Idempotency-Key (see module doc)."""
    guarded = _guard_view(view_func)
    contribute_operation_callback(guarded, _install)
    return guarded


def purge_idempotency_records(*, now=None) -> int:
    """Forget answers older than RETENTION (idempotent sweep); returns how many went."""
    cutoff = (now or timezone.now()) - RETENTION
    deleted, _details = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
