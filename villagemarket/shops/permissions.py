"""Who may act for a shop. Refusals are NotFound, so bob cannot even learn what alice has."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from villagemarket.core.errors import NotFound

from .models import Shop, ShopMember, ShopRole


def membership(user, shop: Shop) -> ShopMember | None:
    if not user or not user.is_authenticated:
        return None
    return ShopMember.objects.filter(shop=shop, user=user).first()


def shop_for_member(user, slug: str, *, owner_only: bool = False) -> Shop:
    """The shop `slug` if `user` is on its staff (its owner when owner_only); else NotFound."""
    if not user or not user.is_authenticated:
        raise NotFound("No such shop.")
    qs = ShopMember.objects.select_related("shop", "shop__village").filter(
        user=user, shop__slug=slug
    )
    if owner_only:
        qs = qs.filter(role=ShopRole.OWNER)
    member = qs.first()
    if member is None:
        raise NotFound("No such shop.")
    return member.shop


def shops_of(user):
    """Shops the user is owner or staff of, oldest membership first."""
    if not user or not user.is_authenticated:
        return Shop.objects.none()
    return (
        Shop.objects.filter(members__user=user)
        .select_related("village")
        .order_by("members__created_at")
    )


def shop_member_required(owner_only: bool = False):
    """View decorator: resolves `shop_slug` to `request.shop` or answers 404."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, shop_slug, *args, **kwargs):
            try:
                request.shop = shop_for_member(request.user, shop_slug, owner_only=owner_only)
            except NotFound:
                get_object_or_404(Shop, pk=-1)  # raises Http404 with Django's page
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
