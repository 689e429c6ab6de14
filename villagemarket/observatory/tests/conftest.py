"""Fixtures shared by the observatory's tests."""

import datetime

import pytest

from villagemarket.observatory.services import compute_year, import_statistics
from villagemarket.observatory.tests.helpers import add_village, opened_shop, sell

HEADER = "village_code,year,online_shops,active_shops,households,annual_sales_yuan\n"


@pytest.fixture
def computed(village, shop_a):
    """Cao County: 丁楼村 and 胡楼村 qualify in 2018 (丁楼村 only in 2017); a shop of 丁楼村 sold in
    2018.
    """
    extra = add_village("371721122201", "张庄村")
    rows = (
        f"{village.code},2017,300,150,370,15000000\n"
        f"{village.code},2018,400,200,370,25000000.5\n"
        f"371721121206,2018,200,120,410,12000000\n"
        f"{extra.code},2018,20,5,300,100000\n"
    )
    import_statistics(text=HEADER + rows, source="county", file_name="cao.csv")
    shop = opened_shop(village, "dinglou-costumes", datetime.date(2018, 1, 5))
    sell(shop, datetime.date(2018, 11, 1), 4321_00, n=3)
    compute_year(2017)
    compute_year(2018)
    return shop
