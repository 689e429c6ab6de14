"""Village pickup use-cases: partner-shop memberships, and batches (gather, number, hand over)."""

from .batches import (
    add_orders,
    assign_range,
    assign_tracking,
    cancel_batch,
    create_batch,
    hand_over,
    remove_order,
)
from .memberships import accept_membership, decline_membership, end_membership, invite_member

__all__ = [
    "accept_membership",
    "add_orders",
    "assign_range",
    "assign_tracking",
    "cancel_batch",
    "create_batch",
    "decline_membership",
    "end_membership",
    "hand_over",
    "invite_member",
    "remove_order",
]
