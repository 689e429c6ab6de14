"""Seller-center pages for shops: my shops, open a shop, dashboard, settings, staff, households.

Thin: each view validates a form, calls one service, and shows domain errors on the form or as
a message. Who may see a page is decided by shop_member_required (404 for outsiders).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from villagemarket.core.errors import DomainError, NotFound
from villagemarket.core.forms import apply_domain_error

from . import selectors, services
from .forms import HouseholdForm, InviteForm, OpenShopForm, ShopSettingsForm
from .models import Household, ShopInvitation
from .permissions import shop_member_required


def _dashboard(shop) -> HttpResponse:
    return redirect("seller:dashboard", shop_slug=shop.slug)


@login_required
def center(request: HttpRequest) -> HttpResponse:
    """My shops with their status and my role, or a prompt to open one."""
    memberships = selectors.memberships_of(request.user)
    return render(request, "shops/center.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
def open_shop(request: HttpRequest) -> HttpResponse:
    form = OpenShopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shop = services.open_shop(request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Your shop is open and waiting for an operator's approval before it can sell."),
            )
            return _dashboard(shop)
    return render(request, "shops/open.html", {"form": form})


@shop_member_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    shop = request.shop
    context = {
        "shop": shop,
        "counts": selectors.dashboard_counts(shop),
        "history": selectors.status_history(shop),
    }
    return render(request, "shops/dashboard.html", context)


def _settings_initial(shop) -> dict:
    fields = ("name", "name_en", "description", "kind", "ship_from_address", "phone")
    return {**{f: getattr(shop, f) for f in fields}, "village": shop.village_id}


@shop_member_required(owner_only=True)
@require_http_methods(["GET", "POST"])
def shop_settings(request: HttpRequest) -> HttpResponse:
    shop = request.shop
    form = ShopSettingsForm(
        request.POST or None, request.FILES or None, initial=_settings_initial(shop)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_shop(request.user, shop, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Shop settings saved."))
            return redirect("seller:settings", shop_slug=shop.slug)
    return render(request, "shops/settings.html", {"shop": shop, "form": form})


@shop_member_required(owner_only=True)
@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest) -> HttpResponse:
    """Owner: invite by email or mobile, list members and open invitations, revoke, remove."""
    shop = request.shop
    form = InviteForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "invite":
                form = InviteForm(request.POST)
                if form.is_valid():
                    services.invite_staff(request.user, shop, form.cleaned_data["login"])
                    messages.success(request, _("Invitation created. Send the link to the person."))
                    return redirect("seller:staff", shop_slug=shop.slug)
            elif action == "revoke":
                services.revoke_invitation(request.user, shop, _int(request.POST.get("invitation")))
                messages.success(request, _("Invitation withdrawn."))
                return redirect("seller:staff", shop_slug=shop.slug)
            elif action == "remove":
                services.remove_staff(request.user, shop, _int(request.POST.get("member")))
                messages.success(request, _("Member removed."))
                return redirect("seller:staff", shop_slug=shop.slug)
            else:
                messages.error(request, _("Unknown action."))
        except DomainError as exc:
            if action == "invite":
                apply_domain_error(form, exc)
            else:
                messages.error(request, exc.message)
    context = {
        "shop": shop,
        "form": form,
        "members": selectors.staff_of(shop),
        "invitations": selectors.open_invitations(shop),
    }
    return render(request, "shops/staff.html", context)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(_("Not found.")) from None


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person sees which shop invited them and accepts; anyone else gets 404."""
    invite = ShopInvitation.objects.select_related("shop", "invited_by").filter(token=token).first()
    if invite is None or not services.invitation_matches(request.user, invite):
        raise Http404(_("No such invitation for your account."))
    if request.method == "POST":
        try:
            member = services.accept_invitation(request.user, token)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("You are now on the staff of %(shop)s.") % {"shop": member.shop.name}
            )
            return _dashboard(member.shop)
    usable = invite.is_open and not services.invitation_expired(invite)
    return render(request, "shops/invitation.html", {"invite": invite, "usable": usable})


@shop_member_required()
@require_http_methods(["GET", "POST"])
def households(request: HttpRequest) -> HttpResponse:
    """Service points: the households they sell for (add, list, remove)."""
    shop = request.shop
    form = HouseholdForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                form = HouseholdForm(request.POST)
                if form.is_valid():
                    services.add_household(request.user, shop, **form.cleaned_data)
                    messages.success(request, _("Household added."))
                    return redirect("seller:households", shop_slug=shop.slug)
            elif action == "remove":
                services.remove_household(request.user, shop, _int(request.POST.get("household")))
                messages.success(request, _("Household removed."))
                return redirect("seller:households", shop_slug=shop.slug)
            else:
                messages.error(request, _("Unknown action."))
        except DomainError as exc:
            if action == "add":
                apply_domain_error(form, exc)
            else:
                messages.error(request, exc.message)
    context = {"shop": shop, "form": form, "households": selectors.households_of(shop)}
    return render(request, "shops/households.html", context)


@shop_member_required()
@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    shop = request.shop
    household = Household.objects.filter(pk=pk, shop=shop).select_related("village").first()
    if household is None:
        raise Http404(_("No such household."))
    initial = {
        "name": household.name,
        "contact_phone": household.contact_phone,
        "village": household.village_id,
    }
    form = HouseholdForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_household(request.user, shop, household.pk, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Household saved."))
            return redirect("seller:households", shop_slug=shop.slug)
    return render(
        request, "shops/household_edit.html", {"shop": shop, "form": form, "household": household}
    )
