"""Seller pages for a shop's promotions: list, create, change and end shop coupons, 满减 and
SKU sale prices. Thin: forms read the input, services apply the rules (errors on the fields)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from villagemarket.catalog.models import SKU
from villagemarket.core.errors import DomainError, NotFound
from villagemarket.core.forms import apply_domain_error, message_domain_error
from villagemarket.shops.permissions import shop_member_required

from . import selectors, services
from .forms import CouponForm, PromotionForm, SalePriceForm, SpendSaveForm
from .models import Coupon, SalePrice, SpendSave


@shop_member_required()
def promotion_list(request):
    now = timezone.now()
    found = selectors.shop_promotions(request.shop)
    sections = {key: list(qs[:100]) for key, qs in found.items()}
    for rows in sections.values():
        for row in rows:
            row.shown_state = row.state(now)
    return render(request, "promotions/seller/list.html", {"shop": request.shop, **sections})


def _existing(model, request, pk):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk, shop=request.shop).first()
    if found is None:
        raise Http404(_("No such promotion."))
    return found


def _page(request, form, editing, title, template="promotions/seller/edit.html"):
    status = 422 if request.method == "POST" else 200
    context = {"shop": request.shop, "form": form, "editing": editing, "title": title}
    return render(request, template, context, status=status)


def _done(request):
    messages.success(request, _("Promotion saved."))
    return redirect("seller_promotions:list", shop_slug=request.shop.slug)


@shop_member_required()
@require_http_methods(["GET", "POST"])
def coupon_edit(request, pk: int | None = None):
    coupon = _existing(Coupon, request, pk)
    initial = PromotionForm.initial_window() | {"per_buyer_limit": 1}
    if coupon:
        initial = {
            "name": coupon.name,
            "amount": coupon.amount_minor,
            "threshold": coupon.threshold_minor,
            "per_buyer_limit": coupon.per_buyer_limit,
            "total_quantity": coupon.total_quantity,
            "budget": coupon.budget_minor,
            "starts_at": coupon.starts_at,
            "ends_at": coupon.ends_at,
        }
    form = CouponForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_shop_coupon(
                shop=request.shop,
                user=request.user,
                coupon_id=pk,
                name=data["name"],
                amount_minor=data["amount"],
                threshold_minor=data["threshold"],
                per_buyer_limit=data["per_buyer_limit"],
                total_quantity=data["total_quantity"],
                budget_minor=data["budget"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return _done(request)
    return _page(request, form, coupon, _("Shop coupon"))


@shop_member_required()
@require_http_methods(["GET", "POST"])
def spend_save_edit(request, pk: int | None = None):
    offer = _existing(SpendSave, request, pk)
    initial = SpendSaveForm.initial_from(offer) if offer else PromotionForm.initial_window()
    form = SpendSaveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tiers = form.tiers()
        if not form.errors:
            try:
                services.save_shop_spend_save(
                    shop=request.shop,
                    user=request.user,
                    spend_save_id=pk,
                    name=data["name"],
                    tiers=tiers,
                    every=data["every"],
                    max_save_minor=data["max_save"],
                    budget_minor=data["budget"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                return _done(request)
    return _page(request, form, offer, _("Spend and save"), "promotions/seller/spend_save.html")


@shop_member_required()
@require_http_methods(["GET", "POST"])
def sale_price_edit(request, pk: int | None = None):
    sale = _existing(SalePrice, request, pk)
    skus = (
        SKU.objects.filter(product__shop=request.shop, is_active=True)
        .select_related("product")
        .order_by("product_id", "position", "pk")[:500]
    )
    initial = PromotionForm.initial_window()
    if sale:
        initial = {
            "name": sale.name,
            "sku": sale.sku_id,
            "price": sale.price_minor,
            "quantity_limit": sale.quantity_limit,
            "starts_at": sale.starts_at,
            "ends_at": sale.ends_at,
        }
    form = SalePriceForm(request.POST or None, initial=initial, skus=skus)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_sale_price(
                shop=request.shop,
                user=request.user,
                sale_price_id=pk,
                name=data["name"],
                sku_id=data["sku"],
                price_minor=data["price"],
                quantity_limit=data["quantity_limit"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return _done(request)
    return _page(request, form, sale, _("SKU sale price"))


@shop_member_required()
@require_POST
def end(request, kind: str, pk: int):
    try:
        services.end_promotion(shop=request.shop, kind=kind, promotion_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        message_domain_error(request, exc)
    else:
        messages.success(request, _("Promotion ended."))
    return redirect("seller_promotions:list", shop_slug=request.shop.slug)
