"""Refund and dispute reads for pages and the API: a buyer sees theirs, shop staff their shop's,
operators the disputes."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from villagemarket.accounts.permissions import is_operator
from villagemarket.core.errors import NotFound

from .models import Dispute, DisputeStatement, RefundRequest


def _full(qs: QuerySet) -> QuerySet:
    return qs.select_related("order", "order__shop", "dispute").prefetch_related(
        Prefetch("dispute__statements", queryset=DisputeStatement.objects.order_by("id"))
    )


def buyer_refunds(user) -> QuerySet:
    return _full(RefundRequest.objects.filter(order__buyer=user))


def shop_refunds(shop, *, open_only: bool = False) -> QuerySet:
    qs = _full(RefundRequest.objects.filter(order__shop=shop))
    if open_only:
        from .refund_states import OPEN

        qs = qs.filter(status__in=OPEN)
    return qs


def refunds_of_order(order) -> list[RefundRequest]:
    return list(_full(RefundRequest.objects.filter(order=order)))


def refund_for_buyer(user, refund_id: int) -> RefundRequest:
    refund = buyer_refunds(user).filter(pk=refund_id).first()
    if refund is None:
        raise NotFound(_("No such refund request."))
    return refund


def refund_for_shop(shop, refund_id: int) -> RefundRequest:
    refund = shop_refunds(shop).filter(pk=refund_id).first()
    if refund is None:
        raise NotFound(_("No such refund request."))
    return refund


def open_disputes() -> QuerySet:
    return Dispute.objects.filter(decided_at__isnull=True).select_related(
        "refund", "refund__order", "refund__order__shop"
    )


def refunds_failed_at_provider() -> QuerySet:
    """Granted refunds the payment provider failed (or refused with nobody waiting), oldest
    first: the operator's list of money that has not reached its buyer."""
    from .refund_states import RefundStatus

    return (
        RefundRequest.objects.filter(status=RefundStatus.FAILED)
        .select_related("order", "order__shop", "order__payment")
        .order_by("pk")
    )


def dispute_for(user, dispute_id: int) -> Dispute:
    """A dispute the user may read: its buyer, its shop's staff, or an operator."""
    dispute = (
        Dispute.objects.select_related("refund", "refund__order", "refund__order__shop")
        .prefetch_related(Prefetch("statements", queryset=DisputeStatement.objects.order_by("id")))
        .filter(pk=dispute_id)
        .first()
    )
    if dispute is None:
        raise NotFound(_("No such dispute."))
    order = dispute.refund.order
    if is_operator(user) or order.buyer_id == getattr(user, "pk", None):
        return dispute
    if order.shop.members.filter(user_id=getattr(user, "pk", None)).exists():
        return dispute
    raise NotFound(_("No such dispute."))


def orders_of_refunds(refund_ids: set[int]) -> dict[int, int]:
    """The shop order of each refund (refund id -> order id), in one query: the ledger's
    history says "Refund on order #12" with it (registered in OrdersConfig.ready)."""
    return dict(RefundRequest.objects.filter(pk__in=refund_ids).values_list("pk", "order_id"))
