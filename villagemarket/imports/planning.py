"""The check of a whole file before anything is written: rows grouped into products, references
resolved within the shop (product ids, handles, SKU codes, categories, households), and what
would change for each product. Reads only; every problem becomes a RowError."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from villagemarket.catalog import matrix as catalog_matrix
from villagemarket.catalog.models import SKU, Category, Product
from villagemarket.core.errors import DomainError, Invalid
from villagemarket.shops.models import Household

from .columns import Row, RowError
from .models import ProductHandle

FIELD_COLUMNS = ("title", "title_en", "category", "household", "description", "low_stock_threshold")


@dataclass
class ProductPlan:
    """What one product of the file asks for, and what it is today (None: a new product)."""

    ref: str
    rows: list[Row]
    product: Product | None = None
    handle: str = ""
    fields: dict = field(default_factory=dict)  # resolved values of the columns given
    status: str | None = None
    specs: list[dict] = field(default_factory=list)
    matrix: list[dict] = field(default_factory=list)  # set_sku_matrix rows, in file order
    matrix_rows: list[int] = field(default_factory=list)  # the row number of each matrix row

    @property
    def first_row(self) -> int:
        return self.rows[0].number


class Catalogue:
    """The shop's references the file may name, loaded once for the whole file."""

    def __init__(self, shop, rows: list[Row]):
        self.shop = shop
        ids = {int(r.ref) for r in rows if r.ref.isdigit() and len(r.ref) <= 18}
        handles = {r.ref for r in rows if r.ref and not r.ref.isdigit()}
        codes = {r.sku["code"] for r in rows if not r.ref and r.sku and r.sku.get("code")}
        products = (
            Product.objects.filter(shop=shop)
            .select_related("shop")
            .prefetch_related(
                Prefetch(
                    "skus", queryset=SKU.objects.filter(is_active=True).order_by("position", "id")
                )
            )
        )
        handle_rows = ProductHandle.objects.filter(shop=shop, handle__in=handles)
        by_handle = {h.handle: h.product_id for h in handle_rows}
        by_code = dict(
            SKU.objects.filter(product__shop=shop, code__in=codes, is_active=True).values_list(
                "code", "product_id"
            )
        )
        wanted = ids | set(by_handle.values()) | set(by_code.values())
        self.products = {p.pk: p for p in products.filter(pk__in=wanted)}
        self.by_handle, self.by_code = by_handle, by_code
        self.categories = list(Category.objects.all())
        self.households = list(Household.objects.filter(shop=shop))

    def category(self, text: str) -> Category | None:
        """By slug, or by a path of names ("服装 > 演出服", Chinese or English names)."""
        for category in self.categories:
            if category.slug == text:
                return category
        parts = [p.strip() for p in text.replace("/", ">").split(">") if p.strip()]
        by_id = {c.pk: c for c in self.categories}
        for category in self.categories:
            path, node = [], category
            while node is not None:
                path.insert(0, node)
                node = by_id.get(node.parent_id)
            if len(path) == len(parts) and all(
                part in (n.name, n.name_en) for part, n in zip(parts, path, strict=True)
            ):
                return category
        return None

    def household(self, text: str) -> Household | None:
        for household in self.households:
            if text in (household.name, str(household.pk)):
                return household
        return None


