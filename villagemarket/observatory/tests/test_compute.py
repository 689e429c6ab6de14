"""The yearly computation from rollups and imports: designations, towns, clusters, idempotence."""

import datetime

import pytest
from django.core.management import call_command

from villagemarket.core.errors import NotFound
from villagemarket.observatory import rules as R
from villagemarket.observatory.models import Cluster, TownDesignation, VillageDesignation
from villagemarket.observatory.services import record_refund
from villagemarket.observatory.services.designations import (
    compute_year,
    platform_figures,
    rule_set_for,
)
from villagemarket.observatory.services.statistics_import import import_statistics
from villagemarket.observatory.tests.helpers import add_village, opened_shop, sell, small_rules
from villagemarket.shops.models import Shop

JAN = datetime.date(2024, 1, 10)
NOV = datetime.date(2024, 11, 10)
HEADER = "village_code,year,online_shops,active_shops,households,annual_sales_yuan,lat,lon\n"


def designation(code, year=2024):
    return VillageDesignation.objects.get(village_id=code, year=year)


def test_each_year_uses_the_rule_set_in_force(db):
    assert rule_set_for(2013).name == "AliResearch 2013"
    assert rule_set_for(2016).name == "AliResearch 2014-2018"
    assert rule_set_for(2019).name == "AliResearch 2019"
    assert rule_set_for(2031).name == "AliResearch 2020-"
    with pytest.raises(NotFound):
        rule_set_for(2010)


def test_platform_sales_and_active_shops_qualify_a_village(village):
    rules = small_rules()
    busy, quiet = opened_shop(village, "busy", JAN), opened_shop(village, "quiet", JAN)
    late = opened_shop(village, "late", datetime.date(2024, 12, 3))  # 29 days open by 31 Dec
    sell(busy, NOV, 600_00, n=3)
    sell(quiet, NOV, 100_00, n=2)  # two orders in Oct-Dec: not active
    sell(late, datetime.date(2024, 12, 20), 100_00, n=5)
    result = compute_year(2024, rules.name)
    d = designation(village.code)
    assert (d.online_shops, d.active_shops, d.sales_minor) == (3, 1, 2500_00)
    assert d.source == "platform" and not d.qualified and "active:fail" in d.reasons
    assert result.taobao_villages == 0


def test_a_shop_open_30_days_by_year_end_counts_as_active(village):
    rules = small_rules()
    for slug in ("a", "b"):
        shop = opened_shop(village, slug, datetime.date(2024, 12, 2))
        sell(shop, datetime.date(2024, 12, 20), 200_00, n=3)
    compute_year(2024, rules.name)
    d = designation(village.code)
    assert d.active_shops == 2 and d.qualified


def test_refunds_lower_a_villages_sales_below_the_threshold(village):
    rules = small_rules()
    shops = [opened_shop(village, s, JAN) for s in ("a", "b")]
    for shop in shops:
        sell(shop, NOV, 200_00, n=3)  # 1200 yuan in all: qualifies
    compute_year(2024, rules.name)
    assert designation(village.code).qualified
    record_refund(
        shop_id=shops[0].pk, ref="refund:1", day=datetime.date(2024, 12, 1), amount_minor=300_00
    )
    compute_year(2024, rules.name)
    d = designation(village.code)
    assert d.sales_minor == 900_00 and not d.qualified and "sales:fail" in d.reasons


def test_recomputing_replaces_the_years_rows(village):
    rules = small_rules()
    for slug in ("a", "b"):
        sell(opened_shop(village, slug, JAN), NOV, 600_00, n=3)
    first = compute_year(2024, rules.name)
    second = compute_year(2024, rules.name)
    assert first == second
    assert VillageDesignation.objects.filter(year=2024).count() == 1
    assert TownDesignation.objects.filter(year=2024, qualified=True).count() == 1


def test_imported_statistics_win_and_the_platform_figures_are_kept_beside_them(village):
    rules = small_rules()
    sell(opened_shop(village, "a", JAN), NOV, 100_00, n=3)
    import_statistics(
        text=HEADER + f"{village.code},2024,300,120,370,12000000.00,,\n",
        source="county",
        file_name="c.csv",
    )
    compute_year(2024, rules.name)
    d = designation(village.code)
    assert (d.source, d.import_source, d.sales_minor, d.active_shops) == (
        "import",
        "county",
        12_000_000_00,
        120,
    )
    assert (d.platform_sales_minor, d.platform_shops, d.platform_active_shops) == (300_00, 1, 1)


def test_the_latest_import_wins_when_two_sources_cover_a_village(village):
    import_statistics(
        text=HEADER + f"{village.code},2020,10,5,370,1.00,,\n", source="old", file_name="a.csv"
    )
    import_statistics(
        text=HEADER + f"{village.code},2020,300,120,370,12000000,,\n",
        source="new",
        file_name="b.csv",
    )
    compute_year(2020)
    d = designation(village.code, 2020)
    assert d.import_source == "new" and d.qualified


