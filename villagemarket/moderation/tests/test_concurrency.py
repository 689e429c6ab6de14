"""Two operators deciding one case at once, and buyers reporting one listing at once
(PostgreSQL: real row locks; SQLite serialises writers, so these skip there)."""

from __future__ import annotations

import functools

import pytest

from villagemarket.catalog import services as catalog
from villagemarket.catalog.models import Product
from villagemarket.core.errors import Conflict
from villagemarket.moderation import screening, selectors, services
from villagemarket.moderation.models import Case, Report, Term
from villagemarket.testing import make_product, make_region_tree, make_shop, make_user
from villagemarket.testing.threads import run_together

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def held():
    # A transaction test may start from a flushed database: the seeded terms may be gone.
    Term.objects.get_or_create(text="加微信", is_regex=False, defaults={"category": "contact"})
    services.bump_terms_version()
    screening.forget()
    alice = make_user("alice@example.com")
    shop = make_shop(alice, make_region_tree(), name="A", slug="shop-a")
    product = make_product(shop)
    catalog.update_product(alice, product.pk, {"description": "<p>加微信</p>"})
    return product


def test_two_operators_deciding_at_once_one_wins_the_other_gets_409(held):
    operators = [make_user(f"op{i}@example.com", staff=True) for i in range(6)]
    case = selectors.open_case("product", held.pk)
    calls = [
        functools.partial(services.decide, op, case.pk, approve=i % 2 == 0, reason=f"decision {i}")
        for i, op in enumerate(operators)
    ]

    results = run_together(*calls)

    winners = [r for r in results if isinstance(r, Case)]
    assert len(winners) == 1, results
    assert all(isinstance(r, Conflict) and r.status == 409 for r in results if r not in winners)
    decided = Case.objects.get(pk=case.pk)
    expected = "published" if decided.status == "approved" else "delisted"
    assert Product.objects.get(pk=held.pk).status == expected


def test_buyers_reporting_one_listing_at_once_make_one_case_with_every_report(held):
    buyers = [make_user(f"buyer{i}@example.com") for i in range(6)]
    other = make_product(held.shop, title="舞蹈服")
    calls = [
        functools.partial(
            services.report, reporter=b, kind="product", object_id=other.pk, reason="spam"
        )
        for b in buyers
    ]

    results = run_together(*calls)

    assert all(isinstance(r, Report) for r in results), results
    case = Case.objects.get(kind="product", object_id=other.pk)
    assert case.report_count == 6
