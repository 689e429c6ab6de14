"""The SKU matrix as pure rules (no ORM): specifications, their combinations, the rows' values.

A product has 0 to MAX_SPECS specifications (尺码: 110/120/130; 颜色: 红/黄), in the seller's
order; every combination of their values is one SKU (a row of the matrix). Names and values
follow the variant-option limits of catalog.rules, so the SKUs they make are ordinary SKUs.
Errors name the field: `specs.0.name`, `specs.1.values`, `rows.3.price_minor`.
"""

from __future__ import annotations

import itertools

from django.utils.translation import gettext as _

from villagemarket.core.errors import Invalid

from . import rules

MAX_SPECS = 3
MAX_VALUES = 30  # per specification
MAX_COMBINATIONS = 200


def _one_line(value, *, field: str, max_length: int) -> str:
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise Invalid(_("Please correct the marked fields."), fields={field: [_("not a text")]})
    return rules.clean_name(value, field=field, max_length=max_length, required=True)


def clean_specs(specs) -> list[dict]:
    """Validated specifications: [{"name": str, "values": [str, ...]}, ...].

    At most MAX_SPECS, names unique, each with 1 to MAX_VALUES distinct values, at most
    MAX_COMBINATIONS combinations in all. Every error is collected before raising."""
    if specs is None:
        return []
    if not isinstance(specs, list):
        raise Invalid(_("Specifications must be a list."), fields={"specs": [_("not a list")]})
    if len(specs) > MAX_SPECS:
        raise Invalid(
            _("At most %(n)d specifications.") % {"n": MAX_SPECS},
            fields={"specs": [_("at most %(n)d specifications") % {"n": MAX_SPECS}]},
        )
    errors: dict[str, list[str]] = {}
    cleaned: list[dict] = []
    seen_names: set[str] = set()
    for i, spec in enumerate(specs):
        if not isinstance(spec, dict):
            errors[f"specs.{i}"] = [_("a name and its values")]
            continue
        try:
            name = _one_line(
                spec.get("name"), field=f"specs.{i}.name", max_length=rules.MAX_OPTION_NAME
            )
        except Invalid as exc:
            errors.update(exc.fields)
            name = ""
        if name and name in seen_names:
            errors[f"specs.{i}.name"] = [_("the same name twice")]
        seen_names.add(name)
        values = spec.get("values")
        field = f"specs.{i}.values"
        if not isinstance(values, list) or not values:
            errors[field] = [_("give at least one value")]
            continue
        if len(values) > MAX_VALUES:
            errors[field] = [_("at most %(n)d values") % {"n": MAX_VALUES}]
            continue
        clean_values: list[str] = []
        for value in values:
            try:
                text = _one_line(value, field=field, max_length=rules.MAX_OPTION_VALUE)
            except Invalid as exc:
                errors.update(exc.fields)
                continue
            if text in clean_values:
                errors[field] = [_("%(value)s is listed twice") % {"value": text}]
            clean_values.append(text)
        cleaned.append({"name": name, "values": clean_values})
    if errors:
        raise Invalid(_("Please correct the specifications."), fields=errors)
    count = combination_count(cleaned)
    if count > MAX_COMBINATIONS:
        raise Invalid(
            _("%(n)d combinations; at most %(max)d are allowed.")
            % {"n": count, "max": MAX_COMBINATIONS},
            fields={"specs": [_("at most %(max)d combinations") % {"max": MAX_COMBINATIONS}]},
        )
    return cleaned


def combination_count(specs: list[dict]) -> int:
    count = 1
    for spec in specs:
        count *= len(spec["values"])
    return count


def combinations(specs: list[dict]) -> list[dict[str, str]]:
    """Every combination as SKU options, the first specification varying slowest.
    No specification: one combination, {} (a single-variant product)."""
    names = [spec["name"] for spec in specs]
    return [
        dict(zip(names, values, strict=True))
        for values in itertools.product(*(spec["values"] for spec in specs))
    ]


