"""The "delivered" rule as a pure function (no ORM): when a delivered parcel completes by itself.

Once the courier reports a parcel delivered, the buyer has DELIVERED_CONFIRM_DAYS (setting,
default 3) to confirm or complain before the order completes by itself; never later than the
deadline it already had (AUTO_CONFIRM_DAYS after shipping). It does not apply while a refund
request is open (that pauses the clock) nor after the seller extended the buyer's time (the
seller chose to give more time). docs/orders.md.
"""

from __future__ import annotations

import datetime


def deadline_after_delivery(
    current: datetime.datetime | None,
    delivered_at: datetime.datetime,
    *,
    confirm_days: int,
    refund_open: bool = False,
    extended: bool = False,
) -> datetime.datetime | None:
    """The order's new auto-complete time: earlier or unchanged, never later."""
    if current is None or refund_open or extended or confirm_days < 0:
        return current
    return min(current, delivered_at + datetime.timedelta(days=confirm_days))
