"""Order use-cases. The contract with payments (payment_succeeded, ...) is in payment_hooks."""

from .addresses import delete_address, save_address, set_default_address
from .batch import ship_batch
from .checkout import CheckoutResult, place_order, quote
from .disputes import add_statement, decide_dispute, open_dispute
from .fulfilment import (
    auto_complete_orders,
    cancel_unpaid,
    close_unpaid_orders,
    confirm_receipt,
    count_held_sale,
    extend_auto_confirm,
    mark_delivered,
    ship_order,
)
from .payment_hooks import payment_failed, payment_succeeded
from .refund_payments import retry_refund_payment, sweep_refund_payments
from .refunds import (
    approve_refund,
    cancel_refund,
    confirm_return,
    reject_refund,
    request_refund,
    ship_back,
    sweep_refund_deadlines,
)

__all__ = [
    "add_statement",
    "approve_refund",
    "cancel_refund",
    "confirm_return",
    "decide_dispute",
    "open_dispute",
    "reject_refund",
    "retry_refund_payment",
    "request_refund",
    "ship_back",
    "sweep_refund_deadlines",
    "sweep_refund_payments",
    "CheckoutResult",
    "auto_complete_orders",
    "cancel_unpaid",
    "close_unpaid_orders",
    "confirm_receipt",
    "count_held_sale",
    "delete_address",
    "extend_auto_confirm",
    "mark_delivered",
    "payment_failed",
    "payment_succeeded",
    "place_order",
    "quote",
    "save_address",
    "set_default_address",
    "ship_batch",
    "ship_order",
]
