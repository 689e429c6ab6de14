"""Reads for shop pages and the API, with the joins they need (no N+1)."""

from __future__ import annotations

from django.db.models import QuerySet

from villagemarket.accounts.hooks import Membership

from .hooks import household_product_counts, shop_figures
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


def account_memberships(user) -> list[Membership]:
    """accounts.hooks' MembershipSource: a person's shops for their profile and /accounts/me."""
    rows = ShopMember.objects.filter(user=user).select_related("shop").order_by("shop__name", "pk")
    return [
        Membership(
            shop_id=m.shop_id,
            slug=m.shop.slug,
            name=m.shop.name,
            role=m.role,
            role_label=str(m.get_role_display()),
            status=m.shop.status,
            status_label=str(m.shop.get_status_display()),
        )
        for m in rows
    ]


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


def households_of(shop: Shop) -> list[Household]:
    """The shop's households, each with `.product_count` (from catalog, through shops.hooks)."""
    households = list(
        Household.objects.filter(shop=shop).select_related("village").order_by("name", "pk")
    )
    counts = household_product_counts(h.pk for h in households)
    for household in households:
        household.product_count = counts.get(household.pk, 0)
    return households


def status_history(shop: Shop):
    return shop.status_changes.select_related("changed_by")[:10]


def dashboard_counts(shop: Shop) -> dict[str, int | None]:
    """Products (all, published) and orders (all, to ship), from catalog and orders through
    shops.hooks: one grouped query each. None where no app supplies the figure."""
    counts: dict[str, int | None] = dict.fromkeys(("products", "published", "to_ship", "orders"))
    counts.update(shop_figures(shop))
    return counts
