"""The accounts slice's API router, mounted by villagemarket.api.api under /api/v1/accounts/."""

from __future__ import annotations

from ninja import Router, Schema

from villagemarket.accounts.auth import user_auth

from . import selectors

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    shop_id: int
    slug: str
    name: str
    role: str
    status: str


class MeOut(Schema):
    id: int
    display_name: str
    email: str | None
    mobile: str | None
    is_operator: bool
    shops: list[MembershipOut]


@router.get("/me", response=MeOut, auth=user_auth, summary="Who am I, and the shops I belong to")
def me(request):
    user = request.auth
    shops = [
        MembershipOut(
            shop_id=m.shop_id,
            slug=m.shop.slug,
            name=m.shop.name,
            role=m.role,
            status=m.shop.status,
        )
        for m in selectors.memberships_of(user)
    ]
    return MeOut(
        id=user.pk,
        display_name=str(user),
        email=user.email,
        mobile=user.mobile,
        is_operator=user.is_operator,
        shops=shops,
    )
