"""Demo step: the money. Settled sales, refunds in each of their shapes, a dispute waiting for the
operator, a service point's per-household earnings and withdrawals, all made by the real
services (checkout, a signed sandbox notification, shipping, confirmation, refunds, disputes,
withdrawals), so every ledger entry the demo shows was posted by the code a real sale runs.

Idempotent: each scenario is one transaction keyed by its checkout's form token (or, for
withdrawals, by the requests already present), so a second run finds it done and adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from villagemarket.accounts.models import User
from villagemarket.catalog.models import SKU
from villagemarket.core.money import Money
from villagemarket.ledger.models import PayoutBatch, Withdrawal
from villagemarket.ledger.payouts import (
    create_batch,
    export_batch_csv,
    mark_batch_paid,
    set_bank_account,
)
from villagemarket.ledger.withdrawals import pay_withdrawal, request_withdrawal, withdrawable
from villagemarket.orders.models import CheckoutRequest, ShopOrder
from villagemarket.orders.services import (
    add_statement,
    approve_refund,
    confirm_receipt,
    confirm_return,
    open_dispute,
    place_order,
    reject_refund,
    request_refund,
    ship_back,
    ship_order,
)
from villagemarket.shops.models import Household, Shop, ShopKind, ShopStatus

from . import data
from .buying import _pay, buyer_address


@dataclass
class Cast:
    """Who plays the money scenarios: the demo buyer, the 丁楼村 seller's shop, the operator."""

    buyer: User
    address: object
    seller: User
    home: Shop
    operator: User


def _cast() -> Cast:
    buyer = User.objects.get(email=data.BUYER)
    seller = User.objects.get(email=data.SELLER)
    return Cast(
        buyer=buyer,
        address=buyer_address(buyer),
        seller=seller,
        home=Shop.objects.get(members__user=seller, members__role="owner"),
        operator=User.objects.get(email=data.OPERATOR),
    )


def _skus(shop: Shop, household: Household | None = None) -> list[SKU]:
    skus = SKU.objects.for_sale().filter(product__shop=shop, stock__gte=5)
    if household is not None:
        skus = skus.filter(product__household=household)
    return list(skus.order_by("id"))


def _buy(cast: Cast, token: str, items: list[tuple[SKU, int]], *, ship: bool) -> ShopOrder:
    """One paid order (shipped when `ship`) through checkout and a sandbox notification."""
    result = place_order(
        buyer=cast.buyer,
        address_id=cast.address.pk,
        form_token=token,
        items=[(sku.pk, qty) for sku, qty in items],
    )
    _pay(result.payment)
    order = result.orders[0]
    if ship:
        shop = Shop.objects.get(pk=order.shop_id)
        tracking = f"SF{order.pk:010d}"
        ship_order(shop=shop, order_id=order.pk, carrier="顺丰速运", tracking_no=tracking)
    order.refresh_from_db()
    return order


