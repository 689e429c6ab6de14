"""Cart API (mounted at /api/v1/cart/): the signed-in buyer's cart, every action the page has."""

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from villagemarket.accounts.auth import user_auth
from villagemarket.catalog.rules import Quantity, QuantityOrZero
from villagemarket.core.idempotency import idempotent
from villagemarket.core.validation import DbId

from . import selectors, services
from .selectors import CartView

router = Router(tags=["cart"], auth=user_auth)


class CartShopOut(Schema):
    slug: str
    name: str


class CartLineOut(Schema):
    sku_id: int
    product_id: int
    title: str
    variant: str
    quantity: int
    unit_price_minor: int
    price_when_added_minor: int
    price_when_added_currency: str
    price_changed: bool
    line_total_minor: int
    stock: int
    problem: str
    selected: bool


class CartGroupOut(Schema):
    shop: CartShopOut
    lines: list[CartLineOut]
    subtotal_minor: int


class CartOut(Schema):
    groups: list[CartGroupOut]
    count: int
    total_minor: int
    currency: str
    has_problems: bool


class CartLineIn(Schema):
    sku_id: DbId
    quantity: Quantity = 1


class CartQuantityIn(Schema):
    quantity: QuantityOrZero


class CartSelectionIn(Schema):
    selected: bool = Field(..., description="Tick (true) or untick (false) for checkout")
    sku_ids: list[DbId] | None = Field(
        None, description="The lines to change; omit for every line of the cart"
    )


def cart_payload(view: CartView) -> dict:
    """The cart as the API shows it; problems (delisted, sold out, price changed) are listed, not
    hidden."""
    return {
        "groups": [
            {
                "shop": {"slug": g.shop.slug, "name": g.shop.name},
                "subtotal_minor": g.subtotal.minor,
                "lines": [
                    {
                        "sku_id": lv.line.sku_id,
                        "product_id": lv.product.pk,
                        "title": lv.product.title,
                        "variant": lv.sku.options_label,
                        "quantity": lv.line.quantity,
                        "unit_price_minor": lv.price.minor,
                        "price_when_added_minor": lv.line.price_when_added_minor,
                        "price_when_added_currency": lv.line.price_when_added_currency,
                        "price_changed": lv.old_price is not None,
                        "line_total_minor": lv.total.minor,
                        "stock": lv.sku.stock,
                        "problem": lv.problem,
                        "selected": lv.selected,
                    }
                    for lv in g.lines
                ],
            }
            for g in view.groups
        ],
        "count": view.count,
        "total_minor": view.total.minor,
        "currency": view.total.currency,
        "has_problems": view.has_problems,
    }


def _mine(request: HttpRequest):
    return services.cart_for_user(request.auth)


@router.get("", response=CartOut, summary="My cart, grouped by shop")
def get_cart(request: HttpRequest):
    return cart_payload(selectors.cart_view(_mine(request)))


@router.post("lines", response={201: CartOut}, summary="Add units of a SKU (limited by stock)")
@idempotent
def add_line(request: HttpRequest, payload: CartLineIn):
    cart = _mine(request)
    services.add_to_cart(cart=cart, sku_id=payload.sku_id, quantity=payload.quantity)
    return Status(201, cart_payload(selectors.cart_view(cart)))


@router.put("lines/{int:sku_id}", response=CartOut, summary="Set a line's quantity (0 removes it)")
def set_line(request: HttpRequest, sku_id: DbId, payload: CartQuantityIn):
    cart = _mine(request)
    services.set_quantity(cart=cart, sku_id=sku_id, quantity=payload.quantity)
    return cart_payload(selectors.cart_view(cart))


@router.post(
    "selection",
    response=CartOut,
    summary="Tick lines for checkout (a checkout without items buys the ticked lines only)",
)
@idempotent
def select(request: HttpRequest, payload: CartSelectionIn):
    cart = _mine(request)
    services.select_lines(cart=cart, selected=payload.selected, sku_ids=payload.sku_ids)
    return cart_payload(selectors.cart_view(cart))


@router.delete("lines/{int:sku_id}", response=CartOut, summary="Remove a line")
def delete_line(request: HttpRequest, sku_id: DbId):
    cart = _mine(request)
    services.remove_line(cart=cart, sku_id=sku_id)
    return cart_payload(selectors.cart_view(cart))


@router.delete("", response=CartOut, summary="Empty my cart")
def clear(request: HttpRequest):
    cart = _mine(request)
    services.clear_cart(cart=cart)
    return cart_payload(selectors.cart_view(cart))
