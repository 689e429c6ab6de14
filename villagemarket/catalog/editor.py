"""The product editor's specification/matrix form: POST fields <-> set_sku_matrix's input.

Works without JavaScript: the seller types values separated by commas, presses "Update table"
(the page comes back with a row per combination, typed cells kept) and "Save variants".
catalog/static/catalog/editor.js turns the values into chips and rebuilds the table as they
type, with the same field names, so both paths post the same form.

Fields: `spec_name` / `spec_values` (MAX_SPECS slots each), and per row j `row-j-options` (the
combination as JSON), `row-j-price` (yuan, as typed), `row-j-stock`, `row-j-code`,
`row-j-image`, `row-j-expected` (the stock the page showed: see services/matrix.py).
"""

from __future__ import annotations

import json
import re

from django.utils.translation import gettext as _

from villagemarket.core.errors import Invalid
from villagemarket.core.money import Money

from . import matrix, rules

VALUE_SEPARATORS = re.compile(r"[,，、;；\n]+")


def specs_from_post(post) -> list[dict]:
    """Specifications as typed (not yet validated): empty slots are skipped."""
    names = post.getlist("spec_name")
    values = post.getlist("spec_values")
    specs = []
    for name, text in zip(names, values, strict=False):
        items = [v.strip() for v in VALUE_SEPARATORS.split(text or "") if v.strip()]
        if (name or "").strip() or items:
            specs.append({"name": (name or "").strip(), "values": items})
    return specs


def _posted_rows(post) -> dict[tuple, dict]:
    """Cells typed in the table, by combination, so a rebuilt table keeps them."""
    typed: dict[tuple, dict] = {}
    for key in post:
        m = re.fullmatch(r"row-(\d{1,3})-options", key)
        if not m:
            continue
        try:
            options = json.loads(post[key])
        except ValueError:
            continue
        if not isinstance(options, dict):
            continue
        j = m.group(1)
        typed[matrix.options_key(options)] = {
            name: post.get(f"row-{j}-{name}", "")
            for name in ("price", "stock", "code", "image", "expected", "weight")
        }
    return typed


def table_rows(product, specs: list[dict], post=None, fill: dict | None = None) -> list[dict]:
    """A row per combination for the template: cells from the post (typed), else from the SKU
    of that combination, else from `fill` (the "fill all" values), else empty."""
    # The SKU of each combination; an active one wins over an old inactive twin.
    by_options = {}
    for sku in sorted(product.skus.all(), key=lambda s: s.is_active):
        by_options[matrix.options_key(sku.options)] = sku
    typed = _posted_rows(post) if post is not None else {}
    rows = []
    for j, options in enumerate(matrix.combinations(specs)):
        key = matrix.options_key(options)
        sku = by_options.get(key)
        cells = typed.get(key)
        if cells is None and sku is not None:
            cells = {
                "price": str(sku.price.amount),
                "stock": str(sku.stock),
                "code": sku.code,
                "image": str(sku.image_id or ""),
                "expected": str(sku.stock),
                "weight": str(sku.weight_grams),
            }
        cells = dict(
            cells or dict.fromkeys(("price", "stock", "code", "image", "expected", "weight"), "")
        )
        for name, value in (fill or {}).items():
            if value not in (None, ""):
                cells[name] = value
        rows.append(
            {
                "index": j,
                "options": options,
                "options_json": json.dumps(options, ensure_ascii=False),
                "label": " / ".join(options.values()) or _("single variant"),
                "is_new": sku is None or not sku.is_active,
                "errors": [],
                **cells,
            }
        )
    return rows


def service_rows(rows: list[dict], currency: str) -> list[dict]:
    """The table's rows as set_sku_matrix wants them; Invalid names `rows.j.<field>`."""
    out, errors = [], {}
    for row in rows:
        j = row["index"]
        item: dict = {"options": row["options"], "code": row["code"]}
        try:
            item["price_minor"] = rules.parse_price(
                row["price"], currency, field=f"rows.{j}.price_minor"
            ).minor
        except Invalid as exc:
            errors.update(exc.fields)
        for name, target in (("stock", "stock"), ("expected", "expected_stock")):
            if row[name] in ("", None) and name == "expected":
                continue
            try:
                item[target] = rules.parse_stock(row[name], field=f"rows.{j}.{target}")
            except Invalid as exc:
                errors.update(exc.fields)
        if row.get("weight"):
            try:
                item["weight_grams"] = rules.parse_weight(
                    row["weight"], field=f"rows.{j}.weight_grams"
                )
            except Invalid as exc:
                errors.update(exc.fields)
        if row["image"]:
            try:
                item["image_id"] = int(row["image"])
            except ValueError:
                errors[f"rows.{j}.image_id"] = [_("not a photo of this product")]
        out.append(item)
    if errors:
        raise Invalid(_("Please correct the marked rows."), fields=errors)
    return out


def attach_errors(rows: list[dict], fields: dict) -> list[str]:
    """Put `rows.j.*` errors on their rows; return the others (specs, rows) as messages."""
    others = []
    for key, messages in fields.items():
        m = re.fullmatch(r"rows\.(\d+)\.(\w+)", key)
        if m and int(m.group(1)) < len(rows):
            rows[int(m.group(1))]["errors"] += [
                f"{_field_label(m.group(2))}: {msg}" for msg in messages
            ]
        else:
            others += [f"{_field_label(key)}: {msg}" for msg in messages]
    return others


def _field_label(name: str) -> str:
    labels = {
        "price_minor": _("price"),
        "stock": _("stock"),
        "expected_stock": _("stock"),
        "code": _("code"),
        "image_id": _("photo"),
        "weight_grams": _("weight"),
        "options": _("combination"),
        "specs": _("specifications"),
        "rows": _("table"),
    }
    m = re.fullmatch(r"specs\.(\d+)\.(name|values)", name)
    if m:
        what = _("name") if m.group(2) == "name" else _("values")
        return _("specification %(n)d %(what)s") % {"n": int(m.group(1)) + 1, "what": what}
    return labels.get(name, name)


def fill_values(post) -> dict:
    return {name: post.get(f"fill_{name}", "").strip() for name in ("price", "stock", "weight")}


def script_labels() -> dict[str, str]:
    """The editor script's words, translated on the server (the script has no catalogue)."""
    return {
        "bold": _("Bold"),
        "italic": _("Italic"),
        "heading": _("Heading"),
        "bullets": _("List"),
        "numbers": _("Numbered list"),
        "link": _("Link"),
        "link_prompt": _("Web address (https://…)"),
        "remove": _("Remove"),
        "search": _("Search categories"),
        "no_match": _("No category matches."),
        "single": _("single variant"),
        "too_many": _("Too many combinations: at most 200."),
    }


def price_text(minor: int, currency: str = "CNY") -> str:
    return str(Money(minor, currency).amount)
