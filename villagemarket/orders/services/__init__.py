"""Order use-cases. `payment_succeeded` / `payment_failed` are the contract with payments."""

from .addresses import delete_address, save_address, set_default_address
from .batch import ship_batch
from .checkout import CheckoutResult, place_order, quote
from .life import (
    auto_complete_orders,
    cancel_unpaid,
    close_unpaid_orders,
    confirm_receipt,
    extend_auto_confirm,
    payment_failed,
    payment_succeeded,
    ship_order,
)

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
