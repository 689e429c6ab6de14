"""Catalog use-cases. Each function is one transaction and checks who may act."""

from .images import add_image, remove_image, reorder_images
from .matrix import bulk_update_skus, set_sku_matrix
from .products import (
    create_product,
    delist_product,
    moderate_delist,
    moderate_publish,
    publish_product,
    relist_product,
    update_product,
)
from .skus import add_sku, adjust_stock, remove_sku, update_sku

__all__ = [
    "add_image",
    "remove_image",
    "reorder_images",
    "create_product",
    "delist_product",
    "moderate_delist",
    "moderate_publish",
    "publish_product",
    "relist_product",
    "update_product",
    "add_sku",
    "adjust_stock",
    "remove_sku",
    "update_sku",
    "set_sku_matrix",
    "bulk_update_skus",
]
