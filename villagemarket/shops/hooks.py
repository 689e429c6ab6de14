"""Figures the seller center shows that belong to higher apps (catalog, orders).

shops sits below catalog and orders, so it never imports them: each registers a function here
in its AppConfig.ready(), and the dashboard and households pages ask through this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

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
