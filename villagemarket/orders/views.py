"""Buyer pages: checkout, my orders with a timeline, cancel and confirm, the address book."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from villagemarket.cart.selectors import cart_view
from villagemarket.cart.services import cart_for_user
from villagemarket.core.errors import DomainError
from villagemarket.core.forms import apply_domain_error, message_domain_error
from villagemarket.core.validation import parse_db_id

from . import selectors, services
from .device import device_id_of
from .forms import AddressForm
from .models import CheckoutRequest
from .services.checkout import clean_items
from .services.refunds import can_ask_refund
from .states import Event, Status, allowed_events

TOKEN_SALT = "orders.checkout"
TOKEN_MAX_AGE = 24 * 3600


def _pay_url(payment) -> str:
    return reverse("payments:pay", args=[payment.public_id])


# --- checkout ----------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def checkout(request):
    """One page: choose an address, see each shop's goods and freight, submit once."""
    if request.method == "POST":
        return _submit_checkout(request)
    view = cart_view(cart_for_user(request.user))
    items = view.checkout_items()
    if not items:
        messages.error(request, _("There is nothing to check out."))
        return redirect("cart:view")
    addresses = selectors.address_book(request.user)
    chosen = next((a for a in addresses if str(a.pk) == request.GET.get("address")), None)
    chosen = chosen or next((a for a in addresses if a.is_default), None)
    amounts = services.quote(chosen, clean_items(items))
    groups = []
    for g in view.groups:
        parcel = amounts.for_shop(g.shop.pk)
        if parcel is not None:
            groups.append({"group": g, "parcel": parcel, "freight": parcel.freight})
    token = signing.dumps({"u": request.user.pk, "n": uuid.uuid4().hex}, salt=TOKEN_SALT)
    return render(
        request,
        "orders/checkout.html",
        {
            "view": view,
            "groups": groups,
            "addresses": addresses,
            "chosen": chosen,
            "amounts": amounts,
            "total": amounts.total,
            "token": token,
            "all_deliver": chosen is not None and amounts.all_deliver,
        },
    )


def _submit_checkout(request):
    try:
        data = signing.loads(request.POST.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("The checkout form expired; please check out again."))
        return redirect("orders:checkout")
    if data.get("u") != request.user.pk:
        messages.error(request, _("The checkout form expired; please check out again."))
        return redirect("orders:checkout")
    key = f"form:{data['n']}"
    # A resubmitted form (back button, double tap) goes to the payment the first one made.
    earlier = (
        CheckoutRequest.objects.filter(buyer=request.user, key=key, payment__isnull=False)
        .select_related("payment")
        .first()
    )
    if earlier:
        return redirect(_pay_url(earlier.payment))
    items = cart_view(cart_for_user(request.user)).checkout_items()
    address_id = parse_db_id(request.POST.get("address_id", "")) or 0
    notes = {
        int(name[5:]): text
        for name, text in request.POST.items()
        if name.startswith("note_") and parse_db_id(name[5:])
    }
    try:
        result = services.place_order(
            buyer=request.user,
            address_id=address_id,
            items=items,
            notes=notes,
            form_token=key,
            device_id=device_id_of(request),
        )
    except DomainError as exc:
        message_domain_error(request, exc)
        return redirect(
            reverse("orders:checkout") + (f"?address={address_id}" if address_id else "")
        )
    return redirect(_pay_url(result.payment))


# --- my orders ---------------------------------------------------------------------------------
# Lazy: a module-level label is read when a page renders, in the viewer's language.
BUYER_TABS = [("", gettext_lazy("All")), *Status.choices]


@login_required
def my_orders(request):
    status = request.GET.get("status", "")
    page = Paginator(selectors.buyer_orders(request.user, status), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "orders/mine.html", {"page": page, "status": status, "tabs": BUYER_TABS})


@login_required
def order_detail(request, pk: int):
    try:
        order = selectors.buyer_order(request.user, pk)
    except DomainError:
        return render(request, "orders/not_found.html", status=404)
    return render(
        request,
        "orders/detail.html",
        {
            "order": order,
            "timeline": selectors.timeline(order),
            "events": allowed_events(order.status),
            "can_refund": can_ask_refund(order),
            "pay_url": _pay_url(order.payment)
            if order.payment_id and order.status == Status.AWAITING_PAYMENT
            else "",
        },
    )


def _buyer_action(request, pk: int, action, done: str):
    try:
        action(buyer=request.user, order_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        if exc.status == 404:
            return render(request, "orders/not_found.html", status=404)
    else:
        messages.success(request, done)
    return redirect("orders:detail", pk=pk)


@login_required
@require_POST
def cancel(request, pk: int):
    return _buyer_action(request, pk, services.cancel_unpaid, _("The order was cancelled."))


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request, pk: int):
    """Confirming receipt releases the money to the seller and cannot be undone, so it asks once
    more: GET (or a POST without `sure=yes`) shows the question, the page's form answers it.
    Plain HTML: works without JavaScript."""
    if request.method == "POST" and request.POST.get("sure") == "yes":
        return _buyer_action(
            request, pk, services.confirm_receipt, _("Thank you: the order is complete.")
        )
    if request.method == "POST":
        return redirect("orders:confirm", pk=pk)
    try:
        order = selectors.buyer_order(request.user, pk)
    except DomainError:
        return render(request, "orders/not_found.html", status=404)
    if Event.CONFIRM not in allowed_events(order.status):
        messages.error(request, _("This order cannot be confirmed now."))
        return redirect("orders:detail", pk=pk)
    return render(request, "orders/confirm.html", {"order": order})


# --- address book ---------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def addresses(request):
    """List, add (POST) and, via ?edit=<id>, change addresses."""
    editing = None
    if edit_id := parse_db_id(request.GET.get("edit", "")):
        editing = selectors.addresses_of(request.user).filter(pk=edit_id).first()
    initial = (
        {
            "region": editing.region_id,
            "detail": editing.detail,
            "recipient": editing.recipient,
            "mobile": editing.mobile,
            "is_default": editing.is_default,
        }
        if editing
        else None
    )
    form = AddressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_address(
                user=request.user,
                region_code=form.cleaned_data["region"].code,
                detail=form.cleaned_data["detail"],
                recipient=form.cleaned_data["recipient"],
                mobile=form.cleaned_data["mobile"],
                is_default=form.cleaned_data["is_default"],
                address_id=editing.pk if editing else None,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Address saved."))
            if request.GET.get("next", "") == reverse("orders:checkout"):
                # Back to checkout with the address just saved chosen (a new one is what the
                # buyer came to add).
                return redirect(f"{reverse('orders:checkout')}?address={saved.pk}")
            return redirect("orders:addresses")
    return render(
        request,
        "orders/addresses.html",
        {
            "form": form,
            "addresses": selectors.address_book(request.user),
            "editing": editing,
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def address_action(request, pk: int, action: str):
    try:
        if action == "delete":
            services.delete_address(user=request.user, address_id=pk)
        else:
            services.set_default_address(user=request.user, address_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return render(request, "orders/not_found.html", status=404)
    return redirect("orders:addresses")
