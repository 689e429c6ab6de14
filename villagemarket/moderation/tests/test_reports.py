"""Buyers report listings (and any registered kind); repeated reports collapse into one case."""

from __future__ import annotations

import pytest

from villagemarket.core.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from villagemarket.moderation import services
from villagemarket.moderation.models import Case, Report, Settings
from villagemarket.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def test_a_buyer_reports_a_listing_with_a_reason(buyer, listing):
    report = services.report(reporter=buyer, kind="product", object_id=listing.pk, reason="fake")

    case = report.case
    assert case.status == "open" and not case.held
    assert Case.objects.get(pk=case.pk).report_count == 1
    assert case.shop_id == listing.shop_id


def test_reports_of_one_listing_collapse_into_one_case_with_a_count(buyer, bob, listing):
    for person in (buyer, bob, buyer):  # the buyer's second report changes nothing
        services.report(reporter=person, kind="product", object_id=listing.pk, reason="spam")

    assert Case.objects.count() == 1
    assert Case.objects.get().report_count == 2
    assert Report.objects.count() == 2


def test_a_report_of_a_held_listing_joins_its_case(buyer, held_listing):
    services.report(reporter=buyer, kind="product", object_id=held_listing.pk, reason="contact")

    case = Case.objects.get()
    assert case.held and case.report_count == 1


@pytest.mark.parametrize(
    "kind, reason, detail, error, field",
    [
        ("planet", "spam", "", Invalid, "kind"),
        ("product", "boring", "", Invalid, "reason"),
        ("product", "spam", "x" * 1001, Invalid, "detail"),
    ],
)
def test_bad_reports_are_refused_naming_the_field(
    buyer, listing, kind, reason, detail, error, field
):
    with pytest.raises(error) as refused:
        services.report(
            reporter=buyer, kind=kind, object_id=listing.pk, reason=reason, detail=detail
        )

    assert field in refused.value.fields
    assert not Case.objects.exists()


def test_nobody_anonymous_reports_and_nothing_missing_is_reported(buyer, listing):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Forbidden):
        services.report(
            reporter=AnonymousUser(), kind="product", object_id=listing.pk, reason="spam"
        )
    with pytest.raises(NotFound):
        services.report(reporter=buyer, kind="product", object_id=999999, reason="spam")


def test_a_seller_cannot_report_their_own_listing(shop_a, listing):
    from villagemarket.catalog.models import Product

    owner = make_user("maker@example.com")
    Product.objects.filter(pk=listing.pk).update(created_by=owner)

    with pytest.raises(Conflict):
        services.report(reporter=owner, kind="product", object_id=listing.pk, reason="spam")


def test_reports_are_rate_limited_per_person(buyer, shop_a):
    from villagemarket.testing import make_product

    Settings.objects.filter(pk=1).update(reports_per_hour=2)
    products = [make_product(shop_a, title=f"商品{i}") for i in range(3)]
    for product in products[:2]:
        services.report(reporter=buyer, kind="product", object_id=product.pk, reason="spam")

    with pytest.raises(RateLimited):
        services.report(reporter=buyer, kind="product", object_id=products[2].pk, reason="spam")
    assert Case.objects.count() == 2


def test_the_report_page_takes_a_report_and_goes_back_to_the_listing(buyer, listing):
    client = client_for(buyer)
    url = f"/moderation/report/product/{listing.pk}/"

    assert client.get(url).status_code == 200
    answer = client.post(url, {"reason": "fake", "detail": "not real silk"})

    assert answer.status_code == 302 and answer["Location"] == f"/p/{listing.pk}/"
    assert Report.objects.get().detail == "not real silk"


def test_the_report_page_asks_anonymous_visitors_to_sign_in(listing):
    answer = client_for(None).get(f"/moderation/report/product/{listing.pk}/")

    assert answer.status_code == 302 and "/accounts/" in answer["Location"]


def test_the_product_page_links_to_the_report_page(buyer, listing):
    page = client_for(buyer).get(f"/p/{listing.pk}/").content.decode()

    assert f"/moderation/report/product/{listing.pk}/" in page
