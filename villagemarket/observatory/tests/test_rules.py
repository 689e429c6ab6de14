"""The criteria at their boundaries, without a database."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from villagemarket.observatory.rules import (
    Place,
    Rules,
    TownFigures,
    VillageFigures,
    contiguous_groups,
    distance_km,
    evaluate_cluster,
    evaluate_town,
    evaluate_village,
    is_active_shop,
)

YUAN = 100
R2013 = Rules(name="2013", village_min_registered_shops=50)
R2014 = Rules(
    name="2014-2018",
    village_min_sales_minor=10_000_000 * YUAN,
    village_min_active_shops=100,
    village_min_active_share_pct=Decimal("10"),
    town_min_villages=3,
)
R2019 = Rules(
    **{
        **R2014.__dict__,
        "name": "2019",
        "town_alt_min_sales_minor": 30_000_000 * YUAN,
        "town_alt_min_active_shops": 300,
    }
)
R2020 = Rules(
    **{**R2019.__dict__, "name": "2020-", "rural_only": True, "exclude_subdistricts": True}
)


def village(sales_yuan=10_000_000, shops=150, active=100, households=5000, rural=True):
    return VillageFigures(sales_yuan * YUAN, shops, active, households, rural)


def test_ten_million_yuan_qualifies_and_one_yuan_less_does_not():
    assert evaluate_village(village(sales_yuan=10_000_000), R2014).passed
    verdict = evaluate_village(village(sales_yuan=9_999_999), R2014)
    assert not verdict.passed and "sales:fail" in verdict.reasons


def test_one_fen_short_of_ten_million_does_not_qualify():
    f = VillageFigures(10_000_000 * YUAN - 1, 150, 100, 5000, True)
    assert not evaluate_village(f, R2014).passed


def test_a_hundred_active_shops_qualify_and_ninety_nine_do_not_in_a_big_village():
    assert (
        evaluate_village(village(active=100, households=5000), R2014).reasons[-1]
        == "active_count:pass"
    )
    assert not evaluate_village(village(active=99, households=5000), R2014).passed


def test_active_shops_of_ten_percent_of_households_qualify_a_small_village():
    # 99 active shops are too few by count, but 99 of 990 households is exactly 10%.
    verdict = evaluate_village(village(active=99, households=990), R2014)
    assert verdict.passed and "active_share:pass" in verdict.reasons
    assert not evaluate_village(village(active=99, households=991), R2014).passed


def test_unknown_households_cannot_pass_the_share_test():
    assert not evaluate_village(village(active=50, households=None), R2014).passed
    assert not evaluate_village(village(active=50, households=0), R2014).passed


def test_a_residents_committee_qualifies_before_2020_but_not_from_2020():
    committee = village(rural=False)
    assert evaluate_village(committee, R2019).passed
    verdict = evaluate_village(committee, R2020)
    assert not verdict.passed and "rural:fail" in verdict.reasons
    assert evaluate_village(village(rural=True), R2020).passed


def test_2013_counts_registered_shops_only():
    assert evaluate_village(village(sales_yuan=0, shops=50, active=0), R2013).passed
    assert not evaluate_village(village(sales_yuan=10**9, shops=49, active=49), R2013).passed


def test_a_shop_open_29_days_by_year_end_is_not_active_and_30_days_is():
    assert is_active_shop(datetime.date(2024, 12, 2), 3, 2024, R2014)  # 2..31 Dec = 30 days
    assert not is_active_shop(datetime.date(2024, 12, 3), 3, 2024, R2014)  # 29 days


def test_an_active_shop_needs_three_orders_in_the_last_three_months():
    assert is_active_shop(datetime.date(2024, 1, 1), 3, 2024, R2014)
    assert not is_active_shop(datetime.date(2024, 1, 1), 2, 2024, R2014)


def test_three_taobao_villages_make_a_town_and_two_do_not():
    assert evaluate_town(TownFigures(3, 0, 0, "town"), R2014).passed
    assert not evaluate_town(
        TownFigures(2, 10**12, 10**6, "town"), R2014
    ).passed  # no alternative before 2019


def test_from_2019_a_township_selling_over_30_million_with_over_300_active_shops_is_a_town():
    big = TownFigures(0, 30_000_000 * YUAN + 1, 301, "township")
    assert evaluate_town(big, R2019).passed
    assert not evaluate_town(TownFigures(0, 30_000_000 * YUAN, 301, "township"), R2019).passed
    assert not evaluate_town(TownFigures(0, 30_000_000 * YUAN + 1, 300, "township"), R2019).passed


def test_a_subdistrict_is_a_town_in_2019_but_not_in_2020():
    street = TownFigures(5, 0, 0, "subdistrict")
    assert evaluate_town(street, R2019).passed
    verdict = evaluate_town(street, R2020)
    assert not verdict.passed and verdict.reasons == ["subdistrict:fail"]
    assert evaluate_town(TownFigures(5, 0, 0, "town"), R2020).passed


def test_2013_has_no_towns():
    assert not evaluate_town(TownFigures(30, 10**12, 10**6, "town"), R2013).passed


def test_cluster_needs_ten_villages_and_100_million_yuan():
    hundred_million = 100_000_000 * YUAN
    assert evaluate_cluster(10, hundred_million, R2014) == (True, False)
    assert evaluate_cluster(9, hundred_million * 5, R2014) == (False, False)
    assert evaluate_cluster(10, hundred_million - 1, R2014) == (False, False)
    assert evaluate_cluster(100, hundred_million, R2014) == (True, True)


def test_villages_within_the_distance_form_one_group_and_a_far_one_stays_apart():
    # ~0.045 degrees of latitude is ~5 km; a chain of villages 3 km apart links end to end.
    step = 3 / 111.2
    chain = [Place(f"c{i}", f"t{i}", 1, 35.0 + i * step, 115.5) for i in range(5)]
    far = Place("far", "tx", 1, 36.0, 115.5)
    groups = contiguous_groups([*chain, far], km=5)
    assert sorted(len(g) for g in groups) == [1, 5]
    assert sorted(len(g) for g in contiguous_groups([*chain, far], km=2)) == [1, 1, 1, 1, 1, 1]


def test_villages_without_coordinates_join_their_township():
    a = Place("a", "371721121", 1)
    b = Place("b", "371721121", 1, 34.8, 115.6)
    c = Place("c", "371721122", 1)
    groups = contiguous_groups([a, b, c], km=5)
    assert sorted(sorted(p.code for p in g) for g in groups) == [["a", "b"], ["c"]]


def test_distance_matches_a_known_value():
    # Beijing (39.9042, 116.4074) to Shanghai (31.2304, 121.4737) is about 1067 km.
    assert 1060 < distance_km(39.9042, 116.4074, 31.2304, 121.4737) < 1075


@given(
    st.lists(
        st.tuples(st.floats(30, 31, allow_nan=False), st.floats(115, 116, allow_nan=False)),
        min_size=1,
        max_size=40,
    )
)
def test_grid_grouping_agrees_with_brute_force(points):
    places = [Place(str(i), "t", 1, lat, lon) for i, (lat, lon) in enumerate(points)]
    km = 8.0
    groups = {
        p.code: frozenset(q.code for q in g) for g in contiguous_groups(places, km) for p in g
    }
    for p in places:
        for q in places:
            if distance_km(p.lat, p.lon, q.lat, q.lon) <= km:
                assert groups[p.code] == groups[q.code]
