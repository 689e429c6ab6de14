"""Hooks the catalog offers to higher apps (search registers its indexer here).

`products_changed(ids)` is called by catalog services inside their transaction; each registered
listener runs once per product after the commit (never for a rolled-back change), so the search
index follows titles, variants, prices, stock and status without the catalog importing search.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable

from django.db import transaction

logger = logging.getLogger(__name__)
ProductListener = Callable[[int], None]
_listeners: list[ProductListener] = []


def register_product_listener(listener: ProductListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def _notify(listener: ProductListener, product_id: int) -> None:
    try:
        listener(product_id)
    except Exception:  # an index that lags must not turn a saved change into an error page
        logger.exception("product listener %r failed for product %s", listener, product_id)


def products_changed(product_ids: Iterable[int]) -> None:
    """After commit, tell every listener about each of these products (once each)."""
    for product_id in sorted(set(product_ids)):
        for listener in _listeners:
            transaction.on_commit(functools.partial(_notify, listener, product_id))
