"""Demo step: reviews. The demo buyer reviews completed orders of several shops, with photos drawn
here with Pillow, one anonymously; sellers reply to some, and one review has a follow-up, so
product pages show ratings and photo reviews and shop pages their ratings beside the category.

Everything goes through the reviews services (photos re-encoded like an upload). Idempotent:
orders are keyed by their checkout form token, and only lines not yet reviewed are reviewed.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw

from villagemarket.accounts.models import User
from villagemarket.catalog.models import SKU
from villagemarket.orders.models import CheckoutRequest
from villagemarket.orders.services import confirm_receipt, place_order, ship_order
from villagemarket.reviews import selectors as review_selectors
from villagemarket.reviews import services as reviews
from villagemarket.reviews.models import Review
from villagemarket.shops.models import Shop, ShopMember, ShopStatus

from . import data
from .buying import _pay, buyer_address

SHOPS = 5  # other shops the demo buyer completes an order with
REVIEWS = [
    # (item, service, delivery, text, photos, anonymous)
    (5, 5, 5, "质量很好，跟图片一样，老板发货很快，下次还来。", 2, False),
    (4, 5, 4, "东西不错，包装有点简单，路上压了一个角，不影响使用。", 1, False),
    (5, 4, 5, "村里直接发的货，新鲜，家里老人很喜欢。", 0, True),
    (3, 3, 2, "一般吧，快递慢了三天。", 0, False),
    (5, 5, 5, "Great quality for the price, arrived well packed.", 1, False),
    (4, 4, 5, "尺码合适，颜色比图片稍深一点。", 0, False),
]
REPLIES = [
    "谢谢亲的支持，欢迎常来！",
    "抱歉包装不够好，已经换了更厚的纸箱。",
    "感谢反馈，我们会督促快递。",
]
FOLLOW_UP = "用了一个月，还是很好，已经推荐给邻居了。"
COLOURS = [(214, 92, 60), (72, 140, 88), (60, 110, 190), (200, 160, 40)]


def _photo(n: int) -> SimpleUploadedFile:
    """A small picture "taken by the buyer": a table, a parcel, a dot of colour."""
    colour = COLOURS[n % len(COLOURS)]
    image = Image.new("RGB", (320, 240), (236, 228, 214))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 170, 320, 240), fill=(180, 150, 110))
    draw.rounded_rectangle((90 + 10 * n, 60, 230 + 10 * n, 190), radius=14, fill=colour)
    draw.ellipse((20, 20, 70, 70), fill=(250, 240, 200))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile(f"demo-{n}.jpg", out.getvalue(), content_type="image/jpeg")


def _completed_orders(buyer: User) -> int:
    """One completed order with each of SHOPS other active shops (once: keyed by form token)."""
    address = buyer_address(buyer)
    shops = Shop.objects.filter(status=ShopStatus.ACTIVE).order_by("id")[: SHOPS + 1]
    done = set(CheckoutRequest.objects.filter(buyer=buyer).values_list("key", flat=True))
    made = 0
    for shop in shops:
        token = f"demo:reviews:{shop.slug}"[:100]
        sku = SKU.objects.for_sale().filter(product__shop=shop, stock__gte=3).order_by("id").first()
        if token in done or sku is None:
            continue
        with transaction.atomic():
            result = place_order(
                buyer=buyer, address_id=address.pk, form_token=token, items=[(sku.pk, 1)]
            )
            _pay(result.payment)
            order = result.orders[0]
            ship_order(
                shop=shop, order_id=order.pk, carrier="中通快递", tracking_no=f"ZT{order.pk:010d}"
            )
            confirm_receipt(buyer=buyer, order_id=order.pk)
        made += 1
    return made


def _owner(shop_id: int) -> User | None:
    member = ShopMember.objects.filter(shop_id=shop_id, role="owner").select_related("user").first()
    return member.user if member else None


def reviews_demo(ctx) -> str:
    """Completed orders at a few shops, their lines reviewed (photos, one anonymous), replies
    from the sellers and a follow-up."""
    buyer = User.objects.get(email=data.BUYER)
    orders = _completed_orders(buyer)
    lines = list(review_selectors.reviewable_lines(buyer).order_by("pk"))
    written = 0
    for n, line in enumerate(lines):
        item, service, delivery, text, photos, anonymous = REVIEWS[n % len(REVIEWS)]
        review = reviews.post_review(
            buyer=buyer,
            line_id=line.pk,
            item_stars=item,
            service_stars=service,
            delivery_stars=delivery,
            text=text,
            anonymous=anonymous,
            photos=[_photo(n + k) for k in range(photos)],
        )
        written += 1
        if n % 2 == 0 and (owner := _owner(review.shop_id)):
            shop = Shop.objects.get(pk=review.shop_id)
            reply = REPLIES[(n // 2) % len(REPLIES)]
            reviews.reply_to_review(shop=shop, user=owner, review_id=review.pk, text=reply)
        if n == 0:
            reviews.post_follow_up(buyer=buyer, review_id=review.pk, text=FOLLOW_UP)
    total = Review.objects.filter(author=buyer).count()
    shops = Review.objects.filter(author=buyer).values("shop").distinct().count()
    return f"{orders} orders completed, {written} reviews written ({total} in {shops} shops)"
