"""Demo step: moderation. A seller rewrites a listing into a link-stuffed spam block (like the
one the source article ends with): screening holds it, so it waits in the operator's queue; and
the demo buyer reports another seller's listing. Both go through the real services (edit,
report), so the queue shows what a real hold and report look like.

Idempotent: the spam listing is found by its title, the report by its reporter.
"""

from __future__ import annotations

from django.db import transaction

from villagemarket.accounts.models import User
from villagemarket.catalog import services as catalog
from villagemarket.catalog.models import Product
from villagemarket.moderation import services as moderation
from villagemarket.moderation.models import Report
from villagemarket.shops.models import Shop

from . import data

SPAM_TITLE = "特价演出服 全网最低"
SPAM_LINES = [
    ("演出服批发", "yanchufu-pifa"),
    ("高仿名牌", "gaofang-mp"),
    ("免费电影", "free-movie88"),
    ("网赚日结", "wangzhuan"),
    ("低价代购", "daigou-vip"),
    ("彩票预测", "caipiao365"),
]


def spam_block() -> str:
    """Dozens of lines of "keyword http://xxx.com keyword2 yyy.cn ...", as in the article."""
    lines = [
        f"{word}{n} http://www.{site}{n}.com {word} {site}{n}.cn"
        for n in range(4)
        for word, site in SPAM_LINES
    ]
    return "<p>" + "<br>".join(lines) + "</p>"


def _spam_listing(home: Shop) -> int:
    """A seller (not the 丁楼村 demo seller) rewrites one of their listings into a spam block;
    the edit is screened and the listing is held. The catalogue keeps its size."""
    if Product.objects.filter(title=SPAM_TITLE).exists():
        return 0
    product = Product.objects.for_sale().exclude(shop=home).order_by("-id").first()
    if product is None:
        return 0
    owner = User.objects.filter(
        shop_memberships__shop=product.shop, shop_memberships__role="owner"
    ).first()
    with transaction.atomic():
        catalog.update_product(
            owner, product.pk, {"title": SPAM_TITLE, "description": spam_block()}
        )  # held: the spam score and the link terms
    return 1


def moderation_demo(ctx) -> str:
    seller = User.objects.get(email=data.SELLER)
    buyer = User.objects.get(email=data.BUYER)
    home = Shop.objects.get(members__user=seller, members__role="owner")
    held = _spam_listing(home)
    reported = 0
    if not Report.objects.filter(reporter=buyer).exists():
        target = Product.objects.for_sale().exclude(shop=home).order_by("id").first()
        if target is not None:
            moderation.report(
                reporter=buyer,
                kind="product",
                object_id=target.pk,
                reason="fake",
                detail="照片和实物不符，疑似假货。",
            )
            reported = 1
    return f"{held} held spam listing, {reported} report"
