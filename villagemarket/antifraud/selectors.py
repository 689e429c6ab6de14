"""Reads for the operator's brushing queue and the rules page (shared by pages and API)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Flag, FlagStatus, Rule

QUEUE_LIMIT = 500


@dataclass
class Subject:
    """One flagged order or review with all its flags (decided together)."""

    kind: str  # "order" | "review"
    id: int
    flags: list[Flag] = field(default_factory=list)
    order: object | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass
class ShopGroup:
    shop: object
    subjects: list[Subject] = field(default_factory=list)


def flags(status: str = FlagStatus.OPEN):
    """Flags in `status`, newest first, with what the queue shows (rule, shop, order)."""
    return (
        Flag.objects.filter(status=status)
        .select_related("rule", "shop", "order", "decided_by")
        .order_by("-created_at", "-id")
    )


def queue(status: str = FlagStatus.OPEN) -> list[ShopGroup]:
    """The latest QUEUE_LIMIT flags in `status`, grouped by shop (the shop with the most
    flagged orders and reviews first), then by order or review."""
    groups: dict[int, ShopGroup] = {}
    subjects: dict[tuple[int, str], Subject] = {}
    for flag in flags(status)[:QUEUE_LIMIT]:
        group = groups.setdefault(flag.shop_id, ShopGroup(shop=flag.shop))
        kind, pk = ("order", flag.order_id) if flag.order_id else ("review", flag.review_id)
        subject = subjects.get((flag.shop_id, f"{kind}:{pk}"))
        if subject is None:
            subject = Subject(kind=kind, id=pk, order=flag.order)
            subjects[(flag.shop_id, f"{kind}:{pk}")] = subject
            group.subjects.append(subject)
        subject.flags.append(flag)
    return sorted(groups.values(), key=lambda g: (-len(g.subjects), g.shop.pk))


def all_rules():
    return Rule.objects.select_related("updated_by").order_by("id")