def group_rows(rows: list[Row]) -> dict[str, list[Row]]:
    """Rows by product: by product_ref, or by SKU code when the ref is blank."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        key = row.ref or f"sku:{row.sku['code']}"
        groups.setdefault(key, []).append(row)
    return groups


def plan_products(shop, rows: list[Row]) -> tuple[list[ProductPlan], list[RowError]]:
    """Every product the file names, checked against the shop; errors name row and column."""
    catalogue = Catalogue(shop, rows)
    plans, errors = [], []
    for key, group in group_rows(rows).items():
        plan = ProductPlan(ref=group[0].ref, rows=group)
        before = len(errors)
        _resolve_product(plan, key, catalogue, errors)
        _resolve_fields(plan, catalogue, errors)
        _resolve_matrix(plan, errors)
        if len(errors) == before:
            plans.append(plan)
    return plans, errors


def _resolve_product(plan: ProductPlan, key: str, catalogue: Catalogue, errors: list) -> None:
    ref, row = plan.ref, plan.first_row
    if key.startswith("sku:"):
        product_id = catalogue.by_code.get(key[4:])
        if product_id is None:
            errors.append(
                RowError(row, "product_ref", _("required: no SKU of this shop has this code"))
            )
            return
    elif ref.isdigit():
        product_id = int(ref) if len(ref) <= 18 else None
        if product_id not in catalogue.products:
            errors.append(
                RowError(
                    row, "product_ref", _("no product %(ref)s in this shop") % {"ref": ref[:20]}
                )
            )
            return
    else:
        product_id = catalogue.by_handle.get(ref)
        if product_id is None:
            plan.handle = ref
            return
    plan.product = catalogue.products.get(product_id)


def _resolve_fields(plan: ProductPlan, catalogue: Catalogue, errors: list) -> None:
    first = plan.rows[0]
    for row in plan.rows[1:]:
        for name, value in row.product.items():
            if first.product.get(name) != value:
                errors.append(
                    RowError(
                        row.number,
                        name,
                        _("differs from row %(row)d of the same product") % {"row": first.number},
                    )
                )
    given = dict(first.product)
    plan.status = given.pop("status", None)
    if plan.product is None:
        for name in ("title", "category"):
            if name not in given:
                errors.append(RowError(first.number, name, _("required for a new product")))
    if "category" in given:
        category = catalogue.category(given["category"])
        if category is None:
            errors.append(
                RowError(first.number, "category", _("no such category (use its slug or path)"))
            )
        given["category"] = category
    if "household" in given:
        household = catalogue.household(given["household"])
        if household is None:
            errors.append(RowError(first.number, "household", _("not a household of this shop")))
        given["household"] = household
    plan.fields = given
    if plan.status is not None:
        _check_status(plan, errors)


def _check_status(plan: ProductPlan, errors: list) -> None:
    now = plan.product.status if plan.product else None
    target = plan.status
    if target == now:
        return
    message = None
    if target == "held":
        message = _("only moderation holds a listing")
    elif target == "draft" and now is not None:
        message = _("a listed product cannot go back to draft: use delisted")
    elif target == "delisted" and now is None:
        message = _("a new product is draft or published")
    if message:
        errors.append(RowError(plan.first_row, "status", message))


def _resolve_matrix(plan: ProductPlan, errors: list) -> None:
    sku_rows = [r for r in plan.rows if r.sku is not None]
    if sku_rows and len(sku_rows) != len(plan.rows):
        for row in plan.rows:
            if row.sku is None:
                errors.append(
                    RowError(row.number, "price", _("required (the product has variants)"))
                )
        return
    plan.matrix = [{"options": dict(r.options), **r.sku} for r in sku_rows]
    plan.matrix_rows = [r.number for r in sku_rows]
    if not matrix_changed(plan):
        # Nothing to write (or a row without variants): variants made before the matrix rule
        # (options that are not a full matrix) come back from an export as they are.
        return
    problems = _matrix_problems(plan, sku_rows)
    if not problems:
        _keep_what_the_file_leaves_out(plan)
        try:  # the catalog's own matrix rule, before anything is written
            catalog_matrix.clean_rows(catalog_matrix.clean_specs(plan.specs), plan.matrix)
        except Invalid as exc:
            problems = row_errors(plan, exc)
    errors += problems


def _matrix_problems(plan: ProductPlan, sku_rows: list[Row]) -> list[RowError]:
    """Same specification names on every row, each combination once; fills plan.specs with
    the values in the order the file gives them."""
    problems = []
    names = list(sku_rows[0].options)
    values: dict[str, list[str]] = {name: [] for name in names}
    seen: dict[tuple, int] = {}
    for row in sku_rows:
        if list(row.options) != names:
            message = _("every row of a product names the same specifications (%(names)s)")
            problems.append(
                RowError(row.number, "spec1_name", message % {"names": ", ".join(names) or "-"})
            )
            continue
        combination = tuple(row.options.items())
        if combination in seen:
            message = _("same specifications as row %(row)d") % {"row": seen[combination]}
            problems.append(RowError(row.number, "spec1_value", message))
            continue
        seen[combination] = row.number
        for name, value in row.options.items():
            if value not in values[name]:
                values[name].append(value)
    plan.specs = [{"name": name, "values": values[name]} for name in names]
    return problems


def _keep_what_the_file_leaves_out(plan: ProductPlan) -> None:
    """Photos (the file cannot name them) and codes left blank stay as the SKU has them."""
    if plan.product is None:
        return
    current = {catalog_matrix.options_key(s.options): s for s in plan.product.skus.all()}
    for row in plan.matrix:
        sku = current.get(catalog_matrix.options_key(row["options"]))
        row.setdefault("image_id", sku.image_id if sku else None)
        if sku is not None:
            row.setdefault("code", sku.code)


def product_changes(plan: ProductPlan) -> dict:
    """The product fields whose file value differs from the stored one (all of them when new)."""
    if plan.product is None:
        return dict(plan.fields)
    changes = {}
    for name, value in plan.fields.items():
        if name in ("category", "household"):  # compare ids: no query per product
            stored, value_key = getattr(plan.product, f"{name}_id"), getattr(value, "pk", None)
            if stored != value_key:
                changes[name] = value
            continue
        stored = getattr(plan.product, name)
        if stored != value:
            changes[name] = value
    return changes


def matrix_changed(plan: ProductPlan) -> bool:
    """Whether the file's variants differ from the product's active SKUs (any field given)."""
    if not plan.matrix:
        return False
    if plan.product is None:
        return True
    current = {catalog_matrix.options_key(s.options): s for s in plan.product.skus.all()}
    given = [catalog_matrix.options_key(row["options"]) for row in plan.matrix]
    if len(given) != len(current) or set(given) != set(current):
        return True
    for key, row in zip(given, plan.matrix, strict=True):
        sku = current[key]
        for name in ("price_minor", "stock", "code", "weight_grams"):
            if name in row and getattr(sku, name) != row[name]:
                return True
    return False


COLUMN_OF_FIELD = {
    "options": "spec1_name",
    "specs": "spec1_name",
    "name": "spec1_name",
    "values": "spec1_value",
    "rows": "spec1_value",
    "code": "sku_code",
    "price_minor": "price",
    "skus": "price",
    "image_id": "image_urls",
}
_INDEX = re.compile(r"rows\.(\d+)")


def row_errors(plan: ProductPlan, exc: DomainError) -> list[RowError]:
    """A catalog refusal as row errors: a field naming a variant (rows.3.price_minor) points at
    that variant's row of the file; anything else at the product's first row."""
    out = []
    for key, messages in (exc.fields or {"file": [exc.message]}).items():
        row = plan.first_row
        index = _INDEX.search(str(key))
        if index and int(index.group(1)) < len(plan.matrix_rows):
            row = plan.matrix_rows[int(index.group(1))]
        leaf = str(key).split(".")[-1]
        column = COLUMN_OF_FIELD.get(leaf, leaf)
        for message in messages or [exc.message]:
            out.append(RowError(row, column, str(message)))
    return out
