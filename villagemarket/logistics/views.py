"""Seller-center pickup pages (/seller/logistics/<shop_slug>/...): batches, a batch's parcels,
pick list and waybills, memberships. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from villagemarket.core.errors import DomainError
from villagemarket.core.forms import apply_domain_error, message_domain_error
from villagemarket.core.validation import parse_db_id
from villagemarket.shops.models import Household, Shop
from villagemarket.shops.permissions import shop_member_required

from . import pdf, selectors, services
from .forms import BatchForm, InviteForm, RangeForm
from .rules import may_run_pickups


def _batch_or_404(request, pk: int):
    try:
        return selectors.batch_for(request.shop, pk)
    except DomainError as exc:
        raise Http404(exc.message) from exc


def _point_batch_or_404(request, pk: int):
    """Only the point's own staff print and change a batch; a member shop only reads it."""
    batch = _batch_or_404(request, pk)
    if batch.point_id != request.shop.pk:
        raise Http404(_("No such pickup batch."))
    return batch


@shop_member_required()
def batch_list(request):
    shop = request.shop
    return render(
        request,
        "logistics/list.html",
        {
            "shop": shop,
            "is_point": may_run_pickups(shop.kind),
            "batches": selectors.batches_of(shop)[:100],
            "invitations": selectors.memberships_of(shop).filter(member=shop, status="invited"),
        },
    )


