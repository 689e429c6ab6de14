"""Buyer pages: my coupons, and claiming a coupon from a shop or product page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from villagemarket.core.errors import Conflict, NotFound

from . import panels, selectors, services


@login_required
def my_coupons(request):
    """The buyer's coupons: usable now first, then the rest (used, ended, not yet started)."""
    now = timezone.now()
    claims = list(selectors.claims_of(request.user)[:200])
    for claim in claims:
        coupon = claim.coupon
        if claim.status != "available":
            claim.shown_state = claim.status
        elif coupon.ended_at or coupon.ends_at <= now:
            claim.shown_state = "ended"
        elif coupon.starts_at > now:
            claim.shown_state = "scheduled"
        else:
            claim.shown_state = "usable"
    claims.sort(key=lambda c: (c.shown_state != "usable", c.coupon.ends_at))
    return render(request, "promotions/my_coupons.html", {"claims": claims})


@require_GET
def shop_coupons(request, shop_id: int):
    """The coupons to claim on a shop or product page (loaded by the page's panel)."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = ""
    return HttpResponse(panels.coupons_fragment(request, shop_id, next_url=target))


@login_required
@require_POST
def claim(request, coupon_id: int):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = ""
    try:
        services.claim_coupon(buyer=request.user, coupon_id=coupon_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Coupon claimed: it is in My coupons."))
    return redirect(target or "promotions:mine")