def options_key(options: dict) -> tuple:
    """Options compared without regard to key order (JSON objects keep no order of meaning)."""
    return tuple(sorted((str(k), str(v)) for k, v in (options or {}).items()))


def _int_field(row: dict, name: str, field: str, *, low: int, high: int, required: bool):
    value = row.get(name)
    if value is None:
        if required:
            raise Invalid(_("Please correct the marked fields."), fields={field: [_("required")]})
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise Invalid(
            _("Please correct the marked fields."),
            fields={
                field: [_("a whole number from %(low)d to %(high)d") % {"low": low, "high": high}]
            },
        )
    return value


def clean_rows(specs: list[dict], rows) -> list[dict]:
    """One validated row per combination of `specs`, in the combinations' order.

    A row: {"options": {...}, "price_minor": int > 0, "stock": int >= 0, "code": str,
    "image_id": int | None, "weight_grams": int (optional), "expected_stock": int (optional)}.
    A missing, repeated or unknown combination is refused, naming the row."""
    if not isinstance(rows, list):
        raise Invalid(_("Rows must be a list."), fields={"rows": [_("not a list")]})
    combos = combinations(specs)
    wanted = {options_key(c): i for i, c in enumerate(combos)}
    errors: dict[str, list[str]] = {}
    by_combination: dict[int, dict] = {}
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            errors[f"rows.{i}"] = [_("not a row")]
            continue
        options = row.get("options") or {}
        key = options_key(options) if isinstance(options, dict) else None
        slot = wanted.get(key)
        if slot is None:
            errors[f"rows.{i}.options"] = [_("not a combination of the specifications")]
            continue
        if slot in by_combination:
            errors[f"rows.{i}.options"] = [_("this combination is given twice")]
            continue
        try:
            by_combination[slot] = _clean_row(row, i, combos[slot])
        except Invalid as exc:
            errors.update(exc.fields)
    for options_tuple, slot in wanted.items():
        if slot not in by_combination and not any(k.startswith("rows.") for k in errors):
            label = " / ".join(v for _k, v in options_tuple) or _("single variant")
            errors["rows"] = [_("missing the row for %(combination)s") % {"combination": label}]
            break
    if errors:
        raise Invalid(_("Please correct the marked rows."), fields=errors)
    return [by_combination[slot] for slot in sorted(by_combination)]


def _clean_row(row: dict, i: int, options: dict) -> dict:
    errors: dict[str, list[str]] = {}
    out: dict = {"options": options}
    checks = [
        ("price_minor", 1, rules.MAX_PRICE_MINOR, True),
        ("stock", 0, rules.MAX_STOCK, True),
        ("weight_grams", 1, 1_000_000, False),
        ("expected_stock", 0, rules.MAX_STOCK, False),
        ("image_id", 1, 2**63 - 1, False),
    ]
    for name, low, high, required in checks:
        try:
            out[name] = _int_field(
                row, name, f"rows.{i}.{name}", low=low, high=high, required=required
            )
        except Invalid as exc:
            errors.update(exc.fields)
    try:
        out["code"] = rules.clean_name(
            row.get("code") or "", field=f"rows.{i}.code", max_length=rules.MAX_SKU_CODE
        )
    except Invalid as exc:
        errors.update(exc.fields)
    if errors:
        raise Invalid(_("Please correct the marked rows."), fields=errors)
    return out


def specs_from_options(option_dicts) -> list[dict]:
    """Specifications read back from SKUs' options (for products made before the editor kept
    its specs): names and values in first-seen order."""
    names: dict[str, list[str]] = {}
    for options in option_dicts:
        for name, value in (options or {}).items():
            values = names.setdefault(str(name), [])
            if str(value) not in values:
                values.append(str(value))
    return [{"name": n, "values": v} for n, v in names.items()]
