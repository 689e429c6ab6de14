"""Account pages: thin wrappers over Django's auth views, the forms and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from villagemarket.core.errors import DomainError, Invalid
from villagemarket.core.forms import apply_domain_error
from villagemarket.core.urls import site_domain, site_uses_https

from . import selectors, services
from .forms import ProfileForm, SignInForm, SignUpForm, TokenCreateForm
from .models import User

# The session key under which a new token's secret waits for the one page view that shows it.
NEW_SECRET_SESSION_KEY = "accounts:new_token_secret"


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


class SignInView(auth_views.LoginView):
    """Sign in; Django's LoginView cycles the session key and honours only same-host `next`."""

    form_class = SignInForm
    template_name = "accounts/signin.html"
    redirect_authenticated_user = True


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account and sign in at once."""
    if request.user.is_authenticated:
        return redirect("web:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.register_user(
                email=data.get("email"),
                mobile=data.get("mobile"),
                password=data["password1"],
                display_name=data["display_name"],
            )
        except Invalid as exc:
            apply_domain_error(form, exc)
        else:
            login(request, user, backend="villagemarket.accounts.backends.EmailOrMobileBackend")
            messages.success(request, _("Welcome to VillageMarket, %(name)s.") % {"name": user})
            return redirect(_safe_next(request) or "web:home")
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request)})


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET with 405)."""


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Display name, email and mobile number."""
    # A copy, so an invalid form does not leave bad values on request.user (shown in the header).
    user = User.objects.get(pk=request.user.pk)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_profile(
                user,
                display_name=data["display_name"],
                email=data.get("email"),
                mobile=data.get("mobile"),
            )
        except Invalid as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    memberships = selectors.memberships_of(user)
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Your password is changed."))
        return super().form_valid(form)


class SiteAddressPasswordResetForm(PasswordResetForm):
    """The reset link is on SITE_URL: Django's own form takes the domain from the request's Host."""

    def save(self, **kwargs):
        kwargs.update(domain_override=site_domain(), use_https=site_uses_https())
        return super().save(**kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = SiteAddressPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """List one's API tokens; create one (its secret is shown once, on the next page view)."""
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.create_api_token(request.user, name=form.cleaned_data["name"])
        except Invalid as exc:
            apply_domain_error(form, exc)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            # Redirect-after-POST; the secret rides in the session for exactly one view.
            request.session[NEW_SECRET_SESSION_KEY] = {"id": token.pk, "secret": secret}
            return redirect("accounts:tokens")
    new_secret = request.session.pop(NEW_SECRET_SESSION_KEY, None)
    context = {
        "form": form if request.method == "POST" else TokenCreateForm(),
        "tokens": selectors.tokens_of(request.user),
        "new_secret": new_secret,
    }
    response = render(request, "accounts/tokens.html", context)
    response["Cache-Control"] = "no-store"  # the secret must not sit in any cache
    return response


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of one's own tokens; anyone else's is a 404 and stays active."""
    try:
        token = services.revoke_api_token(request.user, token_id)
    except DomainError as exc:
        return render(request, "accounts/not_found.html", {"message": exc.message}, status=404)
    messages.success(request, _("Token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
