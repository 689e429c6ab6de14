"""Paying a granted refund back through the payment provider, in two phases.

1. In the transaction that grants the refund (the seller approves, the clock approves, the
   operator decides, or before shipment at once): a guarded move to `paying` that gives the
   refund a new provider refund number (`VMR<refund id>-<attempt>`, unique). It commits.
2. The provider is asked outside any transaction: no row lock is held while a slow provider
   answers. A crash or timeout here leaves a `paying` refund, which the sweep resumes by asking
   the provider; retried calls carry the same refund number, so the provider refunds once.
3. One short transaction finishes it: the guarded move paying -> refunded, and only for the call
   that made that move, the ledger posting, the order's refunded amount (closing the order and
   returning stock when everything came back before shipment) and the observatory's record.
   Whoever gets there first (the provider's own answer, its refund notification, the sweep) does
   it; the others find the move made and change nothing.

A provider that refuses at once (a genuine "no": the buyer is there to be told) sends the refund
back to the status it came from and changes nothing else; one that fails it later (WeChat Pay's
ABNORMAL or CLOSED after PROCESSING, a refusal on a retry by the sweep) moves it to `failed`,
where an operator sees it and may retry it (retry_refund_payment).
"""

from __future__ import annotations

import datetime
import functools
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.accounts.permissions import require_operator
from villagemarket.core.errors import Conflict, NotFound
from villagemarket.core.money import Money
from villagemarket.ledger import selectors as ledger_selectors
from villagemarket.ledger import services as ledger
from villagemarket.ledger.models import EventType

from .. import hooks
from ..models import Dispute, RefundRequest, ShopOrder
from ..refund_states import IN_PAYMENT, OPEN, RefundEvent, RefundStatus, next_refund_status
from ..states import Event, Status
from .fulfilment import SWEEP_BATCH, _move, _release_stock_of
from .settlement import settlement_reference

logger = logging.getLogger(__name__)

# How long a refund may stay `paying` before the sweep asks the provider about it: long enough
# for the call that started it to have finished (or died), short enough for a buyer waiting.
PAYING_GRACE_SECONDS = 120

# What the provider said, as this module acts on it.
SUCCEEDED, PROCESSING, FAILED, REFUSED, UNKNOWN = (
    "succeeded",
    "processing",
    "failed",
    "refused",
    "unknown",
)


def _move_refund(refund_id: int, source: str, event: str, **changes) -> bool:
    """Guarded refund status change; True when this call made it."""
    target = next_refund_status(source, event)
    if target not in OPEN and target not in IN_PAYMENT:
        changes.setdefault("closed_at", Now())
    moved = (
        RefundRequest.objects.filter(pk=refund_id, status=source).update(status=target, **changes)
        == 1
    )
    if moved:
        _tell(event, refund_id)
    return moved


def _tell(event: str, refund_id: int) -> None:
    """Tell the order-event listeners that refund `refund_id` took `event` (no query when nobody
    listens)."""
    if hooks.has_event_listeners():
        order_id = RefundRequest.objects.values_list("order_id", flat=True).get(pk=refund_id)
        hooks.order_event(hooks.OrderEvent(kind=event, order_id=order_id, refund_id=refund_id))


def _unclaim(refund: RefundRequest) -> None:
    ShopOrder.objects.filter(pk=refund.order_id).update(
        refund_claimed_minor=F("refund_claimed_minor") - refund.amount_minor
    )


def refund_number(refund_id: int, attempt: int) -> str:
    """Our refund number at the provider: letters, digits and '-' only (WeChat Pay's
    out_refund_no allows no ':'), one per attempt, so a failed refund can be tried afresh."""
    return f"VMR{refund_id}-{attempt}"


