"""Demo step: conversations between the demo buyer and shops, made by messaging's services (so
moderation screens them): a question about a product with the seller's answer and a photo, a
note about an order, one unread answer, and a message held for review (it waits in the
operator's moderation queue).

Idempotent: once the demo buyer has a conversation with the 丁楼村 seller's shop, it is done.
"""

from __future__ import annotations

import io

from django.db import transaction
from PIL import Image

from villagemarket.accounts.models import User
from villagemarket.catalog.models import Product
from villagemarket.messaging import services
from villagemarket.messaging.models import Conversation
from villagemarket.orders.models import ShopOrder
from villagemarket.shops.models import Shop

from . import data


def _photo() -> io.BytesIO:
    """A small picture the seller sends (a swatch of the costume's red)."""
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 30, 40)).save(out, format="JPEG")
    out.seek(0)
    out.name = "swatch.jpg"
    return out


def messaging(ctx) -> str:
    """Conversations with unread answers, a product and an order card, and a held message."""
    buyer = User.objects.get(email=data.BUYER)
    seller = User.objects.get(email=data.SELLER)
    home = Shop.objects.get(members__user=seller, members__role="owner")
    if Conversation.objects.filter(buyer=buyer, shop=home).exists():
        return "conversations already there"
    product = Product.objects.filter(shop=home, status="published").order_by("id").first()
    order = ShopOrder.objects.filter(buyer=buyer, shop=home).order_by("id").first()
    other = (
        Shop.objects.filter(status="active", products__status="published")
        .exclude(pk=home.pk)
        .order_by("id")
        .first()
    )
    with transaction.atomic():
        asked = services.write_to_shop(
            buyer=buyer,
            shop=home,
            text="你好，这件演出服有 140 码的吗？孩子六一要穿。",
            product_id=product.pk if product else None,
        )
        conversation = asked.conversation
        services.reply(
            conversation,
            sender=seller,
            side="shop",
            text="有的，140 码还有 8 件，颜色就是图片这样的正红。",
            image=_photo(),
        )
        services.write_to_shop(buyer=buyer, shop=home, text="好的，我下单了，能早点发货吗？")
        if order is not None:
            services.reply(
                conversation,
                sender=seller,
                side="shop",
                text="您的订单我们今天下午就发，单号会在订单里更新。",
                order_id=order.pk,
            )
        made = 1
        if other is not None:
            services.write_to_shop(
                buyer=buyer, shop=other, text="请问可以批发吗？要 50 件，价格能便宜点吗？"
            )
            # Taking the trade off the platform: moderation holds it for the operator.
            services.write_to_shop(buyer=buyer, shop=other, text="加微信详聊吧，微信号 cxdl2024")
            made += 1
    return f"{made} conversations, 1 message held for review"
