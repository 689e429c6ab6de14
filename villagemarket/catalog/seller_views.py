"""Seller-center product pages: list, create, edit (fields, variants, images), publish, stock.

Thin: a form shapes the input, one service call decides, domain errors go back onto the form or
into a message. shop_member_required answers 404 to anyone not on the shop's staff.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from villagemarket.core.errors import DomainError
from villagemarket.core.forms import apply_domain_error, message_domain_error
from villagemarket.shops.permissions import shop_member_required

from . import editor, matrix, rules, selectors, services
from .forms import ListFilterForm, NewProductForm, ProductForm, StockForm, VariantForm
from .views_storefront import _variant_data

PRODUCT_FIELDS = (
    "title",
    "title_en",
    "category",
    "household",
    "description",
    "is_perishable",
    "is_custom_made",
    "returns_7day",
    "low_stock_threshold",
)
VARIANT_FIELDS = ("options", "price", "stock", "weight_grams")


def _product_or_404(request: HttpRequest, pk: int):
    product = selectors.seller_product(request.shop, pk)
    if product is None:
        raise Http404
    return product


def _to_edit(shop, pk: int) -> HttpResponse:
    return redirect("seller_products:edit", shop_slug=shop.slug, pk=pk)


def _pick(data: dict, names) -> dict:
    return {k: data[k] for k in names if k in data}


@shop_member_required()
def product_list(request: HttpRequest) -> HttpResponse:
    """Every product of the shop with status, price range, total stock and a low-stock marker."""
    filters = ListFilterForm(request.GET or None)
    status = q = ""
    if filters.is_valid():
        status, q = filters.cleaned_data["status"], filters.cleaned_data["q"]
    page = Paginator(selectors.seller_products(request.shop, status=status, q=q), 30).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)  # evaluated once, so the labels below stick
    for product in page.object_list:
        product.price_range = rules.price_range_label(
            product.low_price, product.high_price, product.currency
        )
    return render(
        request,
        "catalog/seller/list.html",
        {
            "shop": request.shop,
            "page": page,
            "filters": filters,
        },
    )


@shop_member_required()
@require_http_methods(["GET", "POST"])
def product_create(request: HttpRequest) -> HttpResponse:
    """A new draft with its first variant."""
    form = NewProductForm(request.POST or None, shop=request.shop)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            product = services.create_product(
                request.user,
                request.shop,
                _pick(data, PRODUCT_FIELDS),
                skus=[_pick(data, VARIANT_FIELDS)],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Draft saved. Add photos, then publish it."))
            return _to_edit(request.shop, product.pk)
    return render(
        request,
        "catalog/seller/create.html",
        {"shop": request.shop, "form": form, "editor_labels": editor.script_labels()},
    )


def _product_initial(product) -> dict:
    return {name: getattr(product, name) for name in PRODUCT_FIELDS if name != "household"} | {
        "household": product.household_id
    }


@shop_member_required()
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Fields, variants and images; each form posts an `action` to this same page."""
    product = _product_or_404(request, pk)
    form = ProductForm(initial=_product_initial(product), shop=request.shop)
    variant_form = VariantForm()
    grid = None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        handler = EDIT_ACTIONS.get(action)
        if handler is None:
            raise Http404
        result = handler(request, product)
        if isinstance(result, HttpResponse):
            return result
        if action == "save":
            form = result
        elif action == "add_sku":
            variant_form = result
        elif action.startswith("matrix"):
            grid = result
        product = _product_or_404(request, pk)
    if grid is None:
        specs = selectors.product_specs(product)
        grid = {"specs": specs, "rows": editor.table_rows(product, specs), "errors": []}
    return render(
        request,
        "catalog/seller/edit.html",
        {
            "shop": request.shop,
            "product": product,
            "form": form,
            "variant_form": variant_form,
            "grid": grid,
            "spec_slots": _spec_slots(grid["specs"]),
            "images": list(product.images.all()),
            "editor_labels": editor.script_labels(),
            "max_images": rules.MAX_IMAGES,
            "options_text": rules.options_text,
        },
    )