def begin_paying(refund: RefundRequest, source: str, event: str, **changes) -> bool:
    """Phase 1, inside the caller's transaction: move the refund `source` -> paying with a new
    provider refund number. False when the refund was no longer in `source` (someone else
    moved it); the caller then refuses. The provider is asked by pay_out after the commit."""
    next_refund_status(source, event)  # raises when the move is not allowed
    attempt = refund.provider_attempts + 1
    moved = RefundRequest.objects.filter(
        pk=refund.pk, status=source, provider_attempts=refund.provider_attempts
    ).update(
        status=RefundStatus.PAYING,
        status_before_paying=source,
        provider_attempts=attempt,
        provider_refund_no=refund_number(refund.pk, attempt),
        paying_since=Now(),
        provider_note="",
        **changes,
    )
    if moved == 1:
        _tell(event, refund.pk)
    return moved == 1


# --- phase 2: asking the provider ----------------------------------------------------------------
def _provider_of(payment):
    """The payment's provider object, or None when it is the (possibly disabled) sandbox, which
    has no money to give back; Conflict when a real provider is not configured here."""
    from villagemarket.payments.providers.base import SANDBOX, get_provider

    try:
        provider = get_provider(payment.provider)
    except KeyError:
        provider = None
    if getattr(provider, "refund", None) is None:
        if payment.provider == SANDBOX:
            return None
        raise Conflict(
            _("The payment provider %(name)s cannot refund yet.") % {"name": payment.provider},
            code="provider_cannot_refund",
        )
    return provider


def _why(result) -> str:
    detail = result.detail or {}
    return str(
        detail.get("reason") or detail.get("sub_msg") or detail.get("msg") or detail.get("status")
    )[:300]


def _answer(result, refund: RefundRequest, *, refusal: str) -> tuple[str, str]:
    """(what to do, why) from a provider's RefundResult about `refund`."""
    if result.status == "succeeded" and result.amount_minor != refund.amount_minor:
        return FAILED, f"the provider reports {result.amount_minor} refunded, not {refund.amount}"
    if result.status == "succeeded":
        return SUCCEEDED, ""
    if result.status == "processing":
        return PROCESSING, ""
    if result.status == "not_found":
        return UNKNOWN, "not_found"
    return refusal, _why(result)


def _ask_provider(refund: RefundRequest, *, query_first: bool) -> tuple[str, str]:
    """Ask the provider to pay `refund` back (or, resuming, what became of it: query first, and
    ask again with the same refund number when it never heard of it). Never raises for what the
    provider says; an unreachable provider or an answer that is not genuine is UNKNOWN."""
    from villagemarket.payments.providers.remote import ProviderError

    payment = refund.order.payment
    if payment is None:
        return SUCCEEDED, ""  # nothing was paid through a provider
    provider = _provider_of(payment)
    if provider is None:
        return SUCCEEDED, ""
    number = refund.provider_refund_no
    try:
        query = getattr(provider, "refund_query", None)
        if query_first and query is not None:
            what, why = _answer(query(payment, refund_no=number), refund, refusal=FAILED)
            if what != UNKNOWN:
                return what, why
        result = provider.refund(payment, amount=refund.amount, refund_no=number)
    except ProviderError as exc:
        return (REFUSED if exc.refused else UNKNOWN), exc.message[:300]
    return _answer(result, refund, refusal=REFUSED)


def _load(refund_id: int) -> RefundRequest | None:
    return RefundRequest.objects.select_related("order__payment").filter(pk=refund_id).first()


