"""Demo step: moderation. The 丁楼村 seller lists a product whose description is a link-stuffed
spam block (like the one the source article ends with): screening holds it, so it waits in the
operator's queue; and the demo buyer reports another seller's listing. Both go through the real
services (create, publish, report), so the queue shows what a real hold and report look like.

Idempotent: the spam listing is found by its title, the report by its reporter.
"""

from __future__ import annotations

from django.db import transaction

from villagemarket.accounts.models import User
from villagemarket.catalog import services as catalog
from villagemarket.catalog.models import Category, Product
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


def moderation_demo(ctx) -> str:
    seller = User.objects.get(email=data.SELLER)
    buyer = User.objects.get(email=data.BUYER)
    home = Shop.objects.get(members__user=seller, members__role="owner")
    held = 0
    if not Product.objects.filter(shop=home, title=SPAM_TITLE).exists():
        category = Category.objects.filter(parent__isnull=False).order_by("position", "id").first()
        with transaction.atomic():
            product = catalog.create_product(
                seller,
                home,
                {"title": SPAM_TITLE, "category": category, "description": spam_block()},
                skus=[{"options": {"尺码": "120"}, "price": "9.90", "stock": 50}],
            )
            catalog.publish_product(seller, product.pk)  # held: the spam score and link terms
        held = 1
    reported = 0
    if not Report.objects.filter(reporter=buyer).exists():
        target = (
            Product.objects.for_sale().exclude(shop=home).order_by("id").first()
            or Product.objects.for_sale().order_by("id").first()
        )
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
