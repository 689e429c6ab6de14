"""What shops offers the apps above it: figures the seller center shows that belong to higher
apps (catalog, orders), and news of a changed shop (search re-indexes its products).

shops sits below catalog and orders, so it never imports them: each registers a function here
in its AppConfig.ready(), and the dashboard and households pages ask through this module.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable

from django.db import transaction

logger = logging.getLogger(__name__)

# (shop) -> {"products": n, "published": n} or {"orders": n, "to_ship": n}
ShopCounter = Callable[[object], dict[str, int]]
# (household ids) -> {household id: products made by that household}
HouseholdProductCounter = Callable[[list[int]], dict[int, int]]

_shop_counters: list[ShopCounter] = []
_household_product_counters: list[HouseholdProductCounter] = []


def register_shop_counter(counter: ShopCounter) -> None:
    """A higher app adds figures to a shop's dashboard (called once from its ready())."""
    if counter not in _shop_counters:
        _shop_counters.append(counter)


def register_household_product_counter(counter: HouseholdProductCounter) -> None:
    """catalog says how many products each household makes (a household with none may go)."""
    if counter not in _household_product_counters:
        _household_product_counters.append(counter)


def shop_figures(shop) -> dict[str, int]:
    """Every registered app's figures for `shop`, merged."""
    figures: dict[str, int] = {}
    for counter in _shop_counters:
        figures.update(counter(shop))
    return figures


def household_product_counts(household_ids: Iterable[int]) -> dict[int, int]:
    """Products per household (0 when no app registered or the household makes none)."""
    ids = list(household_ids)
    counts: dict[int, int] = dict.fromkeys(ids, 0)
    for counter in _household_product_counters:
        for pk, n in counter(ids).items():
            counts[pk] = counts.get(pk, 0) + n
    return counts


# (shop id) -> None, run after the commit of a change to the shop (name, status, village, freight)
ShopListener = Callable[[int], None]
_shop_listeners: list[ShopListener] = []


def register_shop_listener(listener: ShopListener) -> None:
    """A higher app hears of changed shops (called once from its ready())."""
    if listener not in _shop_listeners:
        _shop_listeners.append(listener)


def _notify(listener: ShopListener, shop_id: int) -> None:
    try:
        listener(shop_id)
    except Exception:  # an index that lags must not turn a saved change into an error page
        logger.exception("shop listener %r failed for shop %s", listener, shop_id)


def shop_changed(shop_id: int) -> None:
    """Call inside the transaction that changed the shop: every listener runs after the commit
    (never for a rolled-back change)."""
    for listener in _shop_listeners:
        transaction.on_commit(functools.partial(_notify, listener, shop_id))


# (ShopStatusChange) -> None, inside the transaction that approved, suspended or reinstated a shop
StatusListener = Callable[[object], object]
_status_listeners: list[StatusListener] = []


def on_status_change(listener: StatusListener) -> None:
    """A higher app hears of each verification decision (notifications tells the shop's owner)."""
    if listener not in _status_listeners:
        _status_listeners.append(listener)


def status_changed(change) -> None:
    """Call inside the transaction that recorded `change` (a ShopStatusChange): every listener
    runs in it, so what it writes commits or rolls back with the decision."""
    for listener in list(_status_listeners):
        listener(change)
