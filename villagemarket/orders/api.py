"""Orders API (mounted at /api/v1/orders/): addresses, checkout, a buyer's orders, shop staff's
orders."""

# No `from __future__ import annotations` here: ninja resolves string annotations in the
# decorator's module when an operation is wrapped (@idempotent), where these schemas are unknown.
from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StringConstraints

from villagemarket.accounts.auth import user_auth
from villagemarket.cart.selectors import cart_view
from villagemarket.cart.services import cart_for_user
from villagemarket.catalog.rules import Quantity
from villagemarket.core.errors import Invalid
from villagemarket.core.idempotency import idempotent
from villagemarket.core.pagination import PageNumber
from villagemarket.core.validation import DbId, Name, Text
from villagemarket.shops.models import Shop
from villagemarket.shops.permissions import shop_for_member

from . import selectors, services
from .device import device_id_of
from .services.checkout import clean_items

router = Router(tags=["orders"], auth=user_auth)


# --- schemas ---------------------------------------------------------------------------------
class AddressIn(Schema):
    region: str = Field(..., description="9-digit township code")
    detail: Name
    recipient: Name
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


class CheckoutItemIn(Schema):
    sku_id: DbId
    quantity: Quantity
    # Accepted so old clients do not break, and ignored: prices always come from the SKU.
    unit_price_minor: int | None = None


class CheckoutIn(Schema):
    address_id: DbId
    items: list[CheckoutItemIn] | None = Field(
        None, description="Omit to check out the selected lines of my cart"
    )
    notes: dict[str, Annotated[Text, StringConstraints(max_length=200)]] = Field(
        default_factory=dict, description="A note to the seller per shop, by shop slug"
    )


class OrderLineOut(Schema):
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
    courier_code: str | None = Field(
        None, description="the listed courier's code (null: shipped with an unlisted carrier)"
    )
    tracking_no: str
    delivered_at: datetime | None
    note_to_seller: str
    payment_id: str | None
    lines: list[OrderLineOut]

    @staticmethod
    def resolve_shop(obj) -> str:
        return obj.shop.slug

    @staticmethod
    def resolve_shop_name(obj) -> str:
        return obj.shop.name

    @staticmethod
    def resolve_courier_code(obj) -> str | None:
        return obj.courier.code if obj.courier_id else None

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


class ShipmentIn(Schema):
    carrier: Name = Field(
        ...,
        description="a courier code from GET /shipping/couriers (the number must fit its "
        "pattern), or an unlisted carrier's name",
    )
    tracking_no: Name


class BatchShipIn(Schema):
    csv: Text = Field(
        ..., description="order_id,carrier,tracking_no per line; a header line is optional"
    )


class OrderListQuery(Schema):
    status: Name = ""


# --- addresses -------------------------------------------------------------------------------
@router.get("addresses", response=list[AddressOut], summary="My address book")
@paginate(PageNumber)
def list_addresses(request: HttpRequest):
    return selectors.addresses_of(request.auth)


@router.post("addresses", response={201: AddressOut}, summary="Add an address")
@idempotent
def add_address(request: HttpRequest, payload: AddressIn):
    address = services.save_address(
        user=request.auth, region_code=payload.region, **payload.dict(exclude={"region"})
    )
    return Status(201, address)


@router.put("addresses/{int:address_id}", response=AddressOut, summary="Change one of my addresses")
def change_address(request: HttpRequest, address_id: DbId, payload: AddressIn):
    return services.save_address(
        user=request.auth,
        address_id=address_id,
        region_code=payload.region,
        **payload.dict(exclude={"region"}),
    )


@router.post(
    "addresses/{int:address_id}/default", response=AddressOut, summary="Make it my default address"
)
@idempotent
def default_address(request: HttpRequest, address_id: DbId):
    return services.set_default_address(user=request.auth, address_id=address_id)


@router.delete(
    "addresses/{int:address_id}", response={204: None}, summary="Delete one of my addresses"
)
def remove_address(request: HttpRequest, address_id: DbId):
    services.delete_address(user=request.auth, address_id=address_id)
    return Status(204, None)


# --- checkout ----------------------------------------------------------------------------------
def _notes_by_shop_id(notes: dict[str, str]) -> dict[int, str]:
    """The API names shops by slug; the service by id. An unknown slug is a 422 naming it."""
    ids = dict(Shop.objects.filter(slug__in=list(notes)).values_list("slug", "pk"))
    unknown = [slug for slug in notes if slug not in ids]
    if unknown:
        raise Invalid(
            _("A note names a shop that is not in the checkout."),
            fields={f"notes.{slug[:50]}": [_("No such shop.")] for slug in unknown[:10]},
        )
    return {ids[slug]: text for slug, text in notes.items()}


