"""Shops on the region pages, supplied by a higher app.

regions sits below shops and catalog, so it never imports them: the app that knows which shops
are open and what they sell (catalog) registers a ShopDirectory in its AppConfig.ready(), and the
region pages ask through `shop_directory()`. Without one, regions list no shops.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class ShopDirectory(Protocol):
    def counts(self, regions: Sequence) -> dict[str, int]:
        """Active shops located under each region (all of one level), by region code."""
        ...

    def under(self, region) -> Sequence:
        """Active shops located in `region` or below, each with `.product_count` (sliceable)."""
        ...


class _NoShops:
    def counts(self, regions: Sequence) -> dict[str, int]:
        return {}

    def under(self, region) -> Sequence:
        return []


_directory: ShopDirectory = _NoShops()


def register_shop_directory(directory: ShopDirectory) -> None:
    """Called once by the app that supplies shops (catalog.shop_figures)."""
    global _directory
    _directory = directory


def shop_directory() -> ShopDirectory:
    return _directory
