"""Shop use-cases: open and run a shop, its staff and households, and the operator's decisions.

Every function is one transaction and checks who is acting, so a caller (page, API, admin
action, script) cannot skip a rule. Refusals of someone who is not on the shop are NotFound:
bob must not learn what alice has.
"""

from __future__ import annotations

import functools
import logging
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.accounts.permissions import require_operator
from villagemarket.core.errors import Conflict, Forbidden, IllegalTransition, Invalid, NotFound
from villagemarket.core.images import process_upload
from villagemarket.core.urls import absolute_reverse
from villagemarket.core.validation import (
    ALLOWED_CONTROLS,
    control_character_message,
    find_control_character,
    visible_text,
)
from villagemarket.regions.models import Level, Region

from . import hooks, rules, states
from .models import (
    Household,
    Shop,
    ShopInvitation,
    ShopKind,
    ShopMember,
    ShopRole,
    ShopStatus,
    ShopStatusChange,
)
from .moderation import has_open_case, hold_text_changes, screen_new_shop
from .permissions import membership

INVITATION_DAYS = 14
LOGO_MAX_SIDE = 512
# Fields an owner may change with update_shop; status and commission belong to operators.
EDITABLE_FIELDS = (
    "name",
    "name_en",
    "description",
    "kind",
    "village",
    "ship_from_address",
    "phone",
)


# --- helpers -------------------------------------------------------------------
logger = logging.getLogger(__name__)


def _member(user, shop: Shop, *, owner_only: bool) -> ShopMember:
    member = membership(user, shop)
    if member is None or (owner_only and member.role != ShopRole.OWNER):
        raise NotFound(_("No such shop."))
    return member


def _require_operator(user) -> None:
    require_operator(user)


def resolve_village(value, *, field: str = "village") -> Region:
    """A level-5 Region from a Region or its 12-digit code; Invalid naming `field` otherwise."""
    if isinstance(value, Region):
        region = value
    else:
        code = str(value or "").strip()
        region = (
            Region.objects.filter(code=code).first() if code.isdigit() and len(code) == 12 else None
        )
        if region is None:
            raise Invalid(
                _("Choose a village (a 12-digit village code)."),
                fields={field: [_("no such village")]},
            )
    if region.level != Level.VILLAGE:
        raise Invalid(
            _("Choose a village, not a larger region."), fields={field: [_("not a village")]}
        )
    return region


def _clean_text(
    data: dict, errors: dict, field: str, *, required: bool, max_length: int, multiline=False
) -> None:
    """One text field: no control characters (tab and newlines only in multi-line text),
    something visible when given (not only spaces or zero-width characters), and not too long:
    refused, never cut."""
    value = str(data.get(field) or "").strip()
    data[field] = value
    char = find_control_character(value, allow=ALLOWED_CONTROLS if multiline else frozenset())
    if char is not None:
        errors.setdefault(field, []).append(control_character_message(char))
        return
    try:
        visible_text(value)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)
        return
    if required and not value:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(value) > max_length:
        errors.setdefault(field, []).append(_("At most %(n)d characters.") % {"n": max_length})


def _clean_shop_fields(data: dict, *, creating: bool) -> dict:
    """Validate shop fields in place; raises Invalid naming every bad field at once."""
    errors: dict[str, list[str]] = {}
    for field, required, length in [
        ("name", True, 80),
        ("name_en", False, 120),
        ("description", False, 5000),
        ("ship_from_address", True, 200),
    ]:
        if creating or field in data:
            multiline = field == "description"
            _clean_text(
                data, errors, field, required=required, max_length=length, multiline=multiline
            )
    if creating or "phone" in data:
        data["phone"] = str(data.get("phone") or "").strip()
        if problem := rules.phone_problem(data["phone"]):
            errors["phone"] = [problem]
    if creating or "kind" in data:
        data["kind"] = data.get("kind") or ShopKind.HOUSEHOLD
        if data["kind"] not in ShopKind.values:
            errors["kind"] = [_("Choose one of the listed kinds.")]
    if creating:
        data["slug"] = str(data.get("slug") or "").strip()
        if problem := rules.slug_problem(data["slug"]):
            errors["slug"] = [problem]
        elif Shop.objects.filter(slug=data["slug"]).exists():
            errors["slug"] = [_("This web address is taken; choose another.")]
    if creating or "village" in data:
        try:
            data["village"] = resolve_village(data.get("village"))
        except Invalid as exc:
            errors.update(exc.fields)
    if errors:
        raise Invalid(_("Please correct the marked fields."), fields=errors)
    return data


