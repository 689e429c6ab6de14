"""Freight template use-cases for shop staff."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from villagemarket.catalog.rules import clean_name
from villagemarket.core.errors import Invalid, NotFound  # noqa: F401 (tests catch services.Invalid)
from villagemarket.regions.models import Level, Region
from villagemarket.shops import hooks as shop_hooks

from .models import Basis, FreightRule, FreightTemplate

MAX_AMOUNT_MINOR = 10_000_00  # ¥10,000 per parcel is already absurd for freight
MAX_RULES = 40
MAX_PROVINCES = 40  # there are 34 province-level divisions


def _provinces(codes, field: str, errors: dict) -> list[str]:
    codes = sorted({str(c).strip() for c in codes or [] if str(c).strip()})
    if len(codes) > MAX_PROVINCES or any(len(c) > 12 for c in codes):
        errors[field] = [_("At most %(n)d province codes.") % {"n": MAX_PROVINCES}]
        return []
    known = set(
        Region.objects.filter(level=Level.PROVINCE, code__in=codes).values_list("code", flat=True)
    )
    unknown = [c for c in codes if c not in known]
    if unknown:
        errors[field] = [_("Unknown province codes: %(codes)s.") % {"codes": ", ".join(unknown)}]
    return codes


def _amount(value, field: str, errors: dict, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_AMOUNT_MINOR:
        errors[field] = [_("An amount in fen from 0 to %(max)d.") % {"max": MAX_AMOUNT_MINOR}]
        return 0
    return value


def _clean_rules(rules: list[dict], errors: dict) -> list[dict]:
    if not rules:
        errors["rules"] = [_("Add at least one rule.")]
    if len(rules) > MAX_RULES:
        errors["rules"] = [_("At most %(n)d rules.") % {"n": MAX_RULES}]
    cleaned, seen, defaults = [], set(), 0
    for i, rule in enumerate(rules[:MAX_RULES]):
        provinces = _provinces(rule.get("provinces"), f"rules.{i}.provinces", errors)
        defaults += not provinces
        twice = seen.intersection(provinces)
        if twice:
            errors[f"rules.{i}.provinces"] = [
                _("In two rules: %(codes)s.") % {"codes": ", ".join(sorted(twice))}
            ]
        seen.update(provinces)
        cleaned.append(
            {
                "provinces": provinces,
                "first_minor": _amount(rule.get("first_minor"), f"rules.{i}.first_minor", errors),
                "additional_minor": _amount(
                    rule.get("additional_minor"), f"rules.{i}.additional_minor", errors
                ),
                "free_above_minor": _amount(
                    rule.get("free_above_minor"),
                    f"rules.{i}.free_above_minor",
                    errors,
                    optional=True,
                ),
            }
        )
    if defaults > 1:
        errors["rules"] = [_("Only one rule may cover all other provinces.")]
    return cleaned


def save_template(
    *,
    shop,
    name: str,
    basis: str,
    rules: list[dict],
    excluded_provinces=(),
    is_default: bool = False,
    template_id: int | None = None,
) -> FreightTemplate:
    """Create or replace one of the shop's freight templates with its rules (all or nothing).
    The shop's first template becomes its default; making one default un-defaults the others."""
    errors: dict[str, list[str]] = {}
    try:
        name = clean_name(name, field="name", max_length=60, required=True)
    except Invalid as exc:
        errors.update(exc.fields)
    if basis not in Basis.values:
        errors["basis"] = [_("Choose by item or by weight.")]
    excluded = _provinces(excluded_provinces, "excluded_provinces", errors)
    cleaned = _clean_rules(list(rules or []), errors)
    if errors:
        raise Invalid(_("The freight template has errors."), fields=errors)
    with transaction.atomic():
        existing = list(
            FreightTemplate.objects.select_for_update().filter(shop=shop).order_by("pk")
        )
        if template_id is None:
            template = FreightTemplate.objects.create(
                shop=shop, name=name, basis=basis, excluded_provinces=excluded
            )
            is_default = is_default or not existing
        else:
            template = next((t for t in existing if t.pk == template_id), None)
            if template is None:
                raise NotFound(_("No such freight template."))
            FreightTemplate.objects.filter(pk=template.pk).update(
                name=name, basis=basis, excluded_provinces=excluded
            )
            template.rules.all().delete()
        FreightRule.objects.bulk_create(FreightRule(template=template, **rule) for rule in cleaned)
        if is_default:
            FreightTemplate.objects.filter(shop=shop, is_default=True).exclude(
                pk=template.pk
            ).update(is_default=False)
            FreightTemplate.objects.filter(pk=template.pk).update(is_default=True)
        shop_hooks.shop_changed(shop.pk)  # "free shipping" in search follows the template
        return FreightTemplate.objects.prefetch_related("rules").get(pk=template.pk)


def delete_template(*, shop, template_id: int) -> None:
    """Delete a template; deleting the default leaves the shop shipping free until another is
    default."""
    with transaction.atomic():
        deleted, _detail = FreightTemplate.objects.filter(shop=shop, pk=template_id).delete()
        if not deleted:
            raise NotFound(_("No such freight template."))
        shop_hooks.shop_changed(shop.pk)
