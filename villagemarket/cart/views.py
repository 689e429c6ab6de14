"""Cart pages: the cart updates in place with htmx and works without JavaScript too."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from villagemarket.core.errors import DomainError, NotFound

from . import selectors, services
from .models import SESSION_KEY, Cart


def current_cart(request, *, create: bool = False) -> Cart | None:
    """The signed-in buyer's cart, or the anonymous session's cart (a DB row found by a token in
    the session)."""
    if request.user.is_authenticated:
        return services.cart_for_user(request.user)
    token = request.session.get(SESSION_KEY)
    cart = Cart.objects.filter(token=token, user__isnull=True).first() if token else None
    if cart is None and create:
        cart = Cart.objects.create()
        request.session[SESSION_KEY] = str(cart.token)
    return cart


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _render_cart(request, error: str = "", status: int = 200):
    context = {"view": selectors.cart_view(current_cart(request)), "error": error}
    template = "cart/_cart.html" if request.htmx else "cart/cart.html"
    return render(request, template, context, status=status)


@require_GET
def cart_page(request):
    return _render_cart(request)


@require_POST
def add(request):
    """Add from a product page; back to where the buyer was (or the cart)."""
    quantity = _int(request.POST.get("quantity", "1"))
    try:
        services.add_to_cart(
            cart=current_cart(request, create=True),
            sku_id=request.POST.get("sku_id", ""),
            quantity=quantity if quantity is not None else -1,
        )
    except DomainError as exc:
        if request.htmx:
            return render(request, "cart/_added.html", {"error": exc.message}, status=200)
        messages.error(request, exc.message)
    else:
        if request.htmx:
            return render(
                request, "cart/_added.html", {"view": selectors.cart_view(current_cart(request))}
            )
        messages.success(request, _("Added to your cart."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("cart:view")


@require_POST
def update_line(request, sku_id: int):
    """Change a line's quantity (0 or the remove button takes it out) and whether it is ticked
    for checkout (the form's `selection` marker says the checkbox was on the form: an unticked
    checkbox sends nothing)."""
    cart = current_cart(request)
    quantity = 0 if "remove" in request.POST else _int(request.POST.get("quantity"))
    error = ""
    try:
        if cart is None:
            raise NotFound(_("This item is not in the cart."))
        if "selection" in request.POST and quantity != 0:
            services.select_lines(
                cart=cart, sku_ids=[sku_id], selected=request.POST.get("selected") == "1"
            )
        services.set_quantity(
            cart=cart, sku_id=sku_id, quantity=quantity if quantity is not None else -1
        )
    except DomainError as exc:
        error = exc.message
        if not request.htmx:
            messages.error(request, error)
    if request.htmx:
        return _render_cart(request, error=error)
    return redirect("cart:view")


@require_POST
def select_all(request):
    """Tick every line for checkout (selected=1) or none (selected=0)."""
    cart = current_cart(request)
    if cart is not None:
        services.select_lines(cart=cart, selected=request.POST.get("selected") == "1")
    if request.htmx:
        return _render_cart(request)
    return redirect("cart:view")
