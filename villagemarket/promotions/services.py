"""Use-cases of promotions: sellers and operators save and end promotions, buyers claim
coupons, and `quote` prices a cart under the promotions (what checkout calls)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.catalog.models import SKU
from villagemarket.core.errors import Conflict, Invalid, NotFound
from villagemarket.core.money import Money

from . import pricing, rules, selectors
from .models import ClaimStatus, Coupon, CouponClaim, SalePrice, SpendSave

MAX_QUOTE_LINES = 100
MAX_QUOTE_CLAIMS = 50


def _refuse(problems: dict) -> None:
    if problems:
        raise Invalid(_("The promotion has invalid fields."), fields=problems)


def _mine(model, shop, promotion_id: int | None):
    """The shop's own promotion, locked; NotFound for another shop's (reveals nothing)."""
    if promotion_id is None:
        return model(shop=shop, funder=rules.SHOP)
    found = model.objects.select_for_update().filter(pk=promotion_id, shop=shop).first()
    if found is None:
        raise NotFound(_("No such promotion."))
    if found.state() == "ended":
        raise Conflict(_("This promotion has ended and can no longer change."))
    return found


# --- coupons ---------------------------------------------------------------------------


def check_coupon(coupon: Coupon) -> None:
    """Invalid, naming each field, when the coupon breaks a rule (also used by the admin)."""
    problems = rules.window_problems(coupon.starts_at, coupon.ends_at)
    problems |= rules.coupon_problems(
        amount_minor=coupon.amount_minor,
        threshold_minor=coupon.threshold_minor,
        total_quantity=coupon.total_quantity,
        per_buyer_limit=coupon.per_buyer_limit,
        budget_minor=coupon.budget_minor,
    )
    if coupon.pk and coupon.claimed_count:
        before = Coupon.objects.get(pk=coupon.pk)
        if (before.amount_minor, before.threshold_minor) != (
            coupon.amount_minor,
            coupon.threshold_minor,
        ):
            problems["amount"] = [_("Buyers hold this coupon: its amount and minimum stay.")]
        if coupon.total_quantity is not None and coupon.total_quantity < coupon.claimed_count:
            problems["total_quantity"] = [_("Fewer than buyers already claimed.")]
    _refuse(problems)


@transaction.atomic
def save_shop_coupon(
    *,
    shop,
    user,
    name: str,
    amount_minor: int,
    threshold_minor: int,
    starts_at: datetime,
    ends_at: datetime,
    per_buyer_limit: int = 1,
    total_quantity: int | None = None,
    budget_minor: int | None = None,
    coupon_id: int | None = None,
) -> Coupon:
    """Shop staff create or change a shop coupon (fixed amount off above a minimum spend)."""
    coupon = _mine(Coupon, shop, coupon_id)
    coupon.name, coupon.amount_minor, coupon.threshold_minor = name, amount_minor, threshold_minor
    coupon.starts_at, coupon.ends_at = starts_at, ends_at
    coupon.per_buyer_limit, coupon.total_quantity = per_buyer_limit, total_quantity
    coupon.budget_minor = budget_minor
    coupon.created_by = coupon.created_by or user
    check_coupon(coupon)
    coupon.save()
    return coupon


@transaction.atomic
def claim_coupon(*, buyer, coupon_id: int, now=None) -> CouponClaim:
    """A buyer claims a coupon: never more than its quantity, nor the buyer's limit.

    The count goes up in one guarded UPDATE (WHERE claimed_count < total_quantity), and the
    buyer's claims are numbered 1..limit under a unique constraint, so concurrent claims
    cannot exceed either cap; a refused claim changes nothing.
    """
    now = now or timezone.now()
    coupon = Coupon.objects.select_related("shop").filter(pk=coupon_id).first()
    if coupon is None or (coupon.funder == rules.SHOP and coupon.shop.status != "active"):
        raise NotFound(_("No such coupon."))
    if coupon.ended_at is not None or coupon.ends_at <= now:
        raise Conflict(_("This coupon has ended."), code="coupon_ended")
    held = CouponClaim.objects.filter(coupon=coupon, buyer=buyer).count()
    if held >= coupon.per_buyer_limit:
        raise Conflict(_("You already hold as many of this coupon as allowed."), code="claim_limit")
    taken = Coupon.objects.filter(pk=coupon.pk).filter(
        Q(total_quantity__isnull=True) | Q(claimed_count__lt=F("total_quantity"))
    )
    if not taken.update(claimed_count=F("claimed_count") + 1):
        raise Conflict(_("All of this coupon have been claimed."), code="coupon_gone")
    # `held` may be stale: a concurrent claim of the same buyer may have taken that number
    # (it committed while this one waited on the coupon row). Try the next; past the limit the
    # whole claim rolls back, its increment with it.
    for number in range(held + 1, coupon.per_buyer_limit + 1):
        try:
            with transaction.atomic():
                return CouponClaim.objects.create(
                    coupon=coupon, buyer=buyer, number=number, claimed_at=now
                )
        except IntegrityError:
            continue
    raise Conflict(_("You already hold as many of this coupon as allowed."), code="claim_limit")


@transaction.atomic
def use_claim(*, buyer, claim_id: int, order_id: int, now=None) -> CouponClaim:
    """Checkout spends a claim on an order (guarded: an available claim is used once)."""
    now = now or timezone.now()
    changed = CouponClaim.objects.filter(
        pk=claim_id, buyer=buyer, status=ClaimStatus.AVAILABLE
    ).update(status=ClaimStatus.USED, used_at=now, used_order_id=order_id)
    if not changed:
        raise Conflict(_("This coupon is not available."), code="claim_unavailable")
    return CouponClaim.objects.get(pk=claim_id)


@transaction.atomic
def release_claim(*, claim_id: int, order_id: int) -> bool:
    """An order that used a claim closed unpaid: the buyer gets the coupon back."""
    return bool(
        CouponClaim.objects.filter(
            pk=claim_id, status=ClaimStatus.USED, used_order_id=order_id
        ).update(status=ClaimStatus.AVAILABLE, used_at=None, used_order_id=None)
    )


# --- spend-and-save (满减) --------------------------------------------------------------


def parse_tiers(raw) -> tuple[rules.Tier, ...]:
    """Tiers from [{"threshold_minor": int, "save_minor": int}, ...]; Invalid otherwise."""
    try:
        tiers = tuple(
            rules.Tier(int(t["threshold_minor"]), int(t["save_minor"]))
            for t in raw
            if not isinstance(t["threshold_minor"], bool) and not isinstance(t["save_minor"], bool)
        )
    except (TypeError, KeyError, ValueError):
        raise Invalid(
            _("The promotion has invalid fields."), fields={"tiers": [_("Give spend and save.")]}
        ) from None
    return tiers


def check_spend_save(offer: SpendSave, *, shop_ids: list[int] | None = None) -> None:
    """Invalid when the 满减 breaks a rule: tiers, window, and no two running at once for the
    same shop (a shop's own) or for the platform (one cross-shop offer at a time)."""
    tiers = parse_tiers(offer.tiers)
    problems = rules.window_problems(offer.starts_at, offer.ends_at)
    problems |= rules.tier_problems(list(tiers), every=offer.every)
    if offer.max_save_minor is not None and offer.max_save_minor <= 0:
        problems["max_save"] = [_("The amount must be more than 0.")]
    if offer.budget_minor is not None and offer.budget_minor <= 0:
        problems["budget"] = [_("The amount must be more than 0.")]
    if offer.funder == rules.PLATFORM and not offer.all_shops and shop_ids == []:
        problems["shops"] = [_("Choose the shops that take part, or every shop.")]
    if "starts_at" not in problems and "ends_at" not in problems:
        others = SpendSave.objects.filter(
            funder=offer.funder,
            ended_at__isnull=True,
            starts_at__lt=offer.ends_at,
            ends_at__gt=offer.starts_at,
        ).exclude(pk=offer.pk)
        if offer.funder == rules.SHOP:
            others = others.filter(shop_id=offer.shop_id)
        if others.exists():
            problems["starts_at"] = [
                _("Another spend-and-save runs in this window; one at a time.")
            ]
    _refuse(problems)
    offer.tiers = [
        {"threshold_minor": t.threshold_minor, "save_minor": t.save_minor} for t in tiers
    ]


@transaction.atomic
def save_shop_spend_save(
    *,
    shop,
    user,
    name: str,
    tiers: list[dict],
    starts_at: datetime,
    ends_at: datetime,
    every: bool = False,
    max_save_minor: int | None = None,
    budget_minor: int | None = None,
    spend_save_id: int | None = None,
) -> SpendSave:
    """Shop staff create or change the shop's 满减 (tiers, or every full X saves Y)."""
    offer = _mine(SpendSave, shop, spend_save_id)
    offer.name, offer.tiers, offer.every = name, tiers, every
    offer.starts_at, offer.ends_at = starts_at, ends_at
    offer.max_save_minor, offer.budget_minor = max_save_minor, budget_minor
    offer.created_by = offer.created_by or user
    check_spend_save(offer)
    offer.save()
    return offer


# --- SKU sale prices ----------------------------------------------------------------------


def check_sale_price(sale: SalePrice) -> None:
    """Invalid when the sale price breaks a rule: the shop's own SKU, below its price, and
    one sale price per SKU at a time."""
    sku = SKU.objects.filter(pk=sale.sku_id, product__shop_id=sale.shop_id).first()
    if sku is None:
        _refuse({"sku": [_("Choose one of your shop's SKUs.")]})
    problems = rules.window_problems(sale.starts_at, sale.ends_at)
    problems |= rules.sale_price_problems(
        price_minor=sale.price_minor,
        list_price_minor=sku.price_minor,
        quantity_limit=sale.quantity_limit,
    )
    if "starts_at" not in problems and "ends_at" not in problems:
        clash = (
            SalePrice.objects.filter(
                sku_id=sale.sku_id,
                ended_at__isnull=True,
                starts_at__lt=sale.ends_at,
                ends_at__gt=sale.starts_at,
            )
            .exclude(pk=sale.pk)
            .exists()
        )
        if clash:
            problems["starts_at"] = [_("This SKU already has a sale price in this window.")]
    _refuse(problems)


@transaction.atomic
def save_sale_price(
    *,
    shop,
    user,
    name: str,
    sku_id: int,
    price_minor: int,
    starts_at: datetime,
    ends_at: datetime,
    quantity_limit: int | None = None,
    sale_price_id: int | None = None,
) -> SalePrice:
    """Shop staff put one of their SKUs on sale for a period (optionally for N units)."""
    sale = _mine(SalePrice, shop, sale_price_id)
    sale.name, sale.sku_id, sale.price_minor = name, sku_id, price_minor
    sale.starts_at, sale.ends_at, sale.quantity_limit = starts_at, ends_at, quantity_limit
    sale.created_by = sale.created_by or user
    check_sale_price(sale)
    sale.save()
    return sale


KINDS = {"coupons": Coupon, "spend-save": SpendSave, "sale-prices": SalePrice}


@transaction.atomic
def end_promotion(*, shop, kind: str, promotion_id: int, now=None):
    """Shop staff end one of their promotions now. Claimed coupons stop being usable; orders
    already placed keep their saving."""
    model = KINDS.get(kind)
    if model is None:
        raise NotFound(_("No such promotion."))
    promotion = _mine(model, shop, promotion_id)
    promotion.ended_at = now or timezone.now()
    promotion.save(update_fields=["ended_at", "updated_at"])
    return promotion


# --- the quote checkout will call ---------------------------------------------------------


@dataclass(frozen=True)
class QuoteRequestLine:
    sku_id: int
    quantity: int


def _claims_for(buyer, claim_ids, now):
    usable = selectors.usable_claims(buyer, now=now)
    if claim_ids is None:
        return list(usable)
    wanted = set(claim_ids)
    found = list(usable.filter(pk__in=wanted))
    missing = wanted - {c.pk for c in found}
    if missing:
        raise Invalid(
            _("Some coupons cannot be used."),
            fields={"claim_ids": [_("Not yours, used or not running: %s") % sorted(missing)]},
        )
    return found


def quote(buyer, lines: list[QuoteRequestLine], claim_ids: list[int] | None = None, *, now=None):
    """Price `lines` for `buyer` under the running promotions and the buyer's coupons
    (`claim_ids`; None: every coupon the buyer may use, the best one chosen). Prices come from
    the database, never the caller. Returns a pricing.Quote."""
    now = now or timezone.now()
    if not lines or len(lines) > MAX_QUOTE_LINES:
        raise Invalid(_("Give 1 to 100 lines."), fields={"lines": [_("Give 1 to 100 lines.")]})
    quantities: dict[int, int] = {}
    for line in lines:
        quantities[line.sku_id] = quantities.get(line.sku_id, 0) + line.quantity
    skus = {
        sku.pk: sku
        for sku in SKU.objects.for_sale().filter(pk__in=quantities).select_related("product")
    }
    if missing := sorted(set(quantities) - set(skus)):
        raise Invalid(
            _("Some items are not for sale."),
            fields={"lines": [_("Not for sale: %s") % missing]},
        )
    cart = [
        pricing.CartLine(
            sku_id=sku.pk,
            shop_id=sku.product.shop_id,
            unit_price=Money(sku.price_minor, sku.currency),
            quantity=quantities[sku.pk],
        )
        for sku in skus.values()
    ]
    shop_ids = {line.shop_id for line in cart}
    sales = [
        pricing.SalePriceOffer(s.pk, s.sku_id, s.price, s.units_left)
        for s in selectors.running_sale_prices(skus, now=now)
    ]
    offers = [_offer(o) for o in selectors.running_spend_saves(shop_ids, now=now)]
    coupons = [
        pricing.CouponOffer(
            claim_id=c.pk,
            coupon_id=c.coupon_id,
            funder=c.coupon.funder,
            amount=c.coupon.amount,
            threshold=c.coupon.threshold,
            shop_id=c.coupon.shop_id,
            budget_left=c.coupon.budget_left,
        )
        for c in _claims_for(buyer, claim_ids, now)
    ]
    return pricing.quote(cart, sales, offers, coupons)


def _offer(o: SpendSave) -> pricing.SpendSaveOffer:
    return pricing.SpendSaveOffer(
        id=o.pk,
        funder=o.funder,
        tiers=o.tier_values(),
        shop_id=o.shop_id,
        shop_ids=None if o.all_shops else frozenset(s.pk for s in o.shops.all()),
        every=o.every,
        max_save=Money(o.max_save_minor, o.currency) if o.max_save_minor is not None else None,
        budget_left=o.budget_left,
    )
