"""Refresh tracking by hand, from the buyer's or the seller's order page (rate-limited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from villagemarket.core.errors import DomainError
from villagemarket.orders.models import ShopOrder
from villagemarket.shops.permissions import shop_member_required

from . import services


def _refresh(request, order) -> None:
    try:
        services.refresh_tracking(order)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Tracking refreshed."))


@login_required
@require_POST
def refresh(request, pk: int):
    order = ShopOrder.objects.filter(pk=pk, buyer=request.user).first()
    if order is None:
        raise Http404(_("No such order."))
    _refresh(request, order)
    return redirect("orders:detail", pk=pk)


@shop_member_required()
@require_POST
def seller_refresh(request, pk: int):
    order = ShopOrder.objects.filter(pk=pk, shop=request.shop).first()
    if order is None:
        raise Http404(_("No such order."))
    _refresh(request, order)
    return redirect("seller_orders:detail", shop_slug=request.shop.slug, pk=pk)
