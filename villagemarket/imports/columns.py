"""The product file format (pure, no ORM): its columns, its limits, and one row's cells checked
with the catalog's own rules. See docs/imports.md for the format column by column.

A file has one row per SKU; the product columns repeat on each row of a product (the first row
of a product decides, later rows may leave them blank). Row numbers are the spreadsheet's:
the header is row 1, the first product row is row 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from villagemarket.catalog import rules as catalog_rules
from villagemarket.core.errors import Invalid
from villagemarket.core.exports import FORMULA_STARTS

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5_000
MAX_CELL_CHARS = catalog_rules.MAX_DESCRIPTION  # the longest cell a product can use
MAX_ERRORS = 200  # listed; the count says how many more there were
INLINE_ROWS = 200  # files up to this many rows are imported during the upload request
MAX_SPECS = 3
MAX_REF = 80

SPEC_COLUMNS = [
    name for i in range(1, MAX_SPECS + 1) for name in (f"spec{i}_name", f"spec{i}_value")
]
COLUMNS = [
    "product_ref",
    "title",
    "title_en",
    "category",
    "household",
    "description",
    "status",
    "low_stock_threshold",
    *SPEC_COLUMNS,
    "sku_code",
    "price",
    "stock",
    "weight_grams",
    "image_urls",
]
REQUIRED = ("product_ref", "title", "category", "price", "stock")
EXPORT_ONLY = ("image_urls",)
PRODUCT_COLUMNS = (
    "title",
    "title_en",
    "category",
    "household",
    "description",
    "status",
    "low_stock_threshold",
)
STATUSES = ("draft", "published", "delisted", "held")


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Row:
    """One checked row: the product's columns as given (only those present in the file) and
    its SKU (options in column order, price in minor units)."""

    number: int
    ref: str
    product: dict = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)
    sku: dict | None = None  # None: a product row without variants


def undo_safe_cell(text: str) -> str:
    """The inverse of core.exports.safe_cell: our exports put an apostrophe before text that
    looks like a formula; a file that comes back has it removed, so a round trip keeps the text."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def check_header(header: list[str]) -> list[RowError]:
    """Unknown, repeated or missing columns, each named (row 1)."""
    errors = []
    seen = set()
    for name in header:
        if name in seen:
            errors.append(RowError(1, name, _("this column appears twice")))
        elif name and name not in COLUMNS:
            errors.append(RowError(1, name, _("unknown column (see the template)")))
        seen.add(name)
    for name in REQUIRED:
        if name not in seen:
            errors.append(RowError(1, name, _("required column is missing")))
    return errors


def _invalid_message(exc: Invalid) -> str:
    for messages in (exc.fields or {}).values():
        if messages:
            return str(messages[0])
    return exc.message


def parse_row(number: int, cells: dict[str, str]) -> tuple[Row | None, list[RowError]]:
    """Check one row's cells (already text, stripped). Product-level cells are checked here
    with the catalog's rules; references (category, product, household) are resolved later."""
    errors: list[RowError] = []

    def fail(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    for name, value in cells.items():
        if len(value) > MAX_CELL_CHARS:
            fail(name, _("at most %(max)d characters") % {"max": MAX_CELL_CHARS})
    if errors:
        return None, errors
    ref = cells.get("product_ref", "")
    if len(ref) > MAX_REF:
        fail("product_ref", _("at most %(max)d characters") % {"max": MAX_REF})
    product: dict = {}
    for name in PRODUCT_COLUMNS:
        if name in cells and cells[name] != "":
            product[name] = cells[name]
    checks = {
        "title": lambda v: catalog_rules.clean_name(
            v, field="title", max_length=catalog_rules.MAX_TITLE, required=True
        ),
        "title_en": lambda v: catalog_rules.clean_name(
            v, field="title_en", max_length=catalog_rules.MAX_TITLE_EN
        ),
        "description": catalog_rules.check_description,
        "low_stock_threshold": lambda v: catalog_rules.parse_stock(v, field="low_stock_threshold"),
    }
    for name, check in checks.items():
        if name in product:
            try:
                product[name] = check(product[name])
            except Invalid as exc:
                fail(name, _invalid_message(exc))
    if "status" in product and product["status"].lower() not in STATUSES:
        fail("status", _("one of: %(values)s") % {"values": ", ".join(STATUSES)})
    elif "status" in product:
        product["status"] = product["status"].lower()

    options: dict[str, str] = {}
    for i in range(1, MAX_SPECS + 1):
        name, value = cells.get(f"spec{i}_name", ""), cells.get(f"spec{i}_value", "")
        if name and not value:
            fail(f"spec{i}_value", _("a value is needed for %(name)s") % {"name": name[:20]})
        elif value and not name:
            fail(f"spec{i}_name", _("a name is needed for this value"))
        elif name in options:
            fail(f"spec{i}_name", _("repeats %(name)s") % {"name": name[:20]})
        elif name:
            try:
                options.update(catalog_rules.clean_options({name: value}))
            except Invalid as exc:
                fail(f"spec{i}_name", _invalid_message(exc))

    sku_cells = {
        name: cells.get(name, "") for name in ("sku_code", "price", "stock", "weight_grams")
    }
    sku = None
    if any(sku_cells.values()) or options:
        sku = {}
        price = sku_cells["price"].lstrip("¥￥").replace(",", "")
        parsers = {
            "price": lambda: catalog_rules.parse_price(price).minor,
            "stock": lambda: catalog_rules.parse_stock(sku_cells["stock"]),
        }
        if sku_cells["weight_grams"]:
            parsers["weight_grams"] = lambda: catalog_rules.parse_weight(sku_cells["weight_grams"])
        if sku_cells["sku_code"]:
            parsers["code"] = lambda: catalog_rules.clean_name(
                sku_cells["sku_code"], field="code", max_length=catalog_rules.MAX_SKU_CODE
            )
        for name, parse in parsers.items():
            try:
                sku[name] = parse()
            except Invalid as exc:
                fail("sku_code" if name == "code" else name, _invalid_message(exc))
        if "price" in sku:
            sku["price_minor"] = sku.pop("price")
    if not ref and not (sku and sku.get("code")):
        fail("product_ref", _("required (a product id, your own handle, or a known SKU code)"))
    if errors:
        return None, errors
    return Row(number=number, ref=ref, product=product, options=options, sku=sku), []
