"""The demo's catalogue passes screening, and the demo's moderation step fills the queue."""

from __future__ import annotations

import pytest

from villagemarket.catalog.models import Product
from villagemarket.catalog.services.common import listing_text
from villagemarket.moderation import services
from villagemarket.moderation.models import Case
from villagemarket.shops.models import Shop
from villagemarket.shops.moderation import SCREENED, shop_text
from villagemarket.testing import make_region_tree
from villagemarket.web.demo import data, steps
from villagemarket.web.demo.moderation import SPAM_TITLE, moderation_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_catalogue():
    """The demo's shops and products in the persona villages (丁楼村 and 胡楼村)."""
    ctx = steps.Context()
    make_region_tree()
    for step in (steps.categories, steps.users, steps.shops, steps.products):
        step(ctx)
    return ctx


def test_every_demo_listing_and_shop_text_passes_screening(demo_catalogue):
    products = list(Product.objects.prefetch_related("skus"))
    assert len(products) > 20

    held = [p.title for p in products if services.screen(listing_text(p)).held]
    shops = [
        s.name
        for s in Shop.objects.all()
        if services.screen(shop_text({f: getattr(s, f) for f in SCREENED})).held
    ]

    assert held == [] and shops == []


@pytest.mark.parametrize("subcat", sorted(data.PRODUCTS))
def test_every_demo_product_name_and_variant_passes(subcat):
    items, options, *_rest = data.PRODUCTS[subcat]
    texts = [f"{zh} {en}" for zh, en in items]
    texts += [f"{name}: {value}" for name, values in options.items() for value in values]

    assert [t for t in texts if services.screen(t).held] == []


def test_the_demo_holds_a_spam_listing_and_files_a_report_once(demo_catalogue):
    assert moderation_demo(demo_catalogue) == "1 held spam listing, 1 report"

    spam = Product.objects.get(title=SPAM_TITLE)
    assert spam.status == "held"
    cases = Case.objects.filter(status="open")
    assert cases.filter(kind="product", object_id=spam.pk, held=True).exists()
    assert cases.filter(report_count=1).count() == 1
    assert "spam" in {m["category"] for m in cases.get(object_id=spam.pk).matches}
    # a second run adds nothing
    assert moderation_demo(demo_catalogue) == "0 held spam listing, 0 report"
    assert Case.objects.count() == 2