def _spec_slots(specs: list[dict]) -> list[dict]:
    """MAX_SPECS name/values inputs, the used ones first (no-JS sellers fill the empty ones)."""
    slots = [{"name": s["name"], "values": ", ".join(s["values"])} for s in specs]
    return slots + [{"name": "", "values": ""}] * (matrix.MAX_SPECS - len(slots))


def _matrix(request, product):
    """Save the specifications and the table (action "matrix"), or only rebuild the table for
    changed specifications ("matrix_table") or fill every row ("matrix_fill")."""
    action = request.POST.get("action")
    specs = editor.specs_from_post(request.POST)
    errors: list[str] = []
    try:
        specs = matrix.clean_specs(specs)
    except DomainError as exc:
        return {"specs": specs, "rows": [], "errors": editor.attach_errors([], exc.fields)}
    fill = editor.fill_values(request.POST) if action == "matrix_fill" else None
    rows = editor.table_rows(product, specs, request.POST, fill)
    if action != "matrix":
        return {"specs": specs, "rows": rows, "errors": errors}
    try:
        services.set_sku_matrix(
            request.user, product.pk, specs, editor.service_rows(rows, product.currency)
        )
    except DomainError as exc:
        errors = editor.attach_errors(rows, exc.fields) or [exc.message]
        return {"specs": specs, "rows": rows, "errors": errors}
    messages.success(request, _("Variants saved."))
    return _to_edit(request.shop, product.pk)


