"""Order use-cases. The contract with payments (payment_succeeded, ...) is in payment_hooks."""

from .addresses import delete_address, save_address, set_default_address
from .batch import ship_batch
from .checkout import CheckoutResult, place_order, quote
from .fulfilment import (
    auto_complete_orders,
    cancel_unpaid,
    close_unpaid_orders,
    confirm_receipt,
    extend_auto_confirm,
    ship_order,
)
from .payment_hooks import payment_failed, payment_succeeded

__all__ = [
    "CheckoutResult",
    "auto_complete_orders",
    "cancel_unpaid",
    "close_unpaid_orders",
    "confirm_receipt",
    "delete_address",
    "extend_auto_confirm",
    "payment_failed",
    "payment_succeeded",
    "place_order",
    "quote",
    "save_address",
    "set_default_address",
    "ship_batch",
    "ship_order",
]