def pay_out(refund_id: int, *, interactive: bool) -> RefundRequest | None:
    """Phase 2 and 3 for a refund just moved to paying (call it after the commit): ask the
    provider, then finish, fail, revert or leave it paying for the sweep.

    `interactive`: someone is waiting (the buyer, the seller, the operator); a provider's refusal
    then puts the refund back as it was and raises Conflict saying why. Otherwise (a sweep) a
    refusal moves the refund to failed for an operator to see."""
    refund = _load(refund_id)
    if refund is None or refund.status != RefundStatus.PAYING:
        return refund
    if _inside_a_transaction():
        # The caller's transaction (an API write retried with an Idempotency-Key runs in one)
        # has not committed `paying` yet: asking now could refund money a rollback then forgets.
        # The provider is asked once it commits; the caller answers `paying`.
        transaction.on_commit(functools.partial(_pay_out_later, refund_id))
        return refund
    try:
        what, why = _ask_provider(refund, query_first=False)
    except Conflict as exc:  # the payment's provider is not configured here: nothing was asked
        if interactive:
            revert_refund(refund, exc.message)
            raise
        what, why = UNKNOWN, exc.message
    if what == SUCCEEDED:
        finish_refund(refund.pk)
    elif what == REFUSED and interactive:
        revert_refund(refund, why)
        raise Conflict(
            _("The payment provider refused the refund (%(why)s); nothing was changed.")
            % {"why": why or _("no reason given")},
            code="provider_refund_failed",
        )
    elif what in (REFUSED, FAILED):
        fail_refund(refund.pk, why)
    elif why:  # unknown: the sweep asks again
        RefundRequest.objects.filter(pk=refund.pk).update(provider_note=why[:300])
    return _load(refund_id)


def _inside_a_transaction() -> bool:
    """Whether a caller's transaction is open here (the test runner's own wrapping does not
    count, as for Django's durable atomic blocks)."""
    return any(not block._from_testcase for block in transaction.get_connection().atomic_blocks)


def _pay_out_later(refund_id: int) -> None:
    """pay_out after the caller's commit; nobody waits for it, so a refusal fails the refund
    for an operator and an error leaves it paying for the sweep."""
    try:
        pay_out(refund_id, interactive=False)
    except Exception:  # the sweep resumes a refund left paying
        logger.exception(
            "refund %s: paying after commit failed; the sweep will resume it", refund_id
        )


def revert_refund(refund: RefundRequest, why: str) -> None:
    """The provider refused at once: the refund goes back to the status it came from and what
    granting it changed is undone. A request granted at once before shipment did not exist
    before, so it is removed and its amount freed."""
    before = refund.status_before_paying
    with transaction.atomic():
        if before == RefundStatus.REQUESTED and not refund.after_shipment:
            deleted, _rows = RefundRequest.objects.filter(
                pk=refund.pk, status=RefundStatus.PAYING
            ).delete()
            if deleted:
                _unclaim(refund)
            return
        changes = {"provider_note": why[:300], "paying_since": None}
        if before == RefundStatus.REQUESTED:
            changes["seller_note"] = ""  # the approval that carried it did not happen
        try:
            with transaction.atomic():
                moved = RefundRequest.objects.filter(
                    pk=refund.pk, status=RefundStatus.PAYING
                ).update(status=before, **changes)
        except IntegrityError:
            # The buyer opened another request meanwhile (one open request per order): this one
            # cannot reopen, so it waits as failed for an operator.
            fail_refund(refund.pk, why)
            return
        if moved and before == RefundStatus.DISPUTED:
            Dispute.objects.filter(refund_id=refund.pk).update(
                decided_by=None, decided_at=None, decision="", decision_note=""
            )


def fail_refund(refund_id: int, why: str) -> bool:
    """The provider failed a refund it had accepted (or refused it with nobody waiting): the
    refund is `failed`, its amount still held, for an operator to see and retry."""
    moved = _move_refund(
        refund_id, RefundStatus.PAYING, RefundEvent.PROVIDER_FAILED, provider_note=why[:300]
    )
    if moved:
        logger.warning("refund %s failed at the payment provider: %s", refund_id, why)
    return moved


