"""Operators' payout pages: choose requested withdrawals, make a batch, download its bank file,
mark it paid. Thin: every decision is in ledger.payouts."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from villagemarket.accounts.permissions import operator_required
from villagemarket.core.errors import DomainError, NotFound
from villagemarket.core.exports import CSV_CONTENT_TYPE

from . import payouts, selectors
from .models import PayoutBatch
from .states import BatchStatus

LIST_LIMIT = 500


def _list(request, *, chosen=(), refused=(), status=200):
    return render(
        request,
        "ledger/payouts.html",
        {
            "requests": selectors.withdrawals_to_batch()[:LIST_LIMIT],
            "batches": selectors.payout_batches()[:50],
            "chosen": {str(pk) for pk in chosen},
            "refused": refused,
        },
        status=status,
    )


@operator_required
def payout_list(request):
    return _list(request)


@require_POST
@operator_required
def create_batch(request):
    chosen = request.POST.getlist("withdrawal")
    try:
        ids = [int(pk) for pk in chosen]
    except ValueError:
        return _list(request, refused=[_("Choose withdrawals from the list.")], status=422)
    try:
        batch = payouts.create_batch(request.user, ids)
    except DomainError as exc:
        # The choice stays ticked, so the operator unticks the refused ones and tries again.
        reasons = exc.fields.get("withdrawals") or [exc.message]
        return _list(request, chosen=ids, refused=reasons, status=exc.status)
    messages.success(
        request,
        _("Payout batch #%(id)s made: %(total)s.") % {"id": batch.pk, "total": batch.total},
    )
    return redirect("operator_payouts:batch", batch.pk)


def _batch_or_404(pk: int) -> PayoutBatch:
    batch = selectors.payout_batches().filter(pk=pk).first()
    if batch is None:
        raise Http404(_("No such payout batch."))
    return batch


def _batch_page(request, batch, status=200, confirm_missing=False):
    return render(
        request,
        "ledger/payout_batch.html",
        {
            "batch": batch,
            "lines": selectors.batch_lines(batch.pk),
            "draft": batch.status == BatchStatus.DRAFT,
            "exported": batch.status == BatchStatus.EXPORTED,
            "confirm_missing": confirm_missing,
        },
        status=status,
    )


@operator_required
def batch_detail(request, pk: int):
    return _batch_page(request, _batch_or_404(pk))


@operator_required
def batch_csv(request, pk: int):
    """The bank file. Downloading it makes a draft `exported` (its requests then stay in it
    until it is paid or cancelled)."""
    batch = _batch_or_404(pk)
    try:
        data = payouts.export_batch_csv(batch)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("operator_payouts:batch", batch.pk)
    response = HttpResponse(data, content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="payout-batch-{batch.pk}.csv"'
    return response


@require_POST
@operator_required
def mark_paid(request, pk: int):
    batch = _batch_or_404(pk)
    if request.POST.get("confirm") != "yes":
        return _batch_page(request, batch, status=422, confirm_missing=True)
    try:
        batch = payouts.mark_batch_paid(request.user, batch.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _batch_page(request, _batch_or_404(pk), status=exc.status)
    messages.success(
        request,
        ngettext(
            "Payout batch #%(id)s is paid: %(count)s payout posted.",
            "Payout batch #%(id)s is paid: %(count)s payouts posted.",
            batch.count,
        )
        % {"id": batch.pk, "count": batch.count},
    )
    return redirect("operator_payouts:batch", batch.pk)


def _act(request, pk: int, act, done: str):
    try:
        act()
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("operator_payouts:batch", pk)


@require_POST
@operator_required
def remove(request, pk: int, withdrawal_id: int):
    return _act(
        request,
        pk,
        lambda: payouts.remove_from_batch(request.user, pk, withdrawal_id),
        _("Withdrawal #%(id)s removed from the batch.") % {"id": withdrawal_id},
    )


@require_POST
@operator_required
def cancel(request, pk: int):
    return _act(
        request,
        pk,
        lambda: payouts.cancel_batch(request.user, pk),
        _("Payout batch cancelled: its withdrawals can be batched again."),
    )
