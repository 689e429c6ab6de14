"""The sandbox's timelines and the Kuaidi100 adapter (signature, request, parsing recorded
answers; never called over the network)."""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

import pytest

from villagemarket.tracking.providers import ProviderError
from villagemarket.tracking.providers.kuaidi100 import Kuaidi100Provider, parse, sign
from villagemarket.tracking.providers.sandbox import SandboxProvider

RECORDED = Path(__file__).parent / "recorded"
SHIPPED = datetime.datetime(2026, 11, 25, 9, tzinfo=datetime.UTC)


def sandbox(days_later: float, **options) -> SandboxProvider:
    return SandboxProvider(now=SHIPPED + datetime.timedelta(days=days_later), options=options)


def test_the_sandbox_parcel_is_accepted_travels_goes_out_and_is_delivered():
    events = sandbox(10).fetch("ZTO", "75123456789012", "5678", shipped_at=SHIPPED)
    assert [e.status for e in events] == [
        "accepted",
        "in_transit",
        "in_transit",
        "out_for_delivery",
        "delivered",
    ]
    assert events[0].time == SHIPPED + datetime.timedelta(hours=2)
    assert len({e.location for e in events[1:3]}) == 2  # through two cities
    delivered_after = events[-1].time - SHIPPED
    assert delivered_after in (datetime.timedelta(days=3), datetime.timedelta(days=4))


def test_the_sandbox_shows_only_what_has_happened_by_now():
    assert sandbox(0.05).fetch("ZTO", "75123456789012", "", shipped_at=SHIPPED) == []
    assert [
        e.status for e in sandbox(0.5).fetch("ZTO", "75123456789012", "", shipped_at=SHIPPED)
    ] == [
        "accepted",
        "in_transit",
    ]


def test_the_sandbox_is_deterministic_and_numbers_differ():
    one = sandbox(10).fetch("ZTO", "75123456789012", "", shipped_at=SHIPPED)
    assert one == sandbox(10).fetch("ZTO", "75123456789012", "", shipped_at=SHIPPED)
    routes = {
        tuple(
            e.location
            for e in sandbox(10).fetch("ZTO", f"7512345678901{d}", "", shipped_at=SHIPPED)
        )
        for d in "0123"
    }
    assert len(routes) > 1


def test_the_sandbox_delivery_days_are_configurable():
    events = sandbox(30, days=7).fetch("SF", "SF1234567890123", "", shipped_at=SHIPPED)
    assert events[-1].time - SHIPPED >= datetime.timedelta(days=7)


def test_some_sandbox_numbers_run_into_a_problem_and_are_never_delivered():
    events = sandbox(30).fetch("ZTO", "75123456789014", "", shipped_at=SHIPPED)
    assert events[-1].status == "exception"
    assert "delivered" not in {e.status for e in events}


def test_kuaidi100_signs_param_key_customer_as_upper_case_md5():
    param = '{"com":"yuantong","num":"YT1234567890123"}'
    expected = hashlib.md5((param + "KEY" + "CUSTOMER").encode()).hexdigest().upper()  # noqa: S324
    assert sign(param, "KEY", "CUSTOMER") == expected
    assert expected.isupper() and len(expected) == 32


def test_kuaidi100_request_carries_the_company_code_phone_tail_and_signature():
    sent = {}

    def transport(url, data):
        sent.update(url=url, data=data)
        return (RECORDED / "kuaidi100_delivered.json").read_bytes()

    provider = Kuaidi100Provider(customer="C0FFEE", key="secret", transport=transport)
    events = provider.fetch("YTO", "YT1234567890123", "5678")
    param = json.loads(sent["data"]["param"])
    assert sent["url"] == "https://poll.kuaidi100.com/poll/query.do"
    assert param == {"com": "yuantong", "num": "YT1234567890123", "phone": "5678", "resultv2": "1"}
    assert sent["data"]["customer"] == "C0FFEE"
    assert sent["data"]["sign"] == sign(sent["data"]["param"], "secret", "C0FFEE")
    assert len(events) == 4


def test_kuaidi100_answers_are_parsed_into_our_statuses_with_china_time():
    events = parse((RECORDED / "kuaidi100_delivered.json").read_bytes())
    assert [e.status for e in events] == ["delivered", "out_for_delivery", "in_transit", "accepted"]
    assert events[0].time == datetime.datetime(2026, 11, 28, 7, 5, 20, tzinfo=datetime.UTC)
    assert events[-1].location == "山东,菏泽市,曹县"
    assert "签收" in events[0].description


def test_kuaidi100_no_record_yet_is_an_empty_timeline_and_a_refusal_is_an_error():
    assert parse((RECORDED / "kuaidi100_no_record.json").read_bytes()) == []
    with pytest.raises(ProviderError, match="400"):
        parse((RECORDED / "kuaidi100_refused.json").read_bytes())
    with pytest.raises(ProviderError):
        parse(b"<html>busy</html>")


def test_kuaidi100_without_an_account_or_a_company_code_is_an_error_not_a_call():
    def transport(url, data):  # pragma: no cover - must not be reached
        raise AssertionError("called")

    with pytest.raises(ProviderError):
        Kuaidi100Provider(customer="", key="", transport=transport).fetch("SF", "SF1", "")
    with pytest.raises(ProviderError):
        Kuaidi100Provider(customer="c", key="k", transport=transport).fetch("XX", "1", "")


def test_a_network_failure_is_a_provider_error():
    def transport(url, data):
        raise TimeoutError("timed out")

    with pytest.raises(ProviderError):
        Kuaidi100Provider(customer="c", key="k", transport=transport).fetch("SF", "SF1", "")