def _after_settlement_split(order: ShopOrder, amount: Money) -> tuple[Money, dict]:
    """Who gives back a refund after settlement: the commission the platform returns, and each
    household's part of the rest (None: the shop's own payable).

    Both in proportion to what the settlement moved, computed on the cumulative amount refunded
    after settlement (before this refund and after it), rounded down for the commission and
    split by `Money.allocate` for the households, so several partial refunds give back exactly
    what was settled in the end: the seller pays no commission on money returned, and each
    household of a service point returns what it earned from the order, no more, no less.
    """
    currency = amount.currency
    reference = settlement_reference(order.pk)
    settled, commission = ledger_selectors.settlement_split(reference, currency)
    if settled.minor <= 0:
        return Money.zero(currency), {None: amount}
    # What was refunded after settlement so far is what was refunded less what settlement left out.
    before = max(0, order.refunded_minor - (order.total_minor - settled.minor))
    after = min(settled.minor, before + amount.minor)
    kept_before = commission.minor * before // settled.minor
    kept_after = commission.minor * after // settled.minor
    returned = Money(kept_after - kept_before, currency)
    earned = ledger_selectors.settled_to_households(reference, currency)
    households, weights = list(earned), [max(part.minor, 0) for part in earned.values()]
    if households in ([], [None]) or not any(weights):  # a shop without households
        return returned, {None: amount - returned}
    # Each household gives back its earnings in the proportion refunded so far, so after the
    # last refund every one has returned exactly what it was credited (the rounding account
    # takes back the fen settlement's per-household rounding left there).
    paid = sum(weights)
    upto_before = Money(paid * before // settled.minor, currency).allocate(weights)
    upto_after = Money(paid * after // settled.minor, currency).allocate(weights)
    parts = {household: upto_after[i] - upto_before[i] for i, household in enumerate(households)}
    return returned, parts


def finish_refund(refund_id: int) -> bool:
    """Phase 3: the provider has paid the refund back. In one transaction, exactly once (the
    guarded move paying|failed -> refunded decides who does it): the ledger posting, the order's
    refunded amount (closing it when fully refunded before completion, stock back when it never
    shipped), refunded_at and the observatory's refund record. True when this call did it."""
    with transaction.atomic():
        refund = RefundRequest.objects.get(pk=refund_id)
        # The order row is locked first, so a settlement that also locks it (before posting
        # `order_settled`) and this refund see each other: one posts before, the other after.
        order = (
            ShopOrder.objects.select_for_update(of=("self",))
            .select_related("payment")
            .get(pk=refund.order_id)
        )
        moved = any(
            _move_refund(refund.pk, source, RefundEvent.PROVIDER_PAID, refunded_at=Now())
            for source in (RefundStatus.PAYING, RefundStatus.FAILED)
        )
        if not moved:
            return False
        _post_refund(refund, order)
        return True


def _post_refund(refund: RefundRequest, order: ShopOrder) -> None:
    amount = refund.amount
    provider = order.payment.provider if order.payment_id else "sandbox"
    reference = f"refund:{refund.pk}"
    settlement = settlement_reference(order.pk)
    if ledger_selectors.is_posted(EventType.ORDER_SETTLED, settlement):
        returned, parts = _after_settlement_split(order, amount)
        ledger.refund_after_settlement(
            reference=reference,
            provider=provider,
            shop_id=order.shop_id,
            amount=amount,
            commission_returned=returned,
            household_parts=parts,
            # The payable may go below zero when the seller was already paid out: recorded.
            reason=f"refund {refund.pk} of settled order {order.pk}",
        )
    else:
        ledger.refund_before_settlement(reference=reference, provider=provider, amount=amount)
    ShopOrder.objects.filter(pk=order.pk).update(refunded_minor=F("refunded_minor") + amount.minor)
    order.refresh_from_db(fields=["refunded_minor", "status", "sale_held"])
    _close_when_fully_refunded(order)
    if order.sale_held:
        return  # its sale is not counted either: count_held_sale tells both if it is cleared
    hooks.order_refunded(
        hooks.Refund(
            shop_id=order.shop_id,
            ref=reference,
            day=timezone.localdate(),
            amount_minor=amount.minor,
            currency=amount.currency,
        )
    )


def _close_when_fully_refunded(order: ShopOrder) -> None:
    """A fully refunded order that had not completed closes; one that never shipped gives its
    stock back. (A completed order stays completed: its refund is after-sales.)"""
    if order.refunded_minor != order.total_minor:
        return
    if order.status not in (Status.AWAITING_SHIPMENT, Status.SHIPPED):
        return
    closed = _move(order.pk, order.status, Event.REFUND, closed_at=Now(), close_reason="refunded")
    if closed and order.status == Status.AWAITING_SHIPMENT:
        _release_stock_of([order.pk])


# --- what the provider tells us later ----------------------------------------------------------
def refund_reported(report) -> str:
    """A provider's verified refund notification (payments.hooks.RefundReport), inside payments'
    transaction: finish or fail the refund it names. Returns "processed", "duplicate" (already
    finished or failed: no effect), "pending" (still processing), "unknown_refund" or
    "amount_mismatch" (the last two change nothing and are refused)."""
    refund = RefundRequest.objects.filter(provider_refund_no=report.refund_no).first()
    if refund is None:
        return "unknown_refund"
    if (report.amount_minor, report.currency) != (refund.amount_minor, refund.currency):
        return "amount_mismatch"
    if report.outcome == "succeeded":
        if finish_refund(refund.pk):
            return "processed"
        refund.refresh_from_db(fields=["status"])
        if refund.status != RefundStatus.REFUNDED:  # money moved that we had not counted on
            logger.error(
                "the provider reports refund %s paid while it is %s: check it by hand",
                refund.pk,
                refund.status,
            )
        return "duplicate"
    if report.outcome == "failed":
        return "processed" if fail_refund(refund.pk, report.why or "failed") else "duplicate"
    return "pending"


def _stuck(grace: datetime.timedelta, after_id: int) -> list[int]:
    return list(
        RefundRequest.objects.filter(
            status=RefundStatus.PAYING, paying_since__lt=Now() - grace, pk__gt=after_id
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )


def sweep_refund_payments() -> int:
    """Resume refunds left `paying` past the grace time (a crash, a timeout, a provider still
    PROCESSING): ask the provider what became of each (its refund query; the same refund number
    again when it never heard of it) and finish, fail or leave it for the next sweep. No lock is
    held while the provider answers; two workers asking about one refund is harmless (the same
    refund number at the provider, guarded moves here). Returns how many refunds ended."""
    grace = datetime.timedelta(
        seconds=int(getattr(settings, "REFUND_PAYING_GRACE_SECONDS", PAYING_GRACE_SECONDS))
    )
    ended, last = 0, 0
    while True:
        ids = _stuck(grace, last)
        for refund_id in ids:
            ended += _resume(refund_id)
        if len(ids) < SWEEP_BATCH:
            return ended
        last = ids[-1]


def _resume(refund_id: int) -> int:
    refund = _load(refund_id)
    if refund is None or refund.status != RefundStatus.PAYING:
        return 0
    try:
        what, why = _ask_provider(refund, query_first=True)
    except Conflict as exc:  # the provider is no longer configured here
        what, why = UNKNOWN, exc.message
    if what == SUCCEEDED:
        return int(finish_refund(refund_id))
    if what in (FAILED, REFUSED):
        return int(fail_refund(refund_id, why))
    # Processing, or no answer: asked again after another grace time.
    RefundRequest.objects.filter(pk=refund_id, status=RefundStatus.PAYING).update(
        paying_since=Now(), provider_note=why[:300]
    )
    return 0


def retry_refund_payment(*, operator, refund_id: int) -> RefundRequest:
    """An operator asks the provider again for a refund that failed there (e.g. after the
    buyer's account was fixed), under a new refund number; refused again, it stays failed."""
    require_operator(operator)
    with transaction.atomic():
        refund = RefundRequest.objects.filter(pk=refund_id).first()
        if refund is None:
            raise NotFound(_("No such refund request."))
        if not begin_paying(refund, RefundStatus.FAILED, RefundEvent.RETRY_PAYMENT):
            refund.refresh_from_db(fields=["status"])
            next_refund_status(refund.status, RefundEvent.RETRY_PAYMENT)  # raises
            raise Conflict(
                _("The refund changed meanwhile; reload and try again."), code="refund_changed"
            )
    return pay_out(refund_id, interactive=True)
