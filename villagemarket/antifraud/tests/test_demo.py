"""The demo with the rules live: a brushing ring waits in the operator's queue, the demo
story's own flags are cleared (its sales counted), and a second run adds nothing."""

from __future__ import annotations

import pytest

from villagemarket.antifraud.models import Flag
from villagemarket.orders.models import ShopOrder
from villagemarket.testing.personas import client_for
from villagemarket.web.demo import antifraud as demo_antifraud
from villagemarket.web.demo import data
from villagemarket.web.tests.test_demo import build_demo, tiny_regions  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_the_demo_puts_a_brushing_ring_in_the_queue(build_demo, tiny_regions):  # noqa: F811
    from villagemarket.accounts.models import User

    build_demo()
    open_flags = Flag.objects.filter(status="open")
    ring_orders = set(
        ShopOrder.objects.filter(buyer__email__in=demo_antifraud.RING).values_list("pk", flat=True)
    )
    assert len(ring_orders) == 4
    assert set(open_flags.values_list("order_id", flat=True)) == ring_orders
    rules_fired = set(open_flags.values_list("rule__code", flat=True))
    assert {"address", "device", "new_account", "tracking", "fast_confirm"} <= rules_fired
    story = Flag.objects.exclude(order_id__in=ring_orders)
    assert story.exists() and not story.exclude(status="cleared").exists()
    assert not ShopOrder.objects.filter(sale_held=True).exclude(pk__in=ring_orders).exists()
    # a second run changes nothing
    before = (Flag.objects.count(), ShopOrder.objects.count())
    build_demo()
    assert (Flag.objects.count(), ShopOrder.objects.count()) == before
    # the operator sees the ring's shop in the queue
    operator = User.objects.get(email=data.OPERATOR)
    page = client_for(operator).get("/operator/brushing/").content.decode()
    assert page.count('data-testid="flag-subject"') == 4
    assert "3 orders from 1 address in 24 h, threshold 3" in page
