"""Partner shops join a pickup point: the point invites, the member's owner accepts or declines,
either side may end it (docs/logistics.md)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.core.errors import Conflict, Invalid, NotFound
from villagemarket.shops.models import Shop, ShopMember, ShopRole

from ..models import MembershipStatus, PickupItem, PickupMembership
from ..rules import require_point


def _is_owner(user, shop_id: int) -> bool:
    return ShopMember.objects.filter(shop_id=shop_id, user=user, role=ShopRole.OWNER).exists()


def invite_member(*, user, point: Shop, member_slug: str) -> PickupMembership:
    """The point's owner invites a partner shop of the same township (by its web address).
    Inviting again answers with the invitation or membership already there."""
    require_point(point)
    if not _is_owner(user, point.pk):
        raise NotFound(_("No such shop."))
    member = Shop.objects.select_related("village").filter(slug=member_slug.strip()).first()
    if member is None or member.pk == point.pk:
        raise Invalid(_("No such shop."), fields={"member": [_("No other shop has this address.")]})
    if member.village.township_code != point.village.township_code:
        raise Invalid(
            _("Partner shops ship from the same township."),
            fields={"member": [_("This shop ships from another township.")]},
        )
    live = [MembershipStatus.INVITED, MembershipStatus.ACCEPTED]
    existing = PickupMembership.objects.filter(point=point, member=member, status__in=live).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return PickupMembership.objects.create(point=point, member=member, invited_by=user)
    except IntegrityError:  # a concurrent invitation of the same pair won
        return PickupMembership.objects.get(point=point, member=member, status__in=live)


def _answer(user, membership_id: int, status: str) -> PickupMembership:
    with transaction.atomic():
        membership = PickupMembership.objects.select_for_update().filter(pk=membership_id).first()
        if membership is None or not _is_owner(user, membership.member_id):
            raise NotFound(_("No such invitation."))
        if membership.status != MembershipStatus.INVITED:
            raise Conflict(_("This invitation was already answered."), code="already_answered")
        membership.status, membership.answered_by = status, user
        membership.answered_at = timezone.now()
        try:
            with transaction.atomic():
                membership.save(update_fields=["status", "answered_by", "answered_at"])
        except IntegrityError:
            raise Conflict(
                _("This shop already hands its parcels to another pickup point: end that first."),
                code="already_a_member",
            ) from None
        return membership


def accept_membership(*, user, membership_id: int) -> PickupMembership:
    """The member shop's owner accepts: from now on the point may gather its paid orders."""
    return _answer(user, membership_id, MembershipStatus.ACCEPTED)


def decline_membership(*, user, membership_id: int) -> PickupMembership:
    """The member shop's owner declines the invitation."""
    return _answer(user, membership_id, MembershipStatus.DECLINED)


def end_membership(*, user, membership_id: int) -> PickupMembership:
    """Either side's owner ends an invitation or membership. Refused while the member's orders
    wait in one of the point's open batches (remove them or hand the batch over first)."""
    with transaction.atomic():
        membership = PickupMembership.objects.select_for_update().filter(pk=membership_id).first()
        if membership is None or not (
            _is_owner(user, membership.point_id) or _is_owner(user, membership.member_id)
        ):
            raise NotFound(_("No such membership."))
        if membership.status not in (MembershipStatus.INVITED, MembershipStatus.ACCEPTED):
            raise Conflict(_("This membership has already ended."), code="already_ended")
        waiting = PickupItem.objects.filter(
            in_open_batch=True,
            batch__point_id=membership.point_id,
            order__shop_id=membership.member_id,
        ).exists()
        if waiting:
            raise Conflict(
                _("Orders of this shop wait in an open pickup batch: remove them first."),
                code="orders_in_open_batch",
            )
        membership.status, membership.ended_at = MembershipStatus.ENDED, timezone.now()
        membership.save(update_fields=["status", "ended_at"])
        return membership
