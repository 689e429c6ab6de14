"""The ledger's API (mounted at /api/v1/ledger/): a shop's balance and the entries behind it.

Reads only, for the shop's own staff; anyone else gets 404, as for every shop-private thing.
Amounts are integer minor units with their currency; an entry's amount is what it did to the
shop's balance (negative when it took money away: a payout, a refund after settlement).
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from villagemarket.accounts.auth import user_auth
from villagemarket.core.money import BASE_CURRENCY
from villagemarket.core.pagination import PageNumber
from villagemarket.shops.permissions import shop_for_member

from . import selectors

router = Router(tags=["ledger"], auth=user_auth)


class LedgerHouseholdBalanceOut(Schema):
    household_id: int | None
    name: str
    available_minor: int


class LedgerBalanceOut(Schema):
    shop: str
    currency: str
    available_minor: int
    paid_out_minor: int
    households: list[LedgerHouseholdBalanceOut]


class LedgerEntryOut(Schema):
    id: int
    posted_at: datetime
    event: str
    reference: str
    reason: str
    household_id: int | None
    household_name: str
    amount_minor: int
    currency: str

    @staticmethod
    def resolve_posted_at(entry) -> datetime:
        return entry.transaction.created_at

    @staticmethod
    def resolve_event(entry) -> str:
        return entry.transaction.event

    @staticmethod
    def resolve_reference(entry) -> str:
        return entry.transaction.reference

    @staticmethod
    def resolve_reason(entry) -> str:
        return entry.transaction.reason

    @staticmethod
    def resolve_household_id(entry) -> int | None:
        return entry.account.household_id

    @staticmethod
    def resolve_household_name(entry) -> str:
        return entry.account.household.name if entry.account.household_id else ""

    @staticmethod
    def resolve_amount_minor(entry) -> int:
        # A payable is credit-normal: a credit raises what the shop is owed.
        return -entry.amount_minor


@router.get(
    "shops/{slug}/balance",
    response=LedgerBalanceOut,
    summary="My shop's balance: available now, paid out, and per household",
)
def shop_balance(request: HttpRequest, slug: str):
    shop = shop_for_member(request.user, slug)
    balance = selectors.shop_balance(shop.pk, BASE_CURRENCY)
    return {
        "shop": shop.slug,
        "currency": BASE_CURRENCY,
        "available_minor": balance.available.minor,
        "paid_out_minor": balance.paid_out.minor,
        "households": [
            {
                "household_id": part.household_id,
                "name": part.name,
                "available_minor": part.available.minor,
            }
            for part in balance.households
        ],
    }


@router.get(
    "shops/{slug}/entries",
    response=list[LedgerEntryOut],
    summary="My shop's ledger entries, newest first",
)
@paginate(PageNumber)
def shop_entries(request: HttpRequest, slug: str):
    shop = shop_for_member(request.user, slug)
    return selectors.shop_entries(shop.pk)
