"""The seller's balance page: what is available, held in escrow and paid out, and the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Paginator
from django.shortcuts import render

from villagemarket.core.money import Money
from villagemarket.shops.permissions import shop_member_required

from . import selectors
from .models import Entry, EventType

HISTORY_PAGE = 30


@dataclass(frozen=True)
class HistoryRow:
    posted_at: datetime
    event: str
    reference: str
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
        household=entry.account.household.name if entry.account.household_id else "",
        reason=txn.reason,
        # A payable is credit-normal: a credit raises what the shop is owed.
        change=Money(-entry.amount_minor, entry.currency),
    )


@shop_member_required()
def balance(request):
    shop = request.shop
    page = Paginator(selectors.shop_entries(shop.pk), HISTORY_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "ledger/balance.html",
        {
            "shop": shop,
            "summary": selectors.shop_balance(shop.pk),
            "held": selectors.held_in_escrow(shop.pk),
            "page": page,
            "rows": [_row(entry) for entry in page],
        },
    )
