"""Shops and moderation (docs/moderation.md): a shop's name and description are screened; a
matching change is held (the shop page keeps the old text) until an operator decides. The
"shop" kind is registered with moderation.hooks, and repeated rejections suspend the shop (the
strike rule), both from ShopsConfig.ready().
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from villagemarket.moderation import hooks as moderation_hooks
from villagemarket.moderation import selectors as moderation_selectors
from villagemarket.moderation import services as moderation

from . import hooks
from .models import Shop, ShopStatus

KIND = "shop"
SCREENED = ("name", "name_en", "description")


def shop_text(values: dict) -> str:
    return "\n".join(str(values.get(field) or "") for field in SCREENED if values.get(field))


def hold_text_changes(shop: Shop, data: dict, user) -> dict:
    """Inside update_shop's transaction, with `shop` locked: screen the changed name and
    description (with any change already held). When they match, take them out of `data`
    (the public text stays) and keep them in `shop.held_changes`; return the remaining data.
    A "refuse" term is refused naming the field."""
    changed = {f: data[f] for f in SCREENED if f in data and data[f] != getattr(shop, f)}
    if not changed:
        return data
    moderation.refuse_prohibited(changed)
    pending = {**(shop.held_changes or {}), **changed}
    case = moderation.submit(
        kind=KIND, object_id=shop.pk, text=shop_text(pending), shop_id=shop.pk, author=user
    )
    if case is None:
        shop.held_changes = {}
        shop.moderation_note = ""
        return {**data, **pending}
    shop.held_changes = pending
    shop.moderation_note = _("Your new shop text waits for review.")
    return {k: v for k, v in data.items() if k not in SCREENED}


def screen_new_shop(shop: Shop, user) -> None:
    """A new shop is pending (no public page) until verified; a matching one gets a case, and
    the operator cannot verify it before deciding the case."""
    moderation.refuse_prohibited({f: getattr(shop, f) for f in SCREENED})
    case = moderation.submit(
        kind=KIND,
        object_id=shop.pk,
        text=shop_text({f: getattr(shop, f) for f in SCREENED}),
        shop_id=shop.pk,
        author=user,
    )
    if case is not None:
        Shop.objects.filter(pk=shop.pk).update(
            moderation_note=_("Your shop text waits for review.")
        )


def has_open_case(shop_id: int) -> bool:
    case = moderation_selectors.open_case(KIND, shop_id)
    return case is not None and case.held


def describe(object_id: int) -> moderation_hooks.ContentRef | None:
    shop = Shop.objects.filter(pk=object_id).first()
    if shop is None:
        return None
    current = {f: getattr(shop, f) for f in SCREENED}
    return moderation_hooks.ContentRef(
        title=shop.name,
        url=reverse("shops:detail", args=[shop.slug]),
        text=shop_text({**current, **(shop.held_changes or {})}),
        shop_id=shop.pk,
        author_id=shop.opened_by_id,
    )


def decide(object_id: int, approved: bool, reason: str) -> None:
    """Approve: the held text goes public. Reject: it is dropped; a reported description (with
    nothing held) is taken off the shop page. Either way the owner reads the note."""
    shop = Shop.objects.select_for_update().filter(pk=object_id).first()
    if shop is None:
        return
    held = shop.held_changes or {}
    fields = {"held_changes": {}, "moderation_note": "" if approved else reason[:200]}
    if approved:
        fields.update({f: v for f, v in held.items() if f in SCREENED})
    elif not held:
        fields["description"] = ""
    Shop.objects.filter(pk=shop.pk).update(**fields)
    hooks.shop_changed(shop.pk)


def strike(decision: moderation_hooks.Decision) -> None:
    """The strike rule: a shop with `strike_limit` rejected items within `strike_days` days is
    suspended through set_shop_status (recorded with the reason), by the deciding operator."""
    if decision.approved or decision.shop_id is None or decision.decided_by is None:
        return
    limit, days = moderation_selectors.strike_rule()
    count = moderation_selectors.rejections_within(decision.shop_id, days)
    if count < limit:
        return
    shop = Shop.objects.filter(pk=decision.shop_id).first()
    if shop is None or shop.status == ShopStatus.SUSPENDED:
        return
    from .services import set_shop_status  # services imports this module

    set_shop_status(
        decision.decided_by,
        shop,
        "suspend",
        reason=_("%(n)d items rejected by moderation within %(days)d days")
        % {"n": count, "days": days},
    )


def register() -> None:
    moderation_hooks.register_kind(
        KIND, label=gettext_lazy("shop"), describe=describe, on_decision=decide
    )
    moderation_hooks.on_decision(strike)
