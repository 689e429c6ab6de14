"""What "free shipping" means in search: one piece of the listing, at its shown (lowest) price,
ships free to every province its shop delivers to, under the shop's default freight template
(the one checkout prices with). A shop with no template ships free everywhere.

Decided once per product when it is indexed (SearchDocument.ships_free), so the facet is a
count over hits, never a freight computation per result. The freight itself is computed by the
one rule, shipping.pricing.compute_freight.
"""

from __future__ import annotations

from villagemarket.core.money import CurrencyMismatch, Money
from villagemarket.shipping import pricing

# Not a province code: compute_freight falls back to the template's rule for "every other
# province" (a template may have none, then only its listed provinces are delivered to).
_OTHER_PROVINCE = "00"


def ships_free(template: pricing.Template | None, price: Money, weight_grams: int) -> bool:
    """True when one piece at `price` weighing `weight_grams` ships free to every destination
    the template delivers to (and it delivers somewhere)."""
    if template is None:
        return True
    destinations = {p for rule in template.rules for p in rule.provinces}
    if any(not rule.provinces for rule in template.rules):
        destinations.add(_OTHER_PROVINCE)
    destinations -= template.excluded_provinces
    freights = [
        pricing.compute_freight(template, code, quantity=1, weight_grams=weight_grams, goods=price)
        for code in sorted(destinations)
    ]
    delivered = [f for f in freights if f is not pricing.NOT_DELIVERED]
    return bool(delivered) and all(f.minor == 0 for f in delivered)


def product_ships_free(product, templates: dict) -> bool:
    """`ships_free` for a product (its SKUs prefetched) under its shop's default template, taken
    from `templates` (shipping.selectors.default_templates). Priced as its cheapest active
    variant, the price a buyer sees on the listing."""
    skus = [s for s in product.skus.all() if s.is_active] or list(product.skus.all())
    if not skus:
        return False
    cheapest = min(skus, key=lambda s: (s.price_minor, s.pk))
    template = templates.get(product.shop_id)
    try:
        return ships_free(
            template.as_pricing() if template else None,
            Money(cheapest.price_minor, product.currency),
            cheapest.weight_grams,
        )
    except CurrencyMismatch:  # priced in another currency than the freight: not promised
        return False
