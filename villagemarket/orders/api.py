"""Orders API (mounted at /api/v1/orders/): addresses, checkout, a buyer's orders, shop staff's
orders."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from villagemarket.api.auth import user_auth
from villagemarket.cart.selectors import cart_view
from villagemarket.cart.services import cart_for_user
from villagemarket.core.errors import Invalid
from villagemarket.shops.permissions import shop_for_member

from . import selectors, services
from .services.checkout import clean_items

router = Router(tags=["orders"], auth=user_auth)


# --- schemas ---------------------------------------------------------------------------------
class AddressIn(Schema):
    region: str = Field(..., description="9-digit township code")
    detail: str
    recipient: str
    mobile: str
    is_default: bool = False


class AddressOut(Schema):
    id: int
    region: str = Field(..., alias="region_id")
    region_name: str
    detail: str
    recipient: str
    mobile: str
    is_default: bool

    @staticmethod
    def resolve_region_name(obj) -> str:
        return obj.region.name


class ItemIn(Schema):
    sku_id: int
    quantity: int
    # Accepted so old clients do not break, and ignored: prices always come from the SKU.
    unit_price_minor: int | None = None


class CheckoutIn(Schema):
    address_id: int
    items: list[ItemIn] | None = Field(
        None, description="Omit to check out the buyable lines of my cart"
    )


class LineOut(Schema):
    sku_id: int
    product_title: str
    variant_label: str
    unit_price_minor: int
    quantity: int
    line_total_minor: int


class OrderOut(Schema):
    id: int
    shop: str
    shop_name: str
    status: str
    goods_minor: int
    freight_minor: int
    total_minor: int
    currency: str
    recipient: str
    mobile: str
    region_label: str
    address_detail: str
    created_at: datetime
    paid_at: datetime | None
    shipped_at: datetime | None
    completed_at: datetime | None
    closed_at: datetime | None
    close_reason: str
    auto_complete_at: datetime | None
    extended: bool
    carrier: str
    tracking_no: str
    payment_id: str | None
    lines: list[LineOut]

    @staticmethod
    def resolve_shop(obj) -> str:
        return obj.shop.slug

    @staticmethod
    def resolve_shop_name(obj) -> str:
        return obj.shop.name

    @staticmethod
    def resolve_payment_id(obj) -> str | None:
        return str(obj.payment.public_id) if obj.payment_id else None

    @staticmethod
    def resolve_lines(obj):
        # A checkout's fresh orders carry their lines (`line_list`); others are prefetched.
        line_list = getattr(obj, "line_list", None)
        return line_list if line_list is not None else list(obj.lines.all())


class CheckoutOut(Schema):
    payment_id: str
    pay_url: str
    total_minor: int
    currency: str
    orders: list[OrderOut]


class ShipIn(Schema):
    carrier: str
    tracking_no: str


class BatchShipIn(Schema):
    csv: str = Field(
        ..., description="order_id,carrier,tracking_no per line; a header line is optional"
    )


class ListQuery(Schema):
    status: str = ""
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


def _page(qs, query: ListQuery) -> list:
    start = (query.page - 1) * query.page_size
    return list(qs[start : start + query.page_size])


# --- addresses -------------------------------------------------------------------------------
@router.get("addresses", response=list[AddressOut], summary="My address book")
def list_addresses(request: HttpRequest):
    return list(selectors.addresses_of(request.auth))


@router.post("addresses", response={201: AddressOut}, summary="Add an address")
def add_address(request: HttpRequest, payload: AddressIn):
    address = services.save_address(
        user=request.auth, region_code=payload.region, **payload.dict(exclude={"region"})
    )
    return 201, address


@router.put("addresses/{int:address_id}", response=AddressOut, summary="Change one of my addresses")
def change_address(request: HttpRequest, address_id: int, payload: AddressIn):
    return services.save_address(
        user=request.auth,
        address_id=address_id,
        region_code=payload.region,
        **payload.dict(exclude={"region"}),
    )


@router.post(
    "addresses/{int:address_id}/default", response=AddressOut, summary="Make it my default address"
)
def default_address(request: HttpRequest, address_id: int):
    return services.set_default_address(user=request.auth, address_id=address_id)


@router.delete(
    "addresses/{int:address_id}", response={204: None}, summary="Delete one of my addresses"
)
def remove_address(request: HttpRequest, address_id: int):
    services.delete_address(user=request.auth, address_id=address_id)
    return 204, None


# --- checkout ----------------------------------------------------------------------------------
@router.post("checkout", response={201: CheckoutOut, 200: CheckoutOut}, summary="Check out")
def checkout(request: HttpRequest, payload: CheckoutIn):
    """One Payment and one order per shop. Send `Idempotency-Key`: a retry with the same key
    returns the same orders (200, same body). Prices sent by the client are ignored."""
    if payload.items is None:
        items = cart_view(cart_for_user(request.auth)).checkout_items()
    else:
        items = [(item.sku_id, item.quantity) for item in payload.items]
    key = request.headers.get("Idempotency-Key", "")
    if len(key) > 100:
        raise Invalid(
            _("The Idempotency-Key is too long."),
            fields={"Idempotency-Key": [_("At most 100 characters.")]},
        )
    result = services.place_order(
        buyer=request.auth, address_id=payload.address_id, items=items, idempotency_key=key
    )
    # Fresh orders come back complete (shop, payment, lines); a replay reads them.
    orders = (
        selectors.buyer_orders_by_id(request.auth, [o.pk for o in result.orders])
        if result.replayed
        else result.orders
    )
    body = {
        "payment_id": str(result.payment.public_id),
        "pay_url": reverse("payments:pay", args=[result.payment.public_id]),
        "total_minor": result.payment.amount_minor,
        "currency": result.payment.currency,
        "orders": orders,
    }
    return (200 if result.replayed else 201), body


class QuoteOut(Schema):
    shop: str
    goods_minor: int
    freight_minor: int | None = Field(None, description="null when the shop does not deliver there")


@router.get(
    "checkout/quote", response=list[QuoteOut], summary="Freight per shop for my cart and an address"
)
def quote(request: HttpRequest, address_id: int):
    view = cart_view(cart_for_user(request.auth))
    address = selectors.addresses_of(request.auth).filter(pk=address_id).first()
    if address is None:
        raise Invalid(
            _("Choose one of your addresses."), fields={"address_id": [_("No such address.")]}
        )
    items = view.checkout_items()
    if not items:
        return []
    amounts = services.quote(address, clean_items(items))
    return [
        {
            "shop": g.shop.slug,
            "goods_minor": parcel.goods.minor,
            "freight_minor": parcel.freight.minor if parcel.freight is not None else None,
        }
        for g in view.groups
        if (parcel := amounts.for_shop(g.shop.pk)) is not None
    ]


# --- a buyer's orders ------------------------------------------------------------------------
@router.get("", response=list[OrderOut], summary="My orders, newest first")
def my_orders(request: HttpRequest, query: Query[ListQuery]):
    return _page(selectors.buyer_orders(request.auth, query.status), query)


@router.get("{int:order_id}", response=OrderOut, summary="One of my orders")
def my_order(request: HttpRequest, order_id: int):
    return selectors.buyer_order(request.auth, order_id)


@router.post("{int:order_id}/cancel", response=list[OrderOut], summary="Cancel an unpaid checkout")
def cancel(request: HttpRequest, order_id: int):
    closed = services.cancel_unpaid(buyer=request.auth, order_id=order_id)
    return selectors.buyer_orders_by_id(request.auth, [o.pk for o in closed])


@router.post("{int:order_id}/confirm", response=OrderOut, summary="Confirm receipt")
def confirm(request: HttpRequest, order_id: int):
    services.confirm_receipt(buyer=request.auth, order_id=order_id)
    return selectors.buyer_order(request.auth, order_id)


# --- shop staff ----------------------------------------------------------------------------------
@router.get(
    "shops/{slug}/orders",
    response=list[OrderOut],
    summary="My shop's orders (status: to_ship, shipped, …)",
)
def shop_orders(request: HttpRequest, slug: str, query: Query[ListQuery]):
    shop = shop_for_member(request.auth, slug)
    return _page(selectors.shop_orders(shop, query.status or "to_ship"), query)


@router.get(
    "shops/{slug}/orders/{int:order_id}", response=OrderOut, summary="One of my shop's orders"
)
def shop_order(request: HttpRequest, slug: str, order_id: int):
    return selectors.shop_order(shop_for_member(request.auth, slug), order_id)


@router.post(
    "shops/{slug}/orders/{int:order_id}/ship",
    response=OrderOut,
    summary="Ship with a tracking number",
)
def ship(request: HttpRequest, slug: str, order_id: int, payload: ShipIn):
    shop = shop_for_member(request.auth, slug)
    services.ship_order(
        shop=shop, order_id=order_id, carrier=payload.carrier, tracking_no=payload.tracking_no
    )
    return selectors.shop_order(shop, order_id)


@router.post(
    "shops/{slug}/orders/{int:order_id}/extend",
    response=OrderOut,
    summary="Extend auto-confirm once",
)
def extend(request: HttpRequest, slug: str, order_id: int):
    shop = shop_for_member(request.auth, slug)
    services.extend_auto_confirm(shop=shop, order_id=order_id)
    return selectors.shop_order(shop, order_id)


@router.post(
    "shops/{slug}/ship-batch", response=list[OrderOut], summary="Ship many from CSV, all or nothing"
)
def ship_batch(request: HttpRequest, slug: str, payload: BatchShipIn):
    shop = shop_for_member(request.auth, slug)
    shipped = services.ship_batch(shop=shop, csv_text=payload.csv)
    return [selectors.shop_order(shop, o.pk) for o in shipped]
