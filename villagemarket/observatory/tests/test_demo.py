"""The demo step: history through record_sale, imported statistics, computed years."""

import datetime

from villagemarket.observatory.demo import build_observatory_demo
from villagemarket.observatory.models import SaleEvent, VillageDesignation


def test_the_demo_makes_dinglou_a_taobao_village_and_hulou_nearly_one(shop_a):
    result = build_observatory_demo()
    year = datetime.date.today().year
    dinglou = VillageDesignation.objects.get(village_id="371721121227", year=year)
    hulou = VillageDesignation.objects.get(village_id="371721121206", year=year)
    assert dinglou.qualified and dinglou.platform_shops == 1
    assert not hulou.qualified and "sales:fail" in hulou.reasons
    assert 9_900_000_00 < hulou.sales_minor < 10_000_000_00
    # Running it again counts no sale twice.
    events = SaleEvent.objects.count()
    build_observatory_demo()
    assert SaleEvent.objects.count() == events and result["sales"] == events
