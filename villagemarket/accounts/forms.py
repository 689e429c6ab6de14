"""Account forms. Django's auth forms where they fit; identifiers validated by services' rules."""

from __future__ import annotations

import math

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import (
    AuthenticationForm,
    BaseUserCreationForm,
    PasswordChangeForm,
    PasswordResetForm,
    UserChangeForm,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import User
from .permissions import is_operator
from .rules import is_valid_mobile, normalize_email, normalize_mobile
from .throttle import (
    account_key,
    record_failed_signin,
    record_reset_request,
    record_successful_signin,
    reset_wait_seconds,
    signin_wait_seconds,
    user_key,
)


def _too_many_signins(wait: int) -> ValidationError:
    minutes = math.ceil(wait / 60)
    return ValidationError(
        ngettext(
            "Too many failed sign-ins. Try again in %(minutes)d minute.",
            "Too many failed sign-ins. Try again in %(minutes)d minutes.",
            minutes,
        )
        % {"minutes": minutes},
        code="rate_limited",
    )


class MobileField(forms.CharField):
    """A mainland mobile number; spaces, dashes and +86 are accepted and removed."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_mobile(value) if value else None

    def validate(self, value):
        super().validate(value)
        if value and not is_valid_mobile(value):
            raise ValidationError(
                _("Enter an 11-digit mainland mobile number starting with 1."), code="invalid"
            )


class IdentifiersMixin:
    """Email and/or mobile: at least one, each unique (case-insensitive for email)."""

    def clean_email(self):
        return normalize_email(self.cleaned_data.get("email") or "") or None

    def clean(self):
        cleaned = super().clean()
        self._check_identifiers()
        return cleaned

    def validate_unique(self):
        # Uniqueness is checked (with clear messages) in _check_identifiers.
        pass

    def _check_identifiers(self):
        email = self.cleaned_data.get("email")
        mobile = self.cleaned_data.get("mobile")
        if "email" in self.errors or "mobile" in self.errors:
            return
        if not email and not mobile:
            self.add_error("email", _("Give an email address or a mobile number (or both)."))
            return
        others = User.objects.exclude(pk=self.instance.pk) if self.instance.pk else User.objects
        if email and others.filter(email__iexact=email).exists():
            self.add_error("email", _("An account with this email address already exists."))
        if mobile and others.filter(mobile=mobile).exists():
            self.add_error("mobile", _("An account with this mobile number already exists."))


class SignUpForm(IdentifiersMixin, BaseUserCreationForm):
    """Email or mobile (or both), a display name, and the password twice."""

    mobile = MobileField(
        label=_("Mobile number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    class Meta:
        model = User
        fields = ("display_name", "email", "mobile")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        self.fields["display_name"].widget.attrs["autofocus"] = True
        self.fields["email"].required = False
        self.fields["email"].help_text = _("Give an email, a mobile number, or both.")


class SignInForm(AuthenticationForm):
    """One "email or mobile" field and the password, with failed attempts rate limited."""

    username = forms.CharField(
        label=_("Email or mobile number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("The email or mobile number and password do not match an account."),
        "inactive": _("This account is inactive."),
    }

    def clean(self):
        login = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not login or not password:
            return self.cleaned_data
        key = account_key(login)
        wait = signin_wait_seconds(self.request, key)
        if wait:
            # Limited: the password is not checked at all, right or wrong.
            raise _too_many_signins(wait)
        self.user_cache = authenticate(self.request, username=login, password=password)
        if self.user_cache is None:
            record_failed_signin(self.request, key)
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        record_successful_signin(key)
        return self.cleaned_data

    def get_invalid_login_error(self):
        return ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class AdminSignInForm(SignInForm):
    """The back-office's sign-in (admin.site.login_form, set in AccountsConfig.ready).

    Same limiter and same budgets as the site's sign-in page: a password guessed at /admin/login/
    counts against the account exactly as one guessed at /accounts/signin/. Only operators get in.
    """

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not is_operator(user):
            # Django's admin answers the same way: no hint that the password was right.
            raise self.get_invalid_login_error()


class LimitedPasswordChangeForm(PasswordChangeForm):
    """Changing one's password asks for the old one: wrong guesses count as failed sign-ins,
    so a borrowed or stolen session cannot be used to try passwords without limit."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        key = user_key(self.user)
        wait = signin_wait_seconds(self.request, key)
        if wait:
            raise _too_many_signins(wait)
        try:
            return super().clean_old_password()
        except ValidationError:
            record_failed_signin(self.request, key)
            raise


class LimitedPasswordResetForm(PasswordResetForm):
    """Reset requests are throttled per account and per address; every request counts, known
    email or not, and the answer is the same either way (nothing reveals which accounts exist)."""

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if not email or self.request is None:
            return cleaned
        wait = reset_wait_seconds(self.request, email)
        if wait:
            minutes = math.ceil(wait / 60)
            raise ValidationError(
                ngettext(
                    "Too many password reset requests. Try again in %(minutes)d minute.",
                    "Too many password reset requests. Try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
                code="rate_limited",
            )
        record_reset_request(self.request, email)
        return cleaned


class ProfileForm(IdentifiersMixin, forms.ModelForm):
    mobile = MobileField(
        label=_("Mobile number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    class Meta:
        model = User
        fields = ("display_name", "email", "mobile")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=60,
        help_text=_("Say where it will be used, e.g. “stock spreadsheet script”."),
    )


class TokenPolicyForm(forms.Form):
    revoke_on_password_change = forms.BooleanField(
        label=_("Revoke all my API tokens when my password changes or is reset"),
        required=False,
        help_text=_(
            "Recommended: whoever learnt your old password may have made a token with it. "
            "Untick only if a script must keep running and you will revoke its token yourself."
        ),
    )


# --- back-office (admin) forms, Django's UserAdmin forms adapted to email/mobile -------


class AdminUserCreationForm(IdentifiersMixin, BaseUserCreationForm):
    mobile = MobileField(label=_("Mobile number"), required=False, max_length=20)

    class Meta:
        model = User
        fields = ("email", "mobile", "display_name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = False


class AdminUserChangeForm(IdentifiersMixin, UserChangeForm):
    mobile = MobileField(label=_("Mobile number"), required=False, max_length=20)

    class Meta:
        model = User
        fields = "__all__"
