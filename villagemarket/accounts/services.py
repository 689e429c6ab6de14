"""Account use-cases: register, edit the profile, create and revoke API tokens."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.core.errors import Conflict, Invalid, NotFound
from villagemarket.core.validation import (
    control_character_message,
    find_control_character,
    visible_text,
)

from .models import ApiToken, User
from .rules import is_valid_mobile, normalize_email, normalize_mobile

MAX_ACTIVE_TOKENS = 20


def _identifier_errors(email: str | None, mobile: str | None, *, exclude_pk=None) -> dict:
    """Field errors for a missing, malformed or already-used email / mobile number."""
    errors: dict[str, list[str]] = {}
    if not email and not mobile:
        errors["email"] = [_("Give an email address or a mobile number (or both).")]
        return errors
    if mobile and not is_valid_mobile(mobile):
        errors["mobile"] = [_("Enter an 11-digit mainland mobile number starting with 1.")]
    others = User.objects.exclude(pk=exclude_pk)
    if email and others.filter(email__iexact=email).exists():
        errors["email"] = [_("An account with this email address already exists.")]
    if mobile and is_valid_mobile(mobile) and others.filter(mobile=mobile).exists():
        errors["mobile"] = [_("An account with this mobile number already exists.")]
    return errors


def _name_problem(value: str, *, required: bool) -> str | None:
    """Why a one-line name (display name, token name) cannot be stored, or None.

    Control characters (NUL included) and names made only of spaces or invisible characters
    are refused, so nobody shows up as a blank name to a seller or a buyer.
    """
    char = find_control_character(value, allow=frozenset())
    if char is not None:
        return control_character_message(char)
    try:
        visible_text(value)
    except ValidationError as exc:
        return exc.messages[0]
    if required and not value:
        return _("This field is required.")
    return None


def _duplicate_from(exc: IntegrityError) -> Invalid:
    # Two sign-ups raced past the check above; the unique constraints decided.
    field = "mobile" if "mobile" in str(exc).lower() else "email"
    return Invalid(
        _("An account with these details already exists."),
        fields={field: [_("This is already used by another account.")]},
    )


def register_user(
    *, email: str | None, mobile: str | None, password: str, display_name: str = ""
) -> User:
    """Create a buyer account that signs in with its email or mobile number.

    The password must already have passed the password validators (the sign-up form does it).
    """
    email = normalize_email(email or "") or None
    mobile = normalize_mobile(mobile or "") or None
    errors = _identifier_errors(email, mobile)
    if problem := _name_problem(display_name.strip(), required=False):
        errors["display_name"] = [problem]
    if errors:
        raise Invalid(_("Some fields need attention."), fields=errors)
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=email, mobile=mobile, password=password, display_name=display_name.strip()
            )
    except IntegrityError as exc:
        raise _duplicate_from(exc) from exc


def update_profile(user: User, *, display_name: str, email: str | None, mobile: str | None) -> User:
    """Change a person's display name, email and mobile; at least one of email/mobile stays."""
    email = normalize_email(email or "") or None
    mobile = normalize_mobile(mobile or "") or None
    errors = _identifier_errors(email, mobile, exclude_pk=user.pk)
    if problem := _name_problem(display_name.strip(), required=False):
        errors["display_name"] = [problem]
    if errors:
        raise Invalid(_("Some fields need attention."), fields=errors)
    try:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(
                display_name=display_name.strip(), email=email, mobile=mobile
            )
    except IntegrityError as exc:
        raise _duplicate_from(exc) from exc
    user.refresh_from_db(fields=["display_name", "email", "mobile"])
    return user


def create_api_token(user: User, *, name: str) -> tuple[ApiToken, str]:
    """Make a token for `user`; return it and its secret, which is never shown again."""
    name = (name or "").strip()
    if problem := _name_problem(name, required=True):
        raise Invalid(_("Name the token."), fields={"name": [problem]})
    if len(name) > 60:
        raise Invalid(_("The name is too long."), fields={"name": [_("At most 60 characters.")]})
    with transaction.atomic():
        # Lock the user row so two concurrent requests cannot both pass the count.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
            raise Conflict(
                _("You already have %(n)d active tokens; revoke one first.")
                % {"n": MAX_ACTIVE_TOKENS},
                code="too_many_tokens",
            )
        secret = ApiToken.new_secret()
        token = ApiToken.objects.create(
            user=user, name=name, prefix=secret[:12], token_hash=ApiToken.hash_secret(secret)
        )
    return token, secret


def revoke_api_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of `user`'s own tokens. Someone else's token is "not found" (reveals nothing)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if token is None:
            raise NotFound(_("No such token."))
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def set_token_policy(user: User, *, revoke_on_password_change: bool) -> User:
    """Choose whether a new password revokes one's API tokens (the default, and the safe choice)."""
    User.objects.filter(pk=user.pk).update(
        revoke_tokens_on_password_change=revoke_on_password_change
    )
    user.revoke_tokens_on_password_change = revoke_on_password_change
    return user


def revoke_api_tokens_as_operator(token_ids: list[int]) -> int:
    """Operators revoke tokens from the back-office (e.g. a leaked secret). Returns how many."""
    with transaction.atomic():
        return ApiToken.objects.filter(pk__in=token_ids, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