# --- shops -----------------------------------------------------------------------
def open_shop(user, **fields) -> Shop:
    """Open a shop for `user`, who becomes its owner; it stays pending until an operator approves.

    Fields: name, slug, village (Region or 12-digit code), ship_from_address, phone, and optionally
    name_en, description, kind. (API retries are made safe by core.idempotency, not here.)
    """
    if not user or not user.is_authenticated:
        raise Forbidden(_("Sign in to open a shop."))
    unknown = set(fields) - {"slug", *EDITABLE_FIELDS}
    if unknown:
        raise Invalid(
            _("Unknown fields."), fields={f: [_("not a shop field")] for f in sorted(unknown)}
        )
    data = _clean_shop_fields(dict(fields), creating=True)
    try:
        with transaction.atomic():
            shop = Shop.objects.create(status=ShopStatus.PENDING, opened_by=user, **data)
            ShopMember.objects.create(shop=shop, user=user, role=ShopRole.OWNER)
            screen_new_shop(shop, user)
    except IntegrityError as exc:
        # The slug was taken between the check and the insert.
        raise Invalid(
            _("This web address is taken; choose another."), fields={"slug": [_("taken")]}
        ) from exc
    return shop


def update_shop(user, shop: Shop, *, logo=None, **changes) -> Shop:
    """Change the shop's public details and optionally its logo (owner only). The slug stays fixed.

    Everything is checked before anything is written, so a bad field or a bad image changes nothing.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise Invalid(
            _("These fields cannot be changed here."),
            fields={f: [_("not editable")] for f in sorted(unknown)},
        )
    _member(user, shop, owner_only=True)
    data = _clean_shop_fields(dict(changes), creating=False)
    content = process_upload(logo, field="logo", max_side=LOGO_MAX_SIDE)[0] if logo else None
    with transaction.atomic():
        _member(user, shop, owner_only=True)  # again inside: membership may have changed meanwhile
        locked = Shop.objects.select_for_update().get(pk=shop.pk)
        data = hold_text_changes(locked, data, user)  # a matching name/description waits
        for field, value in data.items():
            setattr(locked, field, value)
        update_fields = [*data, "held_changes", "moderation_note", "updated_at"]
        if content is not None:
            old_name = locked.logo.name if locked.logo else ""
            locked.logo.save(content.name, content, save=False)
            update_fields.append("logo")
            if old_name:
                # Only once the new name is committed may the old file go.
                transaction.on_commit(functools.partial(locked.logo.storage.delete, old_name))
        locked.save(update_fields=update_fields)
        hooks.shop_changed(locked.pk)  # the search index follows its name and village
    return locked


def set_logo(user, shop: Shop, upload) -> Shop:
    """Replace the shop's logo with a checked, re-encoded copy of `upload` (owner only)."""
    return update_shop(user, shop, logo=upload)


def set_shop_status(operator, shop: Shop, action: str, *, reason: str = "") -> Shop:
    """Operator decision: "approve" (pending -> active), "suspend", "reinstate" (-> active).

    The move is one guarded UPDATE on the current status, so two operators acting at once
    cannot both succeed; who and when are recorded on the shop and in its status history.
    """
    _require_operator(operator)
    if action not in states.Event.values:
        raise Invalid(_("Unknown action."), fields={"action": [_("approve, suspend or reinstate")]})
    with transaction.atomic():
        current = Shop.objects.filter(pk=shop.pk).values_list("status", flat=True).first()
        if current is None:
            raise NotFound(_("No such shop."))
        target = states.next_status(current, action)  # IllegalTransition (409) when not allowed
        if action == states.Event.APPROVE and has_open_case(shop.pk):
            raise Conflict(
                _("The shop's text is held for review: decide it in the moderation queue first."),
                code="held_for_review",
            )
        now = timezone.now()
        changed = Shop.objects.filter(pk=shop.pk, status=current).update(
            status=target, status_changed_at=now, status_changed_by=operator, updated_at=now
        )
        if changed != 1:
            raise IllegalTransition(_("The shop's status changed meanwhile; reload and try again."))
        change = ShopStatusChange.objects.create(
            shop_id=shop.pk,
            from_status=current,
            to_status=target,
            changed_by=operator,
            reason=reason[:200],
        )
        hooks.status_changed(change)
        hooks.shop_changed(shop.pk)  # a suspended shop's products leave the index
    shop.refresh_from_db()
    return shop


