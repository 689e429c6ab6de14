"""Notifications API (mounted at /api/v1/notifications/): my notifications, the unread count,
marking read, and my e-mail/SMS preferences. The same rules as the pages: each person sees and
changes only their own."""

# No `from __future__ import annotations` here: ninja resolves string annotations in the
# decorator's module when an operation is wrapped (@idempotent), where these schemas are unknown.
from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from villagemarket.accounts.auth import user_auth
from villagemarket.core.idempotency import idempotent
from villagemarket.core.pagination import PageNumber
from villagemarket.core.validation import DbId

from . import selectors, services

router = Router(tags=["notifications"], auth=user_auth)


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    created_at: datetime
    read: bool

    @staticmethod
    def resolve_read(obj) -> bool:
        return obj.read_at is not None


class InboxFilter(Schema):
    unread: bool = Field(False, description="Only unread notifications")


class UnreadOut(Schema):
    unread: int


class ReadAllOut(Schema):
    marked: int


class PreferenceOut(Schema):
    kind: str
    audience: str = Field(..., description="seller or buyer")
    label: str
    email: bool
    sms: bool
    offline_only: bool = Field(..., description="E-mail/SMS only while you are away from the site")


class PreferenceIn(Schema):
    kind: str = Field(..., max_length=32)
    email: bool
    sms: bool


@router.get("", response=list[NotificationOut], summary="My notifications, newest first")
@paginate(PageNumber)
def list_notifications(request: HttpRequest, filters: Query[InboxFilter]):
    return selectors.inbox(request.auth, unread_only=filters.unread)


@router.get("unread-count", response=UnreadOut, summary="How many of my notifications are unread")
def unread_count(request: HttpRequest):
    return {"unread": selectors.unread_count(request.auth)}


@router.post("{int:notification_id}/read", response=NotificationOut, summary="Mark one read")
@idempotent
def mark_read(request: HttpRequest, notification_id: DbId):
    return services.mark_read(request.auth, notification_id)


@router.post("read-all", response=ReadAllOut, summary="Mark all my notifications read")
@idempotent
def mark_all_read(request: HttpRequest):
    return {"marked": services.mark_all_read(request.auth)}


@router.get("preferences", response=list[PreferenceOut], summary="My e-mail and SMS choices")
def get_preferences(request: HttpRequest):
    return selectors.preferences(request.auth)


@router.put(
    "preferences",
    response=list[PreferenceOut],
    summary="Change my e-mail and SMS choices (the event types named; others keep theirs)",
)
def put_preferences(request: HttpRequest, payload: list[PreferenceIn]):
    services.set_preferences(request.auth, {p.kind: (p.email, p.sms) for p in payload})
    return selectors.preferences(request.auth)
