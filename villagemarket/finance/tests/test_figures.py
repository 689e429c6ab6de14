"""The daily figures: each column from the ledger (or the withdrawal requests), per market day,
with escrow and pending payouts carried from day to day, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from villagemarket.core.errors import Invalid
from villagemarket.core.money import Money
from villagemarket.finance import figures
from villagemarket.ledger import services as ledger
from villagemarket.ledger.services import OrderLine

from . import flows

pytestmark = pytest.mark.django_db

BEIJING = dt.timezone(dt.timedelta(hours=8))


def at(monkeypatch, day: dt.date, hour: int = 12):
    """Post what follows at `hour` o'clock Beijing time on `day`."""
    moment = dt.datetime.combine(day, dt.time(hour), tzinfo=BEIJING)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_a_market_day_shows_every_column(buyer, address, sku_a, sku_b, alice, shop_a, operator):
    flows.market_day(buyer, address, sku_a, sku_b, alice, shop_a, operator)
    today = figures.today()

    data = figures.daily_figures(today, today)

    (day,) = data.days
    assert day.gmv == Money(54_700)  # 198 + 250 + 99 captured
    assert day.refunds == Money(14_900)  # 50 + 99, before settlement
    assert day.escrow_held == Money(20_000)  # 250 - 50 still held
    assert day.commission == Money(990)  # 5% of the ¥198 settled
    assert day.payouts == Money(5_000)
    assert day.pending_payouts == Money(2_000)


def test_escrow_and_pending_payouts_carry_over_days_without_postings(monkeypatch, shop_a, alice):
    d1, d2, d3 = dt.date(2026, 3, 1), dt.date(2026, 3, 2), dt.date(2026, 3, 3)
    at(monkeypatch, d1, hour=0)  # just after midnight Beijing time: still 1 March there
    ledger.record_payment_captured(reference="p1", provider="sandbox", amount=Money(10_000))
    ledger.settle_order(
        reference="o1", shop_id=shop_a.pk, lines=[OrderLine(Money(4_000))], freight=Money(0)
    )
    flows.withdraw(alice, shop_a, 1_500)
    at(monkeypatch, d3, hour=23)
    ledger.record_payment_captured(reference="p2", provider="sandbox", amount=Money(2_500))

    data = figures.daily_figures(d1, d3)

    assert [d.gmv for d in data.days] == [Money(10_000), Money(0), Money(2_500)]
    assert [d.escrow_held for d in data.days] == [Money(6_000), Money(6_000), Money(8_500)]
    assert [d.commission for d in data.days] == [Money(200), Money(0), Money(0)]
    assert [d.pending_payouts for d in data.days] == [Money(1_500)] * 3
    assert data.totals["gmv"] == Money(12_500) and data.totals["escrow_held"] == Money(8_500)
    # a range that starts later opens with what escrow held before it
    later = figures.daily_figures(d2, d2)
    assert later.days[0].escrow_held == Money(6_000) and later.days[0].gmv == Money(0)


def test_a_reversed_capture_leaves_gmv_on_the_day_of_the_reversal(monkeypatch):
    d1, d2 = dt.date(2026, 3, 1), dt.date(2026, 3, 2)
    at(monkeypatch, d1)
    txn = ledger.record_payment_captured(reference="p1", provider="sandbox", amount=Money(3_000))
    at(monkeypatch, d2)
    ledger.reverse(txn, reason="captured twice")

    data = figures.daily_figures(d1, d2)

    assert [d.gmv for d in data.days] == [Money(3_000), Money(-3_000)]
    assert [d.escrow_held for d in data.days] == [Money(3_000), Money(0)]


def test_a_decided_withdrawal_stops_being_pending_on_the_day_it_is_paid(
    monkeypatch, shop_a, alice, operator
):
    d1, d2 = dt.date(2026, 3, 1), dt.date(2026, 3, 2)
    at(monkeypatch, d1)
    ledger.record_payment_captured(reference="p1", provider="sandbox", amount=Money(10_000))
    ledger.settle_order(
        reference="o1", shop_id=shop_a.pk, lines=[OrderLine(Money(10_000))], freight=Money(0)
    )
    request = flows.withdraw(alice, shop_a, 3_000)
    at(monkeypatch, d2)
    from villagemarket.ledger import withdrawals
    from villagemarket.ledger.models import Withdrawal

    withdrawals.pay_withdrawal(operator=operator, withdrawal_id=request.pk)
    # decided_at comes from the database clock: put it on day 2 as the test's clock says
    Withdrawal.objects.filter(pk=request.pk).update(decided_at=timezone.now())

    data = figures.daily_figures(d1, d2)

    assert [d.pending_payouts for d in data.days] == [Money(3_000), Money(0)]
    assert [d.payouts for d in data.days] == [Money(0), Money(3_000)]


def test_the_number_of_queries_does_not_grow_with_the_range(
    django_assert_max_num_queries, buyer, address, sku_a, sku_b, alice, shop_a, operator
):
    flows.market_day(buyer, address, sku_a, sku_b, alice, shop_a, operator)
    end = figures.today()

    with django_assert_max_num_queries(5):
        figures.daily_figures(end - dt.timedelta(days=6), end)
    with django_assert_max_num_queries(5):
        year = figures.daily_figures(end - dt.timedelta(days=365), end)

    assert len(year.days) == 366 and year.totals["gmv"] == Money(54_700)


def test_the_default_range_is_the_last_30_days():
    start, end = figures.parse_range(None, "", now=dt.date(2026, 3, 31))

    assert (start, end) == (dt.date(2026, 3, 2), dt.date(2026, 3, 31))


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("yesterday", "", "start"),
        ("2026-02-30", "", "start"),
        ("", "2026/03/01", "end"),
        ("٢٠٢٦-٠٣-٠١", "", "start"),  # Arabic-Indic digits
        ("2026-03-05", "2026-03-01", "start"),  # first day after the last
        ("2024-01-01", "2026-03-01", "start"),  # more than a year
    ],
)
def test_bad_dates_are_refused_naming_the_field(start, end, field):
    with pytest.raises(Invalid) as refused:
        figures.parse_range(start, end)

    assert field in refused.value.fields


def test_an_unknown_currency_is_refused():
    with pytest.raises(Invalid) as refused:
        figures.parse_currency("XYZ")

    assert "currency" in refused.value.fields
    assert figures.parse_currency(" usd ") == "USD"
