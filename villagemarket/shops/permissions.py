"""Who may act for a shop. Refusals are NotFound, so bob cannot even learn what alice has."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from villagemarket.core.errors import NotFound

from .models import Shop, ShopMember, ShopRole


def membership(user, shop: Shop) -> ShopMember | None:
    if not user or not user.is_authenticated:
        return None
    return ShopMember.objects.filter(shop=shop, user=user).first()


def member_for(user, slug: str, *, owner_only: bool = False) -> ShopMember:
    """The membership of `user` in shop `slug` (an owner's when owner_only); else NotFound."""
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
    return member


def shop_for_member(user, slug: str, *, owner_only: bool = False) -> Shop:
    """The shop `slug` if `user` is on its staff (its owner when owner_only); else NotFound."""
    return member_for(user, slug, owner_only=owner_only).shop


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
    """View decorator: resolves `shop_slug` to `request.shop` and `request.shop_role`, or 404.

    The view is called without `shop_slug`; templates use `request.shop.slug`.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, shop_slug, *args, **kwargs):
            try:
                member = member_for(request.user, shop_slug, owner_only=owner_only)
            except NotFound:
                # Same answer as a shop that does not exist: outsiders learn nothing.
                raise Http404("No such shop.") from None
            request.shop, request.shop_role = member.shop, member.role
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
