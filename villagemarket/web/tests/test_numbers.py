"""Numbers people read: money and counts in the viewer's language, dates likewise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from villagemarket.core.money import Money
from villagemarket.web.templatetags.numbers import format_amount


@pytest.mark.parametrize(
    ("value", "chinese", "english"),
    [
        (Money(123450), "¥1,234.50", "¥1,234.50"),
        (Money(99), "¥0.99", "¥0.99"),
        (Money(1234567), "¥1.23万", "¥12,345.67"),
        (Money(1_000_000_000), "¥1,000万", "¥10,000,000.00"),
        (Money(32_000_000_000), "¥3.2亿", "¥320,000,000.00"),
        (Money(-1234567), "¥-1.23万", "¥-12,345.67"),
        (Money(1000, "USD"), "$10.00", "$10.00"),
        (7023, "7,023", "7,023"),
        (25_000, "2.5万", "25,000"),
        (620_573, "62.06万", "620,573"),
        (0, "0", "0"),
    ],
)
def test_amounts_read_as_people_say_them(value, chinese, english):
    assert format_amount(value, chinese=True) == chinese
    assert format_amount(value, chinese=False) == english


def test_the_template_filter_follows_the_active_language_and_reads_minor_units():
    template = Template('{% load numbers %}{{ sales|amount:"CNY" }} {{ total|amount }}')
    context = Context({"sales": 1_500_000_000, "total": Money(168000)})

    with translation.override("zh-hans"):
        assert template.render(context) == "¥1,500万 ¥1,680.00"
    with translation.override("en"):
        assert template.render(context) == "¥15,000,000.00 ¥1,680.00"


def test_dates_in_the_viewers_language():
    day = dt.date(2026, 12, 1)
    moment = dt.datetime(2026, 12, 1, 14, 5)

    with translation.override("zh-hans"):
        assert formats.date_format(day) == "2026年12月1日"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "2026年12月1日 14:05"
    with translation.override("en"):
        assert formats.date_format(day) == "1 Dec 2026"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "1 Dec 2026, 14:05"
