"""Seller-center order pages: tabs to ship / shipped / completed / closed, CSV export, packing slip,
ship one, extend auto-confirm, batch ship from a CSV upload."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from villagemarket.core.errors import DomainError
from villagemarket.core.exports import CSV_CONTENT_TYPE, csv_lines
from villagemarket.core.forms import apply_domain_error
from villagemarket.shipping.couriers import active_couriers
from villagemarket.shops.permissions import shop_member_required

from . import selectors, services
from .forms import BatchShipForm, ShipForm
from .states import allowed_events

MAX_UPLOAD_BYTES = 1024 * 1024


def _order_or_404(request, pk: int):
    try:
        return selectors.shop_order(request.shop, pk)
    except DomainError as exc:
        raise Http404(exc.message) from exc


@shop_member_required()
def order_list(request):
    tab = request.GET.get("tab", "to_ship")
    tab = tab if tab in selectors.SELLER_TABS else "to_ship"
    page = Paginator(selectors.shop_orders(request.shop, tab), 30).get_page(request.GET.get("page"))
    tabs = [(key, label) for key, (label, _statuses) in selectors.SELLER_TABS.items()]
    return render(
        request,
        "orders/seller/list.html",
        {"shop": request.shop, "page": page, "tab": tab, "tabs": tabs},
    )


HEADER = [
    "order_id",
    "status",
    "created_at",
    "paid_at",
    "recipient",
    "mobile",
    "region",
    "address",
    "product",
    "variant",
    "unit_price",
    "quantity",
    "line_total",
    "freight",
    "order_total",
    "carrier",
    "tracking_no",
    "note_to_seller",
]


def _export_rows(orders):
    for order in orders.iterator(chunk_size=200):
        for line in order.lines.all():
            yield [
                order.pk,
                order.status,
                timezone.localtime(order.created_at).isoformat(timespec="seconds"),
                timezone.localtime(order.paid_at).isoformat(timespec="seconds")
                if order.paid_at
                else "",
                order.recipient,
                order.mobile,
                order.region_label,
                order.address_detail,
                line.product_title,
                line.variant_label,
                line.unit_price.amount,
                line.quantity,
                line.line_total.amount,
                order.freight.amount,
                order.total.amount,
                order.carrier,
                order.tracking_no,
                order.note_to_seller,
            ]


@shop_member_required()
def export_csv(request):
    """The tab's orders as CSV (one row per line), streamed so a big shop does not fill memory;
    core.exports neutralises formula-looking cells."""
    tab = request.GET.get("tab", "all")
    orders = selectors.shop_orders(request.shop, tab if tab in selectors.SELLER_TABS else "all")
    response = StreamingHttpResponse(
        csv_lines(HEADER, _export_rows(orders)), content_type=CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="orders-{request.shop.slug}-{tab}.csv"'
    return response


@shop_member_required()
def order_detail(request, pk: int):
    order = _order_or_404(request, pk)
    return render(
        request,
        "orders/seller/detail.html",
        {
            "shop": request.shop,
            "order": order,
            "timeline": selectors.timeline(order),
            "events": allowed_events(order.status),
            "form": ShipForm(),
        },
    )


@shop_member_required()
def packing_slip(request, pk: int):
    return render(
        request,
        "orders/seller/slip.html",
        {"shop": request.shop, "order": _order_or_404(request, pk)},
    )


@shop_member_required()
@require_POST
def ship(request, pk: int):
    form = ShipForm(request.POST)
    order = _order_or_404(request, pk)
    if form.is_valid():
        try:
            services.ship_order(shop=request.shop, order_id=pk, **form.shipment())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Order #%(id)d shipped.") % {"id": pk})
            return redirect("seller_orders:list", shop_slug=request.shop.slug)
    return render(
        request,
        "orders/seller/detail.html",
        {
            "shop": request.shop,
            "order": order,
            "timeline": selectors.timeline(order),
            "events": allowed_events(order.status),
            "form": form,
        },
        status=422,
    )


@shop_member_required()
@require_POST
def extend(request, pk: int):
    _order_or_404(request, pk)
    try:
        services.extend_auto_confirm(shop=request.shop, order_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The buyer has more time before the order completes automatically.")
        )
    return redirect("seller_orders:detail", shop_slug=request.shop.slug, pk=pk)


@shop_member_required()
@require_http_methods(["GET", "POST"])
def batch_ship(request):
    """Upload order_id,carrier,tracking_no rows: every order ships, or none and the bad rows are
    listed."""
    form = BatchShipForm(request.POST or None, request.FILES or None)
    row_errors: dict = {}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("The file is larger than 1 MB."))
        else:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", _("Save the file as UTF-8 CSV."))
            else:
                try:
                    shipped = services.ship_batch(shop=request.shop, csv_text=text)
                except DomainError as exc:
                    row_errors = exc.fields
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("%(n)d orders shipped.") % {"n": len(shipped)})
                    return redirect("seller_orders:list", shop_slug=request.shop.slug)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "orders/seller/batch.html",
        {
            "shop": request.shop,
            "form": form,
            "row_errors": row_errors,
            "couriers": active_couriers(),
        },
        status=status,
    )