def set_commission(operator, shop: Shop, commission_bp: int) -> Shop:
    """Operator sets the commission on the shop's settled sales, in basis points (100 = 1%)."""
    _require_operator(operator)
    if problem := rules.commission_problem(commission_bp):
        raise Invalid(problem, fields={"commission_bp": [problem]})
    with transaction.atomic():
        Shop.objects.filter(pk=shop.pk).update(
            commission_bp=commission_bp, updated_at=timezone.now()
        )
    shop.refresh_from_db()
    return shop


# --- staff ---------------------------------------------------------------------
def invite_staff(user, shop: Shop, login: str) -> ShopInvitation:
    """Owner invites someone by email or mobile; inviting them again returns the open invitation."""
    login = rules.normalize_login(login)
    if problem := rules.login_problem(login):
        raise Invalid(problem, fields={"login": [problem]})
    with transaction.atomic():
        _member(user, shop, owner_only=True)
        lookup = {"user__email__iexact": login} if "@" in login else {"user__mobile": login}
        if ShopMember.objects.filter(shop=shop, **lookup).exists():
            raise Conflict(
                _("This person is already on the shop's staff."),
                fields={"login": [_("already staff")]},
            )
        invitation = ShopInvitation.objects.filter(
            shop=shop, login=login, accepted_at__isnull=True, revoked_at__isnull=True
        ).first()
        if invitation is None:
            invitation = ShopInvitation.objects.create(
                shop=shop, login=login, token=secrets.token_urlsafe(32), invited_by=user
            )
            if "@" in login:
                transaction.on_commit(functools.partial(_mail_invitation, invitation.pk))
    return invitation


def _mail_invitation(invitation_id: int) -> None:
    """Email the invitation link (on SITE_URL). Runs after commit: a mail server that is down
    must not undo the invitation, which the owner's staff page also shows."""
    invitation = ShopInvitation.objects.select_related("shop").get(pk=invitation_id)
    try:
        send_mail(
            _("You are invited to help run %(shop)s") % {"shop": invitation.shop.name},
            _("Open this address while signed in with this email to accept: %(link)s")
            % {"link": absolute_reverse("seller:invitation", invitation.token)},
            None,
            [invitation.login],
        )
    except OSError:  # SMTP errors are OSErrors (smtplib.SMTPException, ConnectionError)
        logger.warning("could not email shop invitation %s", invitation_id, exc_info=True)


def invitation_expired(invitation: ShopInvitation) -> bool:
    """Whether the invitation is older than INVITATION_DAYS (then it can no longer be accepted)."""
    return invitation.created_at < timezone.now() - timedelta(days=INVITATION_DAYS)


def invitation_matches(user, invitation: ShopInvitation) -> bool:
    """Whether `user` signed in with the email or mobile the invitation was sent to."""
    login = invitation.login
    if not user or not user.is_authenticated:
        return False
    if "@" in login:
        return bool(user.email) and user.email.lower() == login
    return bool(user.mobile) and user.mobile == login