def _part(order: ShopOrder, percent: int) -> Money:
    """`percent` of the order's total, in whole yuan (at least ¥1)."""
    yuan = max(1, order.total_minor * percent // 100 // 100)
    return Money(yuan * 100, order.currency)


def _nth(skus: list[SKU], n: int) -> SKU:
    return skus[n % len(skus)]


# Each scenario: (form token, what it shows, fn(cast, token)).
def settled(n: int) -> Callable[[Cast, str], None]:
    def run(cast: Cast, token: str) -> None:
        order = _buy(cast, token, [(_nth(_skus(cast.home), n), 2)], ship=True)
        confirm_receipt(buyer=cast.buyer, order_id=order.pk)

    return run


def refund_before_shipment(cast: Cast, token: str) -> None:
    """Asked before the parcel left: granted at once, stock back, the order closed."""
    order = _buy(cast, token, [(_nth(_skus(cast.home), 3), 1)], ship=False)
    request_refund(
        buyer=cast.buyer,
        order_id=order.pk,
        amount=order.total,
        reason="changed_mind",
        kind="money_only",
        detail="拍错了尺码，还没发货请直接退款。",
    )


def refund_with_return(cast: Cast, token: str) -> None:
    """After shipment: the seller approves a return, the buyer ships it back, the seller
    confirms it arrived and the money goes back."""
    order = _buy(cast, token, [(_nth(_skus(cast.home), 4), 1)], ship=True)
    refund = request_refund(
        buyer=cast.buyer,
        order_id=order.pk,
        amount=order.total,
        reason="not_as_described",
        kind="return",
        detail="颜色和图片差别很大。",
    )
    approve_refund(shop=cast.home, refund_id=refund.pk, note="同意退货，请寄回原地址。")
    ship_back(
        buyer=cast.buyer, refund_id=refund.pk, carrier="中通快递", tracking_no=f"ZT{order.pk:010d}"
    )
    confirm_return(shop=cast.home, refund_id=refund.pk)


def refund_waiting(cast: Cast, token: str) -> None:
    """After shipment, waiting for the seller's answer (the demo seller can approve or reject)."""
    order = _buy(cast, token, [(_nth(_skus(cast.home), 5), 1)], ship=True)
    request_refund(
        buyer=cast.buyer,
        order_id=order.pk,
        amount=_part(order, 50),
        reason="damaged",
        kind="money_only",
        detail="盒子压坏了，衣服有一处开线，退一半吧。",
    )


def refund_in_arbitration(cast: Cast, token: str) -> None:
    """The seller rejected, the buyer asked the operator; both sides stated their case."""
    order = _buy(cast, token, [(_nth(_skus(cast.home), 6), 1)], ship=True)
    refund = request_refund(
        buyer=cast.buyer,
        order_id=order.pk,
        amount=order.total,
        reason="not_received",
        kind="money_only",
        detail="物流显示签收，但我没有收到。",
    )
    reject_refund(shop=cast.home, refund_id=refund.pk, note="快递显示本人签收，有签收记录。")
    dispute = open_dispute(
        user=cast.buyer,
        refund_id=refund.pk,
        text="签收那天我不在家，快递放在了驿站门口，包裹丢了。",
    )
    add_statement(
        user=cast.seller,
        dispute_id=dispute.pk,
        text="快递员说放在驿站并拍了照，驿站签收记录上有买家手机尾号。",
    )


def refund_after_settlement(cast: Cast, token: str) -> None:
    """A completed (settled) order, then part of it refunded: the seller's payable pays it."""
    order = _buy(cast, token, [(_nth(_skus(cast.home), 7), 2)], ship=True)
    confirm_receipt(buyer=cast.buyer, order_id=order.pk)
    refund = request_refund(
        buyer=cast.buyer,
        order_id=order.pk,
        amount=_part(order, 30),
        reason="damaged",
        kind="money_only",
        detail="一件有污渍，商量好退部分款。",
    )
    approve_refund(shop=cast.home, refund_id=refund.pk, note="抱歉，退部分款。")


def _service_point() -> Shop | None:
    return (
        Shop.objects.filter(
            kind=ShopKind.SERVICE_POINT, status=ShopStatus.ACTIVE, slug__startswith="demo-"
        )
        .order_by("pk")
        .first()
    )


def service_point_sales(households: int) -> Callable[[Cast, str], None]:
    """A service point's order with goods of several households, completed: each household's
    part settles to its own payable."""

    def run(cast: Cast, token: str) -> None:
        shop = _service_point()
        items = []
        for household in shop.households.order_by("pk")[:households]:
            skus = _skus(shop, household)
            if skus:
                items.append((skus[0], 1))
        order = _buy(cast, token, items, ship=True)
        confirm_receipt(buyer=cast.buyer, order_id=order.pk)

    return run


SCENARIOS: list[tuple[str, Callable[[Cast, str], None]]] = [
    ("demo:money:settled-1", settled(0)),
    ("demo:money:settled-2", settled(1)),
    ("demo:money:settled-3", settled(2)),
    ("demo:money:refund-before-shipment", refund_before_shipment),
    ("demo:money:refund-with-return", refund_with_return),
    ("demo:money:refund-after-settlement", refund_after_settlement),
    ("demo:money:refund-in-arbitration", refund_in_arbitration),
    ("demo:money:refund-waiting", refund_waiting),
    ("demo:money:service-point-1", service_point_sales(3)),
    ("demo:money:service-point-2", service_point_sales(2)),
]


def _owner(shop: Shop) -> User:
    return User.objects.get(shop_memberships__shop=shop, shop_memberships__role="owner")


def _ask(user: User, shop: Shop, household_id: int | None, percent: int) -> Withdrawal | None:
    """Ask for `percent` of what is available, in tens of yuan (None when that is too little)."""
    available = withdrawable(shop.pk, household_id)
    tens = available.minor * percent // 100 // 1000
    if tens < 1:
        return None
    return request_withdrawal(
        user=user,
        shop=shop,
        amount=Money(tens * 1000, available.currency),
        household_id=household_id,
    )


def withdrawals(cast: Cast) -> int:
    """The 丁楼村 seller: one withdrawal already paid, one waiting. The service point: one
    request per household, waiting for the operator's payout batch."""
    made = 0
    if not Withdrawal.objects.filter(shop=cast.home).exists():
        with transaction.atomic():
            paid = _ask(cast.seller, cast.home, None, 40)
            if paid is not None:
                pay_withdrawal(operator=cast.operator, withdrawal_id=paid.pk)
            made += (paid is not None) + (_ask(cast.seller, cast.home, None, 50) is not None)
    shop = _service_point()
    if shop is not None and not Withdrawal.objects.filter(shop=shop).exists():
        owner = _owner(shop)
        with transaction.atomic():
            for household in shop.households.order_by("pk"):
                made += _ask(owner, shop, household.pk, 80) is not None
    return made


def _bank_accounts(cast: Cast, shop: Shop) -> None:
    """The operator records where the demo seller and each household of the service point are
    paid (made-up accounts at the county's agricultural bank)."""
    payees = [(cast.home, None, cast.home.name)] + [
        (shop, household.pk, household.name) for household in shop.households.order_by("pk")
    ]
    for payee, household_id, holder in payees:
        set_bank_account(
            operator=cast.operator,
            shop=payee,
            household_id=household_id,
            holder_name=holder,
            bank_name="中国农业银行",
            branch="曹县支行",
            account_number=f"6228 4800 {payee.pk:04d} {household_id or 0:06d}",
        )


def payout_batches(cast: Cast) -> int:
    """Two payout batches of the waiting requests: one exported and marked paid (two of the
    service point's households), one draft waiting for the operator (the rest)."""
    shop = _service_point()
    if shop is None or PayoutBatch.objects.filter(created_by=cast.operator).exists():
        return 0
    waiting = list(
        Withdrawal.objects.filter(shop__in=[cast.home, shop], status="requested").order_by("pk")
    )
    first = [w.pk for w in waiting if w.shop_id == shop.pk][:2]
    rest = [w.pk for w in waiting if w.pk not in first]
    if not first or not rest:
        return 0
    with transaction.atomic():
        _bank_accounts(cast, shop)
        paid = create_batch(cast.operator, first)
        export_batch_csv(paid)
        mark_batch_paid(cast.operator, paid.pk)
        create_batch(cast.operator, rest)
    return 2


def money(ctx) -> str:
    """Settled orders, refunds (before and after shipment, after settlement, in arbitration,
    waiting for the seller), a service point's sales per household and withdrawals."""
    cast = _cast()
    done = set(
        CheckoutRequest.objects.filter(
            buyer=cast.buyer, key__in=[token for token, _fn in SCENARIOS]
        ).values_list("key", flat=True)
    )
    made = 0
    for token, run in SCENARIOS:
        if token in done or (token.startswith("demo:money:service-point") and not _service_point()):
            continue
        with transaction.atomic():  # a scenario is all there or not at all
            run(cast, token)
        made += 1
    asked = withdrawals(cast)
    return f"{made} money scenarios, {asked} withdrawals, {payout_batches(cast)} payout batches"
