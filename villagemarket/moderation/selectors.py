"""Reads of the moderation queue, shared by pages and the API."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from . import hooks
from .models import Case, CaseStatus, Term
from .screening import current_settings


def queue() -> QuerySet[Case]:
    """Open cases, oldest first (held items and reports together)."""
    return (
        Case.objects.filter(status=CaseStatus.OPEN)
        .select_related("author")
        .order_by("opened_at", "id")
    )


def decided(limit: int = 50) -> QuerySet[Case]:
    return (
        Case.objects.exclude(status=CaseStatus.OPEN)
        .select_related("decided_by")
        .order_by("-decided_at")[:limit]
    )


def open_case(kind: str, object_id: int) -> Case | None:
    return Case.objects.filter(kind=kind, object_id=object_id, status=CaseStatus.OPEN).first()


def latest_cases(kind: str, object_ids) -> dict[int, Case]:
    """The newest case of each object (open or decided): what the seller is shown."""
    latest: dict[int, Case] = {}
    for case in Case.objects.filter(kind=kind, object_id__in=list(object_ids)).order_by("id"):
        latest[case.object_id] = case
    return latest


def rejections_within(shop_id: int, days: int) -> int:
    """Rejected cases of `shop_id` decided in the last `days` days (the strike rule)."""
    since = timezone.now() - timedelta(days=days)
    return Case.objects.filter(
        shop_id=shop_id, status=CaseStatus.REJECTED, decided_at__gte=since
    ).count()


def strike_rule() -> tuple[int, int]:
    """(rejections, days) that suspend a shop."""
    config = current_settings()
    return config.strike_limit, config.strike_days


def terms() -> QuerySet[Term]:
    return Term.objects.all()


def describe(case: Case) -> hooks.ContentRef | None:
    owner = hooks.kind(case.kind)
    return owner.describe(case.object_id) if owner else None
