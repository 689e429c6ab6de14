"""The finance API: operators only; the daily figures and the reconciliation as JSON."""

from __future__ import annotations

import pytest

from villagemarket.core.money import Money
from villagemarket.finance import figures
from villagemarket.ledger import services as ledger

from . import flows

pytestmark = pytest.mark.django_db

DAILY = "/api/v1/finance/daily"
RECONCILIATION = "/api/v1/finance/reconciliation"


@pytest.fixture
def day(buyer, address, sku_a, sku_b, alice, shop_a, operator):
    return flows.market_day(buyer, address, sku_a, sku_b, alice, shop_a, operator)


@pytest.mark.parametrize("url", [DAILY, RECONCILIATION])
@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("buyer", 403), ("alice", 403), ("bob", 403), ("operator", 200)],
)
def test_only_operators_may_read_finance(people, day, url, who, status):
    response = people[who].get(url)

    assert response.status_code == status
    if status != 200:
        assert set(response.json()) == {"code", "message", "fields"}
        assert "54700" not in response.text


def test_the_daily_figures_in_minor_units(people, day):
    today = figures.today().isoformat()

    body = people["operator"].get(f"{DAILY}?start={today}&end={today}").json()

    assert body["currency"] == "CNY" and body["start"] == today == body["end"]
    assert body["days"] == [
        {
            "day": today,
            "gmv_minor": 54_700,
            "escrow_held_minor": 20_000,
            "commission_minor": 990,
            "refunds_minor": 14_900,
            "pending_payouts_minor": 2_000,
            "payouts_minor": 5_000,
        }
    ]
    assert body["totals"]["gmv_minor"] == 54_700


def test_the_default_range_is_30_days(people):
    body = people["operator"].get(DAILY).json()

    assert len(body["days"]) == 30 and body["end"] == figures.today().isoformat()


@pytest.mark.parametrize(
    ("query", "field"),
    [("start=tomorrow", "start"), ("end=2026-02-30", "end"), ("currency=ABC", "currency")],
)
def test_bad_input_is_422_naming_the_field(people, query, field):
    response = people["operator"].get(f"{DAILY}?{query}")

    assert response.status_code == 422
    assert response.json()["code"] == "invalid" and field in response.json()["fields"]


def test_the_reconciliation_all_agrees_on_real_flows(people, day):
    body = people["operator"].get(RECONCILIATION).json()

    assert body["all_agree"] is True and body["mismatches"] == []
    assert body["checked"]["payments"] == 3
    assert body["escrow"] == [
        {
            "currency": "CNY",
            "captured_minor": 54_700,
            "refunded_minor": 14_900,
            "settled_minor": 19_800,
            "expected_minor": 20_000,
            "held_minor": 20_000,
        }
    ]


def test_the_reconciliation_lists_a_mismatch(people, day, shop_a):
    ledger.record_payout(reference="cash-in-hand", shop_id=shop_a.pk, amount=Money(1_000))

    body = people["operator"].get(RECONCILIATION).json()

    assert body["all_agree"] is False
    (mismatch,) = body["mismatches"]
    assert mismatch["kind"] == "payout_without_withdrawal"
    assert "cash-in-hand" in mismatch["message"] and mismatch["transaction_id"]
