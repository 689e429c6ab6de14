"""The seller's balance page: what is available, held in escrow and paid out, and the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from villagemarket.core.errors import DomainError
from villagemarket.core.forms import apply_domain_error
from villagemarket.core.money import Money
from villagemarket.shops.permissions import shop_member_required

from . import rules, selectors, withdrawals
from .forms import WithdrawalForm
from .models import Entry, EventType
from .states import WithdrawalStatus

HISTORY_PAGE = 30


@dataclass(frozen=True)
class HistoryRow:
    posted_at: datetime
    event: str
    reference: str
    # What the line is for, in words ("Order #12 settled"), and the shop's order it is about.
    text: str
    order_id: int | None
    household: str
    reason: str
    change: Money

    @property
    def change_text(self) -> str:
        """ "+¥95.50" or "−¥20.00": what the entry did to the balance."""
        sign = "+" if self.change.minor >= 0 else "−"
        return f"{sign}{Money(abs(self.change.minor), self.change.currency)}"


def _row(entry: Entry) -> HistoryRow:
    txn = entry.transaction
    return HistoryRow(
        posted_at=txn.created_at,
        event=EventType(txn.event).label,
        reference=txn.reference,
        text=entry.described.text,
        order_id=entry.described.order_id,
        household=entry.account.household.name if entry.account.household_id else "",
        reason=txn.reason,
        # A payable is credit-normal: a credit raises what the shop is owed.
        change=Money(-entry.amount_minor, entry.currency),
    )


def _page(request, form=None, status=200):
    shop = request.shop
    page = Paginator(selectors.shop_history(shop.pk), HISTORY_PAGE).get_page(
        request.GET.get("page")
    )
    owner = request.shop_role == "owner"
    return render(
        request,
        "ledger/balance.html",
        {
            "shop": shop,
            "summary": selectors.shop_balance(shop.pk),
            "held": selectors.held_in_escrow(shop.pk),
            "page": page,
            "rows": [_row(entry) for entry in page],
            "owner": owner,
            "form": (form or WithdrawalForm(shop=shop)) if owner else None,
            "withdrawals": selectors.shop_withdrawals(shop.pk)[:20],
            "requested": WithdrawalStatus.REQUESTED,
            "minimum": Money(rules.MIN_WITHDRAWAL_MINOR),
        },
        status=status,
    )


@shop_member_required()
def balance(request):
    return _page(request)


@require_POST
@shop_member_required(owner_only=True)
def withdraw(request):
    """The owner asks to be paid part of the available balance."""
    form = WithdrawalForm(request.POST, shop=request.shop)
    if form.is_valid():
        try:
            withdrawal = withdrawals.request_withdrawal(
                user=request.user,
                shop=request.shop,
                amount=form.cleaned_data["amount"],
                household_id=form.cleaned_data.get("household"),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Withdrawal of %(amount)s requested: an operator will transfer it.")
                % {"amount": withdrawal.amount},
            )
            return redirect("seller_ledger:balance", request.shop.slug)
    return _page(request, form, status=422)


@require_POST
@shop_member_required(owner_only=True)
def cancel(request, pk: int):
    try:
        withdrawals.cancel_withdrawal(shop=request.shop, withdrawal_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Withdrawal cancelled."))
    return redirect("seller_ledger:balance", request.shop.slug)
