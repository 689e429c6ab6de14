"""The pickup pages on a 390 px phone, in both languages: no sideways scrolling, thumb-sized
targets (the seller-center phone check of web/tests/test_browser_phone.py, on pickup data)."""

from __future__ import annotations

import pytest

from villagemarket.logistics import services
from villagemarket.orders.tests.factories import paid_order
from villagemarket.web.tests.test_browser_phone import check_pages, session_of

from .conftest import numbered


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pickup_pages_fit_a_phone(
    live_server, alice, buyer, address, point, point_skus, batch, orders, language
):
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[o.pk for o in orders[:2]])
    services.assign_tracking(point=point, batch_id=batch.pk, numbers=numbered(batch, orders[:1]))
    paid_order(buyer, address, point_skus["王家"])  # one more waiting to be added
    slug = point.slug
    pages = {
        "pickups": f"/seller/logistics/{slug}/",
        "pickup-new": f"/seller/logistics/{slug}/new/",
        "pickup-batch": f"/seller/logistics/{slug}/{batch.pk}/",
        "pickup-partners": f"/seller/logistics/{slug}/memberships/",
        "pickup-pick-list": f"/seller/logistics/{slug}/{batch.pk}/pick-list/",
    }

    problems = check_pages(live_server, session_of(alice), pages, language)

    assert problems == [], "\n".join(problems)
