"""Numbers people read on the observatory's pages, and charts that label every year."""

import re

import pytest
from django.test import Client

from villagemarket.observatory.charts import time_series


def test_a_chart_labels_every_year_from_the_first_to_the_last_even_without_figures():
    svg = str(time_series({"computed": {2009: 3, 2013: 20, 2014: 211}}))
    labels = [int(y) for y in re.findall(r">(20\d\d)</text>", svg)]
    assert labels == list(range(2009, 2015))


def test_many_years_on_a_narrow_chart_are_all_labelled_and_turned_not_overlapping():
    svg = str(time_series({"n": {y: y - 2000 for y in range(2000, 2031)}}, width=390))
    assert len(re.findall(r">(20\d\d)</text>", svg)) == 31
    assert svg.count("rotate(-45") == 31


@pytest.mark.parametrize(
    "lang, sales, platform",
    [
        ("en", "¥25,000,000.50", "¥12,963.00"),
        ("zh-hans", "¥2,500万", "¥1.3万"),
    ],
)
def test_large_sums_read_as_wan_in_chinese_and_with_separators_in_english(
    computed, lang, sales, platform
):
    client = Client(headers={"accept-language": lang})
    page = client.get("/observatory/village/371721121227/?year=2018").content.decode()
    assert sales in page and platform in page
    assert "2500000050" not in page and "25000000.50" not in page  # never fen, never bare
    county = client.get("/observatory/villages/?year=2018&area=371721").content.decode()
    assert sales in county