def _save_fields(request, product):
    form = ProductForm(request.POST, shop=request.shop)
    if form.is_valid():
        try:
            services.update_product(
                request.user, product.pk, _pick(form.cleaned_data, PRODUCT_FIELDS)
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return _to_edit(request.shop, product.pk)
    return form


def _add_sku(request, product):
    form = VariantForm(request.POST)
    if form.is_valid():
        try:
            services.add_sku(request.user, product.pk, _pick(form.cleaned_data, VARIANT_FIELDS))
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Variant added."))
            return _to_edit(request.shop, product.pk)
    return form


def _sku_id(request) -> int:
    try:
        return int(request.POST.get("sku", ""))
    except ValueError:
        raise Http404 from None


def _update_sku(request, product):
    data = {k: request.POST.get(k, "") for k in ("options", "price", "weight_grams")}
    data["is_active"] = request.POST.get("is_active") == "on"
    return _run(
        request, product, services.update_sku, _sku_id(request), data, ok=_("Variant saved.")
    )


def _remove_sku(request, product):
    return _run(request, product, services.remove_sku, _sku_id(request), ok=_("Variant removed."))


def _add_image(request, product):
    upload = request.FILES.get("image")
    if upload is None:
        messages.error(request, _("Choose an image file."))
        return _to_edit(request.shop, product.pk)
    return _run(
        request,
        product,
        services.add_image,
        upload,
        ok=_("Image added."),
        alt=request.POST.get("alt", ""),
    )


def _add_images(request, product):
    uploads = request.FILES.getlist("images")
    if not uploads:
        messages.error(request, _("Choose at least one photo."))
        return _to_edit(request.shop, product.pk)
    n = len(uploads)
    ok = ngettext("%(n)d photo added.", "%(n)d photos added.", n) % {"n": n}
    return _run(request, product, services.add_images, uploads, ok=ok)


def _main_image(request, product):
    try:
        image_id = int(request.POST.get("image", ""))
    except ValueError:
        raise Http404 from None
    return _run(request, product, services.set_main_image, image_id, ok=_("Main photo chosen."))


def _reorder_images(request, product):
    """The editor script posts the dragged order as comma-separated ids."""
    ids = [part for part in request.POST.get("order", "").split(",") if part.strip()]
    return _run(request, product, services.reorder_images, ids, ok=_("Images reordered."))


def _copy(request, product):
    try:
        copy = services.copy_product(request.user, product.pk)
    except DomainError as exc:
        message_domain_error(request, exc)
        return _to_edit(request.shop, product.pk)
    messages.success(request, _("This is a copy (a draft). Change what differs, then publish."))
    return _to_edit(request.shop, copy.pk)


def _remove_image(request, product):
    try:
        image_id = int(request.POST.get("image", ""))
    except ValueError:
        raise Http404 from None
    return _run(request, product, services.remove_image, image_id, ok=_("Image removed."))


def _move_image(request, product):
    ids = [img.pk for img in product.images.all()]
    try:
        image_id, step = int(request.POST.get("image", "")), int(request.POST.get("step", "0"))
        i = ids.index(image_id)
    except ValueError:
        raise Http404 from None
    j = max(0, min(len(ids) - 1, i + step))
    ids[i], ids[j] = ids[j], ids[i]
    return _run(request, product, services.reorder_images, ids, ok=_("Images reordered."))


def _run(request, product, service, *args, ok: str, **kwargs) -> HttpResponse:
    """Call a service; success or the domain error becomes a message; back to the edit page."""
    try:
        service(request.user, product.pk, *args, **kwargs)
    except DomainError as exc:
        message_domain_error(request, exc)
    else:
        messages.success(request, ok)
    return _to_edit(request.shop, product.pk)


EDIT_ACTIONS = {
    "save": _save_fields,
    "add_sku": _add_sku,
    "update_sku": _update_sku,
    "remove_sku": _remove_sku,
    "add_image": _add_image,
    "remove_image": _remove_image,
    "move_image": _move_image,
    "add_images": _add_images,
    "main_image": _main_image,
    "reorder_images": _reorder_images,
    "copy": _copy,
    "matrix": _matrix,
    "matrix_table": _matrix,
    "matrix_fill": _matrix,
}


@shop_member_required()
@require_GET
def product_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The product page as buyers will see it, for the shop's staff, in any status (marked
    "preview"; not indexed). Others get 404 from shop_member_required."""
    product = _product_or_404(request, pk)
    skus = [s for s in product.skus.all() if s.is_active]
    groups, sku_data = _variant_data(skus)
    first = next((s for s in skus if s.stock > 0), skus[0] if skus else None)
    attributes = product.attributes if isinstance(product.attributes, dict) else {}
    context = {
        "product": product,
        "images": list(product.images.all()),
        "skus": skus,
        "first_sku": first,
        "option_groups": groups,
        "sku_data": sku_data,
        "attributes": list(attributes.items()),
        "preview": True,
    }
    response = render(request, "catalog/storefront/product.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@shop_member_required()
@require_POST
def product_publish(request: HttpRequest, pk: int) -> HttpResponse:
    product = _product_or_404(request, pk)
    ok = (
        _("Published.")
        if request.shop.is_active
        else _("Published. Buyers will see it once the shop is approved.")
    )
    return _run(request, product, services.publish_product, ok=ok)


@shop_member_required()
@require_POST
def product_delist(request: HttpRequest, pk: int) -> HttpResponse:
    product = _product_or_404(request, pk)
    return _run(request, product, services.delist_product, ok=_("Delisted."))


@shop_member_required()
@require_http_methods(["GET", "POST"])
def product_stock(request: HttpRequest, pk: int) -> HttpResponse:
    """Adjust stock per variant; with htmx only the changed row comes back."""
    product = _product_or_404(request, pk)
    if request.method == "GET":
        return render(
            request,
            "catalog/seller/stock.html",
            {"shop": request.shop, "product": product, "form": StockForm()},
        )
    sku = next((s for s in product.skus.all() if str(s.pk) == request.POST.get("sku")), None)
    if sku is None:
        raise Http404
    form, error = StockForm(request.POST), ""
    if form.is_valid():
        mode, amount = form.cleaned_data["mode"], form.cleaned_data["amount"]
        try:
            sku = services.adjust_stock(
                request.user,
                product.pk,
                sku.pk,
                **({"delta": amount} if mode == "delta" else {"set_to": amount}),
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = _("Enter a whole number.")
    if request.htmx:
        return render(
            request,
            "catalog/seller/_stock_row.html",
            {
                "shop": request.shop,
                "product": product,
                "sku": sku,
                "form": StockForm(),
                "error": error,
            },
            status=200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Stock updated."))
    return redirect("seller_products:stock", shop_slug=request.shop.slug, pk=product.pk)
