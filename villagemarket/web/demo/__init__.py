"""The demo data builder: an ordered list of idempotent steps (see steps.py).

A new step is added to STEPS here: web is the top layer (docs/map.md) and may call every app,
while no app below may import web.
"""

from __future__ import annotations

from collections.abc import Callable

from . import (
    antifraud,
    buying,
    editor,
    logistics,
    messaging,
    moderation,
    money,
    promotions,
    reviews,
    steps,
    tracking,
)
from .imports import imports_demo
from .insights import insights_demo
from .notifications import notifications_step
from .steps import Context

Step = tuple[str, str, Callable[[Context], str]]

STEPS: list[Step] = [
    ("regions", "Regions of China and the demo counties' villages", steps.regions),
    ("villages", "Featured villages", steps.villages),
    ("categories", "Categories", steps.categories),
    ("users", "Demo users", steps.users),
    ("notifications", "Notification choices (the order steps below notify)", notifications_step),
    ("shops", "Shops", steps.shops),
    ("products", "Products, SKUs and pictures", steps.products),
    ("editor", "SKU matrices and photo galleries", editor.editor_demo),
    ("imports", "A product import (and a file with row errors)", imports_demo),
    ("buying", "Freight templates and sample orders", buying.buying),
    ("money", "Settlements, refunds, a dispute and withdrawals", money.money),
    ("moderation", "A held spam listing and a buyer's report", moderation.moderation_demo),
    ("reviews", "Reviews with photos, replies and shop ratings", reviews.reviews_demo),
    ("messaging", "Conversations between the buyer and shops", messaging.messaging),
    ("tracking", "Tracked parcels with courier events (sandbox)", tracking.tracking_demo),
    ("logistics", "Village pickups: a service point's batches and waybills", logistics.logistics),
    (
        "promotions",
        "Promotions: coupons, 满减, a sale price, a festival's cross-shop 满减",
        promotions.promotions_demo,
    ),
    # after every step that places orders: it clears the flags the demo's own story raised
    ("antifraud", "Anti-brushing: a brushing ring in the operator's queue", antifraud.antifraud),
    ("insights", "Seller dashboards: 30 days of views and visitors", insights_demo),
    ("observatory", "Observatory: sales history and designations", steps.observatory),
    ("search", "Search index", steps.search_index),
]

__all__ = ["STEPS", "Context", "Step"]
