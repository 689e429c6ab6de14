"""The buyer's address book. One default address per buyer (also a partial unique index)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from villagemarket.accounts.rules import is_valid_mobile
from villagemarket.core.errors import Invalid, NotFound
from villagemarket.regions.models import Level, Region

from ..models import Address

MAX_ADDRESSES = 30


def _clean(
    region_code: str, detail: str, recipient: str, mobile: str
) -> tuple[Region, str, str, str]:
    errors: dict[str, list[str]] = {}
    region = Region.objects.filter(code=(region_code or "").strip(), level=Level.TOWNSHIP).first()
    if region is None:
        errors["region"] = [_("Choose a township (乡镇/街道) from the region list.")]
    detail, recipient, mobile = (
        (detail or "").strip(),
        (recipient or "").strip(),
        (mobile or "").strip(),
    )
    if not 2 <= len(detail) <= 200:
        errors["detail"] = [_("Enter the village, street and house (2 to 200 characters).")]
    if not 1 <= len(recipient) <= 40:
        errors["recipient"] = [_("Enter who receives the parcel (at most 40 characters).")]
    if not is_valid_mobile(mobile):
        errors["mobile"] = [_("Enter an 11-digit mainland mobile number starting with 1.")]
    if errors:
        raise Invalid(_("The address has errors."), fields=errors)
    return region, detail, recipient, mobile


def _make_default(user, address_id: int) -> None:
    # Clear the old default first: the partial unique index allows one default at any moment.
    Address.objects.filter(user=user, is_default=True).exclude(pk=address_id).update(
        is_default=False
    )
    Address.objects.filter(user=user, pk=address_id).update(is_default=True)


def save_address(
    *,
    user,
    region_code: str,
    detail: str,
    recipient: str,
    mobile: str,
    is_default: bool = False,
    address_id: int | None = None,
) -> Address:
    """Add an address (the first one becomes the default) or change one of the user's own."""
    region, detail, recipient, mobile = _clean(region_code, detail, recipient, mobile)
    with transaction.atomic():
        # Lock the user's rows so two concurrent "first address" saves cannot both be default.
        existing = list(Address.objects.select_for_update().filter(user=user).order_by("pk"))
        if address_id is None:
            if len(existing) >= MAX_ADDRESSES:
                raise Invalid(
                    _("The address book is full."),
                    fields={"__all__": [_("Delete an old address first.")]},
                )
            address = Address.objects.create(
                user=user, region=region, detail=detail, recipient=recipient, mobile=mobile
            )
            is_default = is_default or not existing
        else:
            address = next((a for a in existing if a.pk == address_id), None)
            if address is None:
                raise NotFound(_("No such address."))
            Address.objects.filter(pk=address.pk).update(
                region=region, detail=detail, recipient=recipient, mobile=mobile
            )
        if is_default:
            _make_default(user, address.pk)
        address.refresh_from_db()
        return address


def set_default_address(*, user, address_id: int) -> Address:
    """Make one of the user's addresses the default."""
    with transaction.atomic():
        address = Address.objects.select_for_update().filter(user=user, pk=address_id).first()
        if address is None:
            raise NotFound(_("No such address."))
        _make_default(user, address.pk)
        address.refresh_from_db()
        return address


def delete_address(*, user, address_id: int) -> None:
    """Delete an address; if it was the default, the newest remaining one becomes the default.
    Orders keep their own snapshot, so deleting never changes an order."""
    with transaction.atomic():
        address = Address.objects.select_for_update().filter(user=user, pk=address_id).first()
        if address is None:
            raise NotFound(_("No such address."))
        was_default = address.is_default
        address.delete()
        if was_default:
            newest = Address.objects.filter(user=user).order_by("-created_at", "-pk").first()
            if newest:
                _make_default(user, newest.pk)
