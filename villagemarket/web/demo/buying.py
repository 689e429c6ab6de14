"""Demo step: freight templates, the demo buyer's address and a few orders in every state.

Everything goes through the slices' own services — checkout, a signed sandbox notification,
shipping, confirmation — so the demo's orders are exactly what a real buyer would produce.
Idempotent: templates, the address and the orders are only made when missing.
"""

from __future__ import annotations

from villagemarket.accounts.models import User
from villagemarket.catalog.models import SKU, ProductStatus
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.services import confirm_receipt, place_order, save_address, ship_order
from villagemarket.payments.providers import sandbox
from villagemarket.payments.services import receive_notification
from villagemarket.regions.models import Region
from villagemarket.shipping.models import FreightTemplate
from villagemarket.shipping.services import save_template
from villagemarket.shops.models import Shop, ShopStatus

from . import data

# ¥8 for the first item, ¥3 for each further one, free from ¥99; Xinjiang and Tibet cost more.
DEMO_RULES = [
    {"provinces": [], "first_minor": 800, "additional_minor": 300, "free_above_minor": 9900},
    {
        "provinces": ["65", "54"],
        "first_minor": 2000,
        "additional_minor": 1000,
        "free_above_minor": None,
    },
]


def freight_templates() -> int:
    made = 0
    present = set(Region.objects.filter(level=1).values_list("code", flat=True))
    rules = [  # a trimmed region set (tests) may lack the far-west provinces
        rule
        for rule in DEMO_RULES
        if not rule["provinces"] or present.issuperset(rule["provinces"])
    ]
    have = set(FreightTemplate.objects.values_list("shop_id", flat=True))
    for shop in Shop.objects.filter(status=ShopStatus.ACTIVE).exclude(pk__in=have):
        save_template(shop=shop, name="全国包邮满99元", basis="piece", rules=rules, is_default=True)
        made += 1
    return made


def buyer_address(buyer: User):
    existing = buyer.addresses.first() if hasattr(buyer, "addresses") else None
    if existing:
        return existing
    # A township of Hangzhou's West Lake district (or any township, on a trimmed region set).
    township = (
        Region.objects.filter(level=4, code__startswith="330106").order_by("code").first()
        or Region.objects.filter(level=4).order_by("code").first()
    )
    return save_address(
        user=buyer,
        region_code=township.code,
        detail="文三路 90 号 3 单元 501",
        recipient="王小明",
        mobile="13900001111",
        is_default=True,
    )


def _pay(payment) -> None:
    """Pay the way the sandbox does: a signed server-to-server notification."""
    body = sandbox.notification_body(payment, trade_no=sandbox.new_trade_no(), outcome="succeeded")
    receive_notification("sandbox", sandbox.signed_headers(body), body)


def _skus_of(shop, n: int) -> list[SKU]:
    return list(
        SKU.objects.filter(
            product__shop=shop,
            product__status=ProductStatus.PUBLISHED,
            is_active=True,
            stock__gte=5,
        ).order_by("id")[:n]
    )


def sample_orders(buyer: User, address) -> int:
    if ShopOrder.objects.filter(buyer=buyer).exists():
        return 0
    seller = User.objects.get(email=data.SELLER)
    home = Shop.objects.get(members__user=seller, members__role="owner")
    other = Shop.objects.filter(status=ShopStatus.ACTIVE).exclude(pk=home.pk).order_by("id").first()
    mine, theirs = _skus_of(home, 2), _skus_of(other, 1)

    # 1. two shops in one checkout, paid: the 丁楼村 shop has one to ship, the other ships its own.
    first = place_order(
        buyer=buyer,
        address_id=address.pk,
        form_token="demo:checkout:1",
        items=[(mine[0].pk, 1), (theirs[0].pk, 2)],
    )
    _pay(first.payment)
    for order in first.orders:
        if order.shop_id == other.pk:
            ship_order(
                shop=other, order_id=order.pk, carrier="中通快递", tracking_no="ZT7521000001"
            )
    # 2. one shipped and confirmed: completed, so the seller has a finished sale.
    second = place_order(
        buyer=buyer,
        address_id=address.pk,
        form_token="demo:checkout:2",
        items=[(mine[-1].pk, 1)],
    )
    _pay(second.payment)
    ship_order(
        shop=home, order_id=second.orders[0].pk, carrier="顺丰速运", tracking_no="SF1400000002"
    )
    confirm_receipt(buyer=buyer, order_id=second.orders[0].pk)
    # 3. left unpaid: it shows in "awaiting payment" until the worker closes it.
    third = place_order(
        buyer=buyer,
        address_id=address.pk,
        form_token="demo:checkout:3",
        items=[(mine[0].pk, 1)],
    )
    return len(first.orders) + len(second.orders) + len(third.orders)


def buying(ctx) -> str:
    """Freight templates for every active shop, an address and sample orders for the demo buyer."""
    templates = freight_templates()
    buyer = User.objects.get(email=data.BUYER)
    address = buyer_address(buyer)
    orders = sample_orders(buyer, address)
    return f"{templates} freight templates, {orders} sample orders"
