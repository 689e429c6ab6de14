"""The ledger's API (mounted at /api/v1/ledger/): a shop's balance and the entries behind it.

Reads for the shop's staff, withdrawals for its owner; anyone else gets 404, as for every
shop-private thing.
Amounts are integer minor units with their currency; an entry's amount is what it did to the
shop's balance (negative when it took money away: a payout, a refund after settlement).
"""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from villagemarket.accounts.auth import user_auth
from villagemarket.accounts.permissions import api_operator_required
from villagemarket.core.errors import Invalid, NotFound
from villagemarket.core.exports import CSV_CONTENT_TYPE
from villagemarket.core.idempotency import idempotent
from villagemarket.core.money import BASE_CURRENCY, MAX_AMOUNT_CHARS, Money
from villagemarket.core.pagination import PageNumber
from villagemarket.core.validation import DbId
from villagemarket.shops.permissions import shop_for_member

from . import payouts, selectors, withdrawals
from .models import Withdrawal

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
    description: str = Field(description='What the line is for, e.g. "Order #12 settled"')
    order_id: int | None = Field(description="The shop order it is about, when known")
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
    def resolve_description(entry) -> str:
        return entry.described.text

    @staticmethod
    def resolve_order_id(entry) -> int | None:
        return entry.described.order_id

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
    shop = shop_for_member(request.auth, slug)
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
    shop = shop_for_member(request.auth, slug)
    return selectors.shop_history(shop.pk)


# An amount as typed: a decimal string such as "120.50" (never a JSON number).
AmountText = Annotated[str, Field(min_length=1, max_length=MAX_AMOUNT_CHARS, examples=["120.50"])]


class LedgerWithdrawalIn(Schema):
    amount: AmountText
    household: DbId | None = Field(None, description="A service point's household; null: the shop")


class LedgerWithdrawalOut(Schema):
    id: int
    amount: str
    amount_minor: int
    currency: str
    household_id: int | None
    status: str
    note: str
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_amount(withdrawal) -> str:
        return str(withdrawal.amount.amount)


@router.get(
    "shops/{slug}/withdrawals",
    response=list[LedgerWithdrawalOut],
    summary="My shop's withdrawal requests, newest first",
)
@paginate(PageNumber)
def list_withdrawals(request: HttpRequest, slug: str):
    shop = shop_for_member(request.auth, slug)
    return Withdrawal.objects.filter(shop=shop)


@router.post(
    "shops/{slug}/withdrawals",
    response={201: LedgerWithdrawalOut},
    summary="Ask to be paid part of the available balance (owner)",
)
@idempotent
def request_withdrawal(request: HttpRequest, slug: str, payload: LedgerWithdrawalIn):
    shop = shop_for_member(request.auth, slug, owner_only=True)
    try:
        amount = Money.parse(payload.amount)
    except (TypeError, ValueError):
        raise Invalid(
            _("The request has invalid fields."),
            fields={"amount": [_("Enter an amount such as 120.50.")]},
        ) from None
    withdrawal = withdrawals.request_withdrawal(
        user=request.auth, shop=shop, amount=amount, household_id=payload.household
    )
    return Status(201, withdrawal)


@router.post(
    "shops/{slug}/withdrawals/{withdrawal_id}/cancel",
    response=LedgerWithdrawalOut,
    summary="Take back a request nobody has paid yet (owner)",
)
@idempotent
def cancel_withdrawal(request: HttpRequest, slug: str, withdrawal_id: DbId):
    shop = shop_for_member(request.auth, slug, owner_only=True)
    return withdrawals.cancel_withdrawal(shop=shop, withdrawal_id=withdrawal_id)


# --- payout batches (operators) -------------------------------------------------------------


class LedgerPayoutLineOut(Schema):
    withdrawal_id: int
    shop: str
    household_id: int | None
    amount: str
    amount_minor: int
    currency: str
    payee_name: str
    bank_name: str
    bank_branch: str
    account_number: str

    @staticmethod
    def resolve_shop(line) -> str:
        return line.withdrawal.shop.slug

    @staticmethod
    def resolve_household_id(line) -> int | None:
        return line.withdrawal.household_id

    @staticmethod
    def resolve_amount(line) -> str:
        return str(line.withdrawal.amount.amount)

    @staticmethod
    def resolve_amount_minor(line) -> int:
        return line.withdrawal.amount_minor

    @staticmethod
    def resolve_currency(line) -> str:
        return line.withdrawal.currency

    @staticmethod
    def resolve_payee_name(line) -> str:
        return line.holder_name

    @staticmethod
    def resolve_bank_branch(line) -> str:
        return line.branch


class LedgerPayoutBatchOut(Schema):
    id: int
    status: str
    currency: str
    total: str
    total_minor: int
    count: int
    created_by: str
    created_at: datetime
    exported_at: datetime | None
    decided_at: datetime | None

    @staticmethod
    def resolve_total(batch) -> str:
        return str(batch.total.amount)

    @staticmethod
    def resolve_created_by(batch) -> str:
        return str(batch.created_by)


class LedgerPayoutBatchDetailOut(LedgerPayoutBatchOut):
    withdrawals: list[LedgerPayoutLineOut]

    @staticmethod
    def resolve_withdrawals(batch) -> list:
        return list(selectors.batch_lines(batch.pk))


class LedgerPayoutBatchIn(Schema):
    withdrawals: list[DbId] = Field(
        ..., min_length=1, max_length=500, description="Ids of requested withdrawals"
    )


def _batch(batch_id: int):
    batch = selectors.payout_batches().filter(pk=batch_id).first()
    if batch is None:
        raise NotFound(_("No such payout batch."))
    return batch


@router.get(
    "payouts/batches",
    response=list[LedgerPayoutBatchOut],
    summary="Payout batches, newest first (operators)",
)
@api_operator_required
@paginate(PageNumber)
def list_payout_batches(request: HttpRequest):
    return selectors.payout_batches()


@router.post(
    "payouts/batches",
    response={201: LedgerPayoutBatchDetailOut},
    summary="Put requested withdrawals in a new payout batch (operators)",
)
@api_operator_required
@idempotent
def create_payout_batch(request: HttpRequest, payload: LedgerPayoutBatchIn):
    batch = payouts.create_batch(request.auth, payload.withdrawals)
    return Status(201, _batch(batch.pk))


@router.get(
    "payouts/batches/{batch_id}",
    response=LedgerPayoutBatchDetailOut,
    summary="A payout batch and its withdrawals (operators)",
)
@api_operator_required
def payout_batch(request: HttpRequest, batch_id: DbId):
    return _batch(batch_id)


@router.get(
    "payouts/batches/{batch_id}/csv",
    response={200: None},
    summary="The batch's bank-transfer file, CSV (operators); a draft becomes exported",
    openapi_extra={
        "responses": {
            200: {
                "description": "UTF-8 CSV with a BOM: " + ", ".join(payouts.CSV_HEADER),
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
@api_operator_required
def payout_batch_csv(request: HttpRequest, batch_id: DbId):
    batch = _batch(batch_id)
    response = HttpResponse(payouts.export_batch_csv(batch), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="payout-batch-{batch.pk}.csv"'
    return response


@router.post(
    "payouts/batches/{batch_id}/paid",
    response=LedgerPayoutBatchDetailOut,
    summary="The bank made the transfers: pay every withdrawal of an exported batch (operators)",
)
@api_operator_required
@idempotent
def mark_payout_batch_paid(request: HttpRequest, batch_id: DbId):
    payouts.mark_batch_paid(request.auth, batch_id)
    return _batch(batch_id)