def test_a_residents_committee_is_not_a_taobao_village_from_2020(village):
    rows = "".join(
        f"{c},{y},300,150,1000,20000000,,\n"
        for c in ("371721121001", "371721121227")
        for y in (2019, 2020)
    )
    import_statistics(text=HEADER + rows, source="s", file_name="s.csv")
    compute_year(2019)
    compute_year(2020)
    assert designation("371721121001", 2019).qualified
    assert not designation("371721121001", 2020).qualified
    assert designation("371721121227", 2020).qualified


def test_a_subdistrict_is_a_taobao_town_in_2019_but_not_in_2020(village):
    codes = [
        add_village(f"371721001{n:03d}", f"村{n}", kind="subdistrict").code for n in range(201, 204)
    ]
    rows = "".join(f"{c},{y},300,150,1000,20000000,,\n" for c in codes for y in (2019, 2020))
    import_statistics(text=HEADER + rows, source="s", file_name="s.csv")
    compute_year(2019)
    compute_year(2020)
    town = TownDesignation.objects.get
    assert town(year=2019, township_id="371721001").qualified
    t2020 = town(year=2020, township_id="371721001")
    assert (
        not t2020.qualified and t2020.taobao_villages == 3 and t2020.reasons == ["subdistrict:fail"]
    )


def test_ten_taobao_villages_of_one_township_without_coordinates_are_a_cluster(village):
    codes = [add_village(f"371721122{n:03d}", f"村{n}").code for n in range(201, 211)]
    rows = "".join(f"{c},2018,300,150,1000,10000000,,\n" for c in codes)
    import_statistics(text=HEADER + rows, source="s", file_name="s.csv")
    compute_year(2018)
    cluster = Cluster.objects.get(year=2018)
    assert (
        cluster.village_count == 10
        and cluster.sales_minor == 100_000_000_00
        and not cluster.very_large
    )
    assert cluster.members.count() == 10


def test_villages_far_apart_do_not_make_a_cluster_even_in_one_township(village):
    codes = [add_village(f"371721122{n:03d}", f"村{n}").code for n in range(201, 211)]
    rows = "".join(
        f"{c},2018,300,150,1000,10000000,{30 + i},{110 + i}\n" for i, c in enumerate(codes)
    )
    import_statistics(text=HEADER + rows, source="s", file_name="s.csv")
    compute_year(2018)
    assert not Cluster.objects.filter(year=2018).exists()
    assert VillageDesignation.objects.filter(year=2018, qualified=True).count() == 10


def test_the_management_command_computes_a_year(village, capsys):
    import_statistics(
        text=HEADER + f"{village.code},2018,300,150,1000,10000000,,\n",
        source="s",
        file_name="s.csv",
    )
    call_command("observatory", "compute", "--year", "2018", "--no-progress")
    assert designation(village.code, 2018).qualified
    assert "1 Taobao villages" in capsys.readouterr().out


# Shops on every edge of the active-shop rule: (opened, [(day, orders)], status).
EDGE_SHOPS = [
    (datetime.date(2024, 12, 2), [(datetime.date(2024, 12, 20), 3)], "active"),
    (datetime.date(2024, 12, 3), [(datetime.date(2024, 12, 20), 9)], "active"),
    (datetime.date(2024, 11, 2), [(datetime.date(2024, 12, 20), 1)], "active"),
    (JAN, [(datetime.date(2024, 10, 1), 2), (datetime.date(2024, 12, 31), 1)], "active"),
    (JAN, [(datetime.date(2024, 9, 30), 5), (datetime.date(2024, 10, 1), 2)], "active"),
    (JAN, [(datetime.date(2024, 8, 1), 1), (datetime.date(2024, 11, 30), 4)], "suspended"),
    (JAN, [], "active"),
    (JAN, [(NOV, 8)], "pending"),  # never reviewed: not an online shop at all
]


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"active_min_days_open": 60, "active_window_months": 5, "active_min_orders": 5},
        {"active_min_days_open": 1, "active_window_months": 1, "active_min_orders": 1},
    ],
)
def test_the_sql_count_of_active_shops_agrees_with_the_pure_rule(village, overrides):
    # given shops on each edge of the rule, and a rule set
    rules = R.Rules.from_model(small_rules(**overrides))
    criteria = R.active_shop_criteria(2024, rules)
    expected_active = expected_online = 0
    for i, (opened, sales, status) in enumerate(EDGE_SHOPS):
        shop = opened_shop(village, f"edge-{i}", opened)
        Shop.objects.filter(pk=shop.pk).update(status=status)
        for day, n in sales:
            sell(shop, day, 100_00, n=n)
        if status == "pending":
            continue
        expected_online += 1
        in_window = sum(
            n for day, n in sales if criteria.window_start <= day <= criteria.window_end
        )
        expected_active += R.is_active_shop(opened, in_window, 2024, rules)
    # when the database counts them
    online, active, _net = platform_figures(2024, rules)[village.code]
    # then it counts exactly the shops the pure rule admits
    assert (online, active) == (expected_online, expected_active)
    assert 0 < expected_active < expected_online  # the edges fall on both sides