@router.post("checkout", response={201: CheckoutOut}, summary="Check out")
@idempotent
def checkout(request: HttpRequest, payload: CheckoutIn):
    """One Payment and one order per shop. Send `Idempotency-Key`: a retry with the same key and
    body replays the first answer (201, same body), also when `items` was omitted and the cart
    has since been emptied by the first call. Prices sent by the client are ignored. An app sends
    its install id as `X-Device-Id` (16-64 letters, digits, `-` or `_`; anti-brushing compares
    orders by it)."""
    if payload.items is None:
        items = cart_view(cart_for_user(request.auth)).checkout_items()
    else:
        items = [(item.sku_id, item.quantity) for item in payload.items]
    result = services.place_order(
        buyer=request.auth,
        address_id=payload.address_id,
        items=items,
        notes=_notes_by_shop_id(payload.notes),
        device_id=device_id_of(request),
    )
    body = {
        "payment_id": str(result.payment.public_id),
        "pay_url": reverse("payments:pay", args=[result.payment.public_id]),
        "total_minor": result.payment.amount_minor,
        "currency": result.payment.currency,
        "orders": result.orders,  # fresh orders come back complete (shop, payment, lines)
    }
    return Status(201, body)


class CheckoutQuoteOut(Schema):
    shop: str
    goods_minor: int
    freight_minor: int | None = Field(None, description="null when the shop does not deliver there")


@router.get(
    "checkout/quote",
    response=list[CheckoutQuoteOut],
    summary="Freight per shop for my cart and an address",
)
def quote(request: HttpRequest, address_id: DbId):
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
@paginate(PageNumber)
def my_orders(request: HttpRequest, query: Query[OrderListQuery]):
    return selectors.buyer_orders(request.auth, query.status)


@router.get("{int:order_id}", response=OrderOut, summary="One of my orders")
def my_order(request: HttpRequest, order_id: DbId):
    return selectors.buyer_order(request.auth, order_id)


@router.post("{int:order_id}/cancel", response=list[OrderOut], summary="Cancel an unpaid checkout")
@idempotent
def cancel(request: HttpRequest, order_id: DbId):
    closed = services.cancel_unpaid(buyer=request.auth, order_id=order_id)
    return selectors.buyer_orders_by_id(request.auth, [o.pk for o in closed])


@router.post("{int:order_id}/confirm", response=OrderOut, summary="Confirm receipt")
@idempotent
def confirm(request: HttpRequest, order_id: DbId):
    services.confirm_receipt(buyer=request.auth, order_id=order_id)
    return selectors.buyer_order(request.auth, order_id)


# --- shop staff ----------------------------------------------------------------------------------
@router.get(
    "shops/{slug}/orders",
    response=list[OrderOut],
    summary="My shop's orders (status: to_ship, shipped, …)",
)
@paginate(PageNumber)
def shop_orders(request: HttpRequest, slug: str, query: Query[OrderListQuery]):
    shop = shop_for_member(request.auth, slug)
    return selectors.shop_orders(shop, query.status or "to_ship")


@router.get(
    "shops/{slug}/orders/{int:order_id}", response=OrderOut, summary="One of my shop's orders"
)
def shop_order(request: HttpRequest, slug: str, order_id: DbId):
    return selectors.shop_order(shop_for_member(request.auth, slug), order_id)


@router.post(
    "shops/{slug}/orders/{int:order_id}/ship",
    response=OrderOut,
    summary="Ship with a tracking number",
)
@idempotent
def ship(request: HttpRequest, slug: str, order_id: DbId, payload: ShipmentIn):
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
@idempotent
def extend(request: HttpRequest, slug: str, order_id: DbId):
    shop = shop_for_member(request.auth, slug)
    services.extend_auto_confirm(shop=shop, order_id=order_id)
    return selectors.shop_order(shop, order_id)


@router.post(
    "shops/{slug}/ship-batch", response=list[OrderOut], summary="Ship many from CSV, all or nothing"
)
@idempotent
def ship_batch(request: HttpRequest, slug: str, payload: BatchShipIn):
    shop = shop_for_member(request.auth, slug)
    shipped = services.ship_batch(shop=shop, csv_text=payload.csv)
    return [selectors.shop_order(shop, o.pk) for o in shipped]


# Refunds and disputes live in their own module (this one is long enough); same /orders/ prefix.
from .refunds_api import router as refunds_router  # noqa: E402

router.add_router("", refunds_router)
