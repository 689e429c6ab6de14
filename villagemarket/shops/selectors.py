"""Reads for shop pages and the API, with the joins they need (no N+1)."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldError
from django.db.models import Count, F, QuerySet

from .models import Household, Shop, ShopInvitation, ShopMember, ShopStatus


def active_shops(region_prefix: str = "") -> QuerySet[Shop]:
    """Active shops, optionally under a region (any code prefix: "37", "371721", a village code)."""
    qs = Shop.objects.filter(status=ShopStatus.ACTIVE).select_related("village")
    if region_prefix:
        qs = qs.filter(village__code__startswith=region_prefix)
    return qs.order_by("name", "pk")


def shops_opened_before(instant) -> QuerySet[Shop]:
    """Shops opened before `instant` that passed review (any status but pending): the shops
    the observatory counts as a village's online shops. Ordered by key, no joins."""
    return (
        Shop.objects.filter(created_at__lt=instant)
        .exclude(status=ShopStatus.PENDING)
        .order_by("pk")
    )


def active_shop(slug: str) -> Shop | None:
    return active_shops().filter(slug=slug).first()


def memberships_of(user) -> QuerySet[ShopMember]:
    """The user's memberships with their shops and villages, oldest first."""
    if not user or not user.is_authenticated:
        return ShopMember.objects.none()
    return (
        ShopMember.objects.filter(user=user)
        .select_related("shop", "shop__village")
        .order_by("created_at", "pk")
    )


def staff_of(shop: Shop) -> QuerySet[ShopMember]:
    return (
        ShopMember.objects.filter(shop=shop)
        .select_related("user")
        .order_by("role", "created_at", "pk")
    )


def open_invitations(shop: Shop) -> QuerySet[ShopInvitation]:
    return ShopInvitation.objects.filter(
        shop=shop, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def households_of(shop: Shop) -> QuerySet[Household]:
    return (
        Household.objects.filter(shop=shop)
        .select_related("village")
        .annotate(product_count=Count("products"))
        .order_by("name", "pk")
    )


def status_history(shop: Shop):
    return shop.status_changes.select_related("changed_by")[:10]


def dashboard_counts(shop: Shop) -> dict[str, int | None]:
    """Products by status and orders waiting to ship: two grouped queries.

    None where a slice is not built yet."""
    counts: dict[str, int | None] = {
        "products": None,
        "published": None,
        "to_ship": None,
        "orders": None,
    }
    try:
        product_model = apps.get_model("catalog", "Product")
        rows = product_model.objects.filter(shop=shop).values("status").annotate(n=Count("pk"))
        by_status = {row["status"]: row["n"] for row in rows}
        counts["products"] = sum(by_status.values())
        counts["published"] = by_status.get("published", 0)
    except (LookupError, FieldError):
        pass
    try:
        order_model = apps.get_model("orders", "ShopOrder")
        rows = (
            order_model.objects.filter(shop=shop).values(state=F("status")).annotate(n=Count("pk"))
        )
        by_state = {row["state"]: row["n"] for row in rows}
        counts["orders"] = sum(by_state.values())
        counts["to_ship"] = by_state.get("awaiting_shipment", 0)
    except (LookupError, FieldError):
        pass
    return counts


def shop_opened_with_key(user, key: str) -> bool:
    """Whether `user` already opened a shop with this Idempotency-Key (a retried request)."""
    key = (key or "").strip()[:80]
    return bool(key) and Shop.objects.filter(opened_by=user, idempotency_key=key).exists()
