"""Refund and dispute pages: the buyer asks and follows a request under "My orders", shop staff
answer under the seller center's order pages, and a dispute page serves both sides and the
operator. Thin: forms shape input, services decide, domain errors become messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from villagemarket.accounts.permissions import is_operator, operator_required
from villagemarket.core.errors import DomainError
from villagemarket.core.forms import apply_domain_error
from villagemarket.shops.permissions import shop_member_required

from . import refund_selectors, selectors, services
from .forms import DecisionForm, RefundForm, SellerAnswerForm, ShipForm, StatementForm
from .refund_states import allowed_refund_events


def _or_404(read, *args):
    try:
        return read(*args)
    except DomainError as exc:
        raise Http404(exc.message) from exc


# --- buyer ---------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def ask_refund(request, pk: int):
    """The refund form of one of my orders; before shipment the money comes back at once."""
    order = _or_404(selectors.buyer_order, request.user, pk)
    form = RefundForm(
        request.POST or None,
        currency=order.currency,
        initial={"amount": order.refundable.amount, "kind": "money_only"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            refund = services.request_refund(
                buyer=request.user, order_id=order.pk, **form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if refund.status == "refunded":
                messages.success(request, _("Refunded: the money is on its way back to you."))
            else:
                messages.success(request, _("Asked. The seller answers within 5 days."))
            return redirect("orders:refund", refund_id=refund.pk)
    return render(
        request,
        "orders/refund_ask.html",
        {"order": order, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
def refund_detail(request, refund_id: int):
    refund = _or_404(refund_selectors.refund_for_buyer, request.user, refund_id)
    return render(
        request,
        "orders/refund_detail.html",
        {
            "refund": refund,
            "events": allowed_refund_events(refund.status),
            "return_form": ShipForm(),
            "statement_form": StatementForm(),
            "side": "buyer",
        },
    )


@login_required
@require_POST
def refund_action(request, refund_id: int, action: str):
    """Withdraw, send the goods back, or ask the operator to arbitrate."""
    if action not in ("cancel", "return", "dispute"):
        raise Http404("No such action.")
    _or_404(refund_selectors.refund_for_buyer, request.user, refund_id)
    try:
        if action == "cancel":
            services.cancel_refund(buyer=request.user, refund_id=refund_id)
            messages.success(request, _("Your request is withdrawn."))
        elif action == "return":
            form = ShipForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give the carrier and the tracking number."))
            else:
                services.ship_back(buyer=request.user, refund_id=refund_id, **form.shipment())
                messages.success(
                    request, _("The seller has 7 days to confirm the goods came back.")
                )
        else:
            dispute = _open_dispute(request, refund_id)
            if dispute is not None:
                return redirect("orders:dispute", dispute_id=dispute.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("orders:refund", refund_id=refund_id)


def _open_dispute(request, refund_id: int):
    form = StatementForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Say what happened."))
        return None
    dispute = services.open_dispute(
        user=request.user,
        refund_id=refund_id,
        text=form.cleaned_data["text"],
        image=form.cleaned_data.get("image"),
    )
    messages.success(request, _("An operator will look at both sides and decide."))
    return dispute


# --- seller --------------------------------------------------------------------------------------
@shop_member_required()
def seller_refund(request, refund_id: int):
    refund = _or_404(refund_selectors.refund_for_shop, request.shop, refund_id)
    return render(
        request,
        "orders/seller/refund.html",
        {
            "shop": request.shop,
            "refund": refund,
            "events": allowed_refund_events(refund.status),
            "answer_form": SellerAnswerForm(),
            "statement_form": StatementForm(),
        },
    )


@shop_member_required()
@require_POST
def seller_refund_action(request, refund_id: int, action: str):
    """Approve, reject (with a reason), confirm the return, or ask the operator."""
    if action not in ("approve", "reject", "confirm_return", "dispute"):
        raise Http404("No such action.")
    _or_404(refund_selectors.refund_for_shop, request.shop, refund_id)
    note = request.POST.get("note", "")[:500]
    try:
        if action == "approve":
            services.approve_refund(shop=request.shop, refund_id=refund_id, note=note)
            messages.success(request, _("Approved."))
        elif action == "reject":
            services.reject_refund(shop=request.shop, refund_id=refund_id, note=note)
            messages.success(request, _("Rejected. The buyer may ask the operator to decide."))
        elif action == "confirm_return":
            services.confirm_return(shop=request.shop, refund_id=refund_id)
            messages.success(request, _("The goods are back and the buyer is refunded."))
        else:
            dispute = _open_dispute(request, refund_id)
            if dispute is not None:
                return redirect("orders:dispute", dispute_id=dispute.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("seller_orders:refund", shop_slug=request.shop.slug, refund_id=refund_id)


# --- dispute (buyer, seller, operator) -----------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def dispute_detail(request, dispute_id: int):
    """Both statements with their evidence; the sides add to them, an operator decides."""
    dispute = _or_404(refund_selectors.dispute_for, request.user, dispute_id)
    operator = is_operator(request.user)
    statement_form = StatementForm()
    decision_form = DecisionForm()
    if request.method == "POST":
        deciding = "decide" in request.POST
        form = (
            DecisionForm(request.POST) if deciding else StatementForm(request.POST, request.FILES)
        )
        if form.is_valid():
            try:
                if deciding:
                    services.decide_dispute(
                        operator=request.user, dispute_id=dispute.pk, **form.cleaned_data
                    )
                else:
                    services.add_statement(
                        user=request.user,
                        dispute_id=dispute.pk,
                        text=form.cleaned_data["text"],
                        image=form.cleaned_data.get("image"),
                    )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("orders:dispute", dispute_id=dispute.pk)
        if deciding:
            decision_form = form
        else:
            statement_form = form
    return render(
        request,
        "orders/dispute.html",
        {
            "dispute": dispute,
            "refund": dispute.refund,
            "is_operator": operator,
            "statement_form": statement_form,
            "decision_form": decision_form,
        },
        status=422 if request.method == "POST" else 200,
    )


# --- refunds the payment provider failed (operator) ---------------------------------------------
@operator_required
@require_http_methods(["GET", "POST"])
def failed_refunds(request):
    """Refunds the provider failed, with what it said; an operator asks it again."""
    status = 200
    if request.method == "POST":
        try:
            refund = services.retry_refund_payment(
                operator=request.user, refund_id=int(request.POST.get("refund", "0") or 0)
            )
        except (DomainError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", _("No such refund request.")))
            status = 409
        else:
            if refund is not None and refund.status == "refunded":
                messages.success(request, _("The provider paid the refund back."))
            else:
                messages.info(request, _("Asked again: the provider has not answered yet."))
            return redirect("orders:failed_refunds")
    refunds = refund_selectors.refunds_failed_at_provider()[:200]
    return render(request, "orders/failed_refunds.html", {"refunds": refunds}, status=status)


@operator_required
def dispute_list(request):
    return render(
        request, "orders/disputes.html", {"disputes": refund_selectors.open_disputes()[:200]}
    )