@shop_member_required()
@require_http_methods(["GET", "POST"])
def batch_new(request):
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.create_batch(
                user=request.user,
                point=request.shop,
                courier_code=form.cleaned_data["courier"],
                pickup_date=form.cleaned_data["pickup_date"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Pickup batch #%(id)d opened.") % {"id": batch.pk})
            return redirect("seller_logistics:detail", shop_slug=request.shop.slug, pk=batch.pk)
    return render(
        request,
        "logistics/new.html",
        {"shop": request.shop, "form": form, "is_point": may_run_pickups(request.shop.kind)},
    )


def _filters(request, point: Shop) -> dict:
    """The candidate filters from the query string; unknown values are ignored."""
    served = selectors.served_shop_ids(point)
    shop_id = parse_db_id(request.GET.get("shop"))
    household_id = parse_db_id(request.GET.get("household"))
    try:
        paid_on = datetime.date.fromisoformat(request.GET.get("paid", ""))
    except ValueError:
        paid_on = None
    return {
        "shop_id": shop_id if shop_id in served else None,
        "household_id": household_id
        if Household.objects.filter(pk=household_id, shop_id__in=served).exists()
        else None,
        "paid_on": paid_on,
    }


@shop_member_required()
def batch_detail(request, pk: int):
    batch = _batch_or_404(request, pk)
    is_point = batch.point_id == request.shop.pk
    items = list(selectors.batch_items(batch, shop=request.shop))
    context = {
        "shop": request.shop,
        "batch": batch,
        "is_point": is_point,
        "items": items,
        "courier": selectors.courier_name(batch.courier_code),
        "groups": selectors.pick_list(items),
    }
    if is_point and batch.is_open:
        filters = _filters(request, batch.point)
        served = selectors.served_shop_ids(batch.point)
        context |= {
            "filters": filters,
            "today": timezone.localdate().isoformat(),
            "candidates": list(selectors.candidate_orders(batch.point, **filters)[:200]),
            "served_shops": Shop.objects.filter(pk__in=served).order_by("name"),
            "households": Household.objects.filter(shop_id__in=served).order_by("name"),
            "range_form": RangeForm(),
            "missing_numbers": sum(1 for item in items if not item.tracking_no),
        }
    return render(request, "logistics/detail.html", context)


def _ids(values) -> list[int]:
    return [oid for v in values if (oid := parse_db_id(v)) is not None]


@shop_member_required()
@require_POST
def batch_action(request, pk: int, action: str):
    """One POST per button of the batch page; errors come back as messages naming the order."""
    batch = _point_batch_or_404(request, pk)
    point, done = request.shop, None
    try:
        if action == "add":
            added = services.add_orders(
                point=point, batch_id=batch.pk, order_ids=_ids(request.POST.getlist("order"))
            )
            done = ngettext("%(n)d order added.", "%(n)d orders added.", len(added)) % {
                "n": len(added)
            }
        elif action == "remove":
            services.remove_order(
                point=point, batch_id=batch.pk, order_id=parse_db_id(request.POST.get("order")) or 0
            )
            done = _("Order removed from the batch.")
        elif action == "numbers":
            numbers = {
                oid: request.POST[key]
                for key in request.POST
                if key.startswith("tn-") and (oid := parse_db_id(key[3:])) is not None
            }
            services.assign_tracking(point=point, batch_id=batch.pk, numbers=numbers)
            done = _("Tracking numbers saved.")
        elif action == "range":
            form = RangeForm(request.POST)
            if not form.is_valid():
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, error)
            else:
                services.assign_range(point=point, batch_id=batch.pk, **form.cleaned_data)
                done = _("Tracking numbers assigned from the range.")
        elif action == "hand-over":
            services.hand_over(user=request.user, point=point, batch_id=batch.pk)
            done = _("Handed over: every order of the batch is shipped.")
        elif action == "cancel":
            services.cancel_batch(point=point, batch_id=batch.pk)
            done = _("Batch cancelled; its orders can join another batch.")
        else:
            raise Http404(_("Unknown action."))
    except DomainError as exc:
        message_domain_error(request, exc)
    if done:
        messages.success(request, done)
    return redirect("seller_logistics:detail", shop_slug=point.slug, pk=batch.pk)


@shop_member_required()
def pick_list(request, pk: int):
    batch = _batch_or_404(request, pk)
    items = selectors.batch_items(batch, shop=request.shop)
    return render(
        request,
        "logistics/pick_list.html",
        {
            "shop": request.shop,
            "batch": batch,
            "courier": selectors.courier_name(batch.courier_code),
            "groups": selectors.pick_list(items),
            "printed_at": timezone.localtime(),
        },
    )


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@shop_member_required()
def waybills(request, pk: int):
    batch = _point_batch_or_404(request, pk)
    data = pdf.waybills_pdf(
        batch, selectors.batch_items(batch), selectors.label_courier_name(batch.courier_code)
    )
    return _pdf_response(data, f"waybills-{batch.pk}.pdf")


@shop_member_required()
def pick_list_pdf(request, pk: int):
    batch = _batch_or_404(request, pk)
    groups = selectors.pick_list(selectors.batch_items(batch, shop=request.shop))
    data = pdf.pick_list_pdf(batch, groups, selectors.label_courier_name(batch.courier_code))
    return _pdf_response(data, f"pick-list-{batch.pk}.pdf")


@shop_member_required()
@require_http_methods(["GET", "POST"])
def memberships(request):
    shop = request.shop
    form = InviteForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "invite":
                form = InviteForm(request.POST)
                if form.is_valid():
                    services.invite_member(
                        user=request.user, point=shop, member_slug=form.cleaned_data["member"]
                    )
                    messages.success(request, _("Invitation sent: the shop's owner answers it."))
                    return redirect("seller_logistics:memberships", shop_slug=shop.slug)
            else:
                membership_id = parse_db_id(request.POST.get("membership")) or 0
                act = {
                    "accept": (services.accept_membership, _("You joined the pickup point.")),
                    "decline": (services.decline_membership, _("Invitation declined.")),
                    "end": (services.end_membership, _("Membership ended.")),
                }.get(action)
                if act is None:
                    raise Http404(_("Unknown action."))
                act[0](user=request.user, membership_id=membership_id)
                messages.success(request, act[1])
                return redirect("seller_logistics:memberships", shop_slug=shop.slug)
        except DomainError as exc:
            if action == "invite":
                apply_domain_error(form, exc)
            else:
                message_domain_error(request, exc)
    return render(
        request,
        "logistics/memberships.html",
        {
            "shop": shop,
            "form": form,
            "is_point": may_run_pickups(shop.kind),
            "is_owner": request.shop_role == "owner",
            "memberships": selectors.memberships_of(shop),
        },
    )