def accept_invitation(user, token: str) -> ShopMember:
    """The invited person (signed in with the invited email or mobile) joins the shop as staff."""
    if not user or not user.is_authenticated:
        raise Forbidden(_("Sign in to accept the invitation."))
    with transaction.atomic():
        invitation = (
            ShopInvitation.objects.select_for_update()
            .select_related("shop")
            .filter(token=token)
            .first()
        )
        # Someone else's invitation looks the same as a missing one: the token is not theirs to use.
        if invitation is None or not invitation_matches(user, invitation):
            raise NotFound(_("No such invitation for your account."))
        if not invitation.is_open or invitation_expired(invitation):
            raise Conflict(_("This invitation is no longer open."))
        member, _created = ShopMember.objects.get_or_create(
            shop=invitation.shop, user=user, defaults={"role": ShopRole.STAFF}
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return member


def revoke_invitation(user, shop: Shop, invitation_id: int) -> ShopInvitation:
    """Owner withdraws an invitation that has not been accepted."""
    with transaction.atomic():
        _member(user, shop, owner_only=True)
        invitation = (
            ShopInvitation.objects.select_for_update().filter(pk=invitation_id, shop=shop).first()
        )
        if invitation is None:
            raise NotFound(_("No such invitation."))
        if not invitation.is_open:
            raise Conflict(_("This invitation is no longer open."))
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def remove_staff(user, shop: Shop, member_id: int) -> None:
    """Owner removes a member (staff or another owner). The last owner cannot be removed.

    Owner rows are locked in primary-key order before counting, so two owners removing
    each other at the same moment cannot leave the shop with none.
    """
    with transaction.atomic():
        owners = list(
            ShopMember.objects.select_for_update()
            .filter(shop=shop, role=ShopRole.OWNER)
            .order_by("pk")
        )
        if not any(m.user_id == getattr(user, "pk", None) for m in owners):
            raise NotFound(_("No such shop."))
        target = ShopMember.objects.filter(pk=member_id, shop=shop).first()
        if target is None:
            raise NotFound(_("No such member."))
        if target.role == ShopRole.OWNER and len(owners) <= 1:
            raise Conflict(
                _("A shop needs at least one owner; the last owner cannot be removed."),
                fields={"member": [_("last owner")]},
            )
        target.delete()


# --- households (service points) -----------------------------------------------
def _clean_household(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    _clean_text(data, errors, "name", required=True, max_length=80)
    data["contact_phone"] = str(data.get("contact_phone") or "").strip()
    if problem := rules.phone_problem(data["contact_phone"], required=False):
        errors["contact_phone"] = [problem]
    try:
        data["village"] = resolve_village(data.get("village"))
    except Invalid as exc:
        errors.update(exc.fields)
    if errors:
        raise Invalid(_("Please correct the marked fields."), fields=errors)
    return data


def _service_point(user, shop: Shop) -> None:
    _member(user, shop, owner_only=False)
    if not Shop.objects.filter(pk=shop.pk, kind=ShopKind.SERVICE_POINT).exists():
        raise Conflict(
            _("Only a village service point registers households."),
            fields={"kind": [_("not a service point")]},
        )


def _save_household(household: Household) -> Household:
    try:
        with transaction.atomic():
            household.save()
    except IntegrityError as exc:
        raise Invalid(
            _("This shop already has a household with that name."),
            fields={"name": [_("already used")]},
        ) from exc
    return household


def add_household(user, shop: Shop, *, name: str, village, contact_phone: str = "") -> Household:
    """A service point (owner or staff) registers a household it sells for, in a village."""
    data = _clean_household({"name": name, "village": village, "contact_phone": contact_phone})
    with transaction.atomic():
        _service_point(user, shop)
        return _save_household(Household(shop=shop, **data))


def update_household(
    user, shop: Shop, household_id: int, *, name: str, village, contact_phone: str = ""
) -> Household:
    """Correct a household's name, village or phone."""
    data = _clean_household({"name": name, "village": village, "contact_phone": contact_phone})
    with transaction.atomic():
        _service_point(user, shop)
        household = Household.objects.select_for_update().filter(pk=household_id, shop=shop).first()
        if household is None:
            raise NotFound(_("No such household."))
        for field, value in data.items():
            setattr(household, field, value)
        return _save_household(household)


def remove_household(user, shop: Shop, household_id: int) -> None:
    """Remove a household that has no products; one with products keeps its history."""
    with transaction.atomic():
        _service_point(user, shop)
        household = Household.objects.filter(pk=household_id, shop=shop).first()
        if household is None:
            raise NotFound(_("No such household."))
        try:
            with transaction.atomic():
                household.delete()
        except ProtectedError as exc:
            raise Conflict(
                _("This household still has products; move or delete them first."),
                fields={"household": [_("has products")]},
            ) from exc
