"""The operator's brushing queue (page and API) and the rules page: who may, who may not (and
that a refused request changed nothing), decisions, and tuning with bad input shown back."""

from __future__ import annotations

import pytest

from villagemarket.antifraud import rules
from villagemarket.antifraud.models import Flag, Rule
from villagemarket.orders.models import ShopOrder

from .helpers import order, tune

pytestmark = pytest.mark.django_db

QUEUE = "/operator/brushing/"
RULES = "/operator/brushing/rules/"
API = "/api/v1/antifraud/"


@pytest.fixture
def flagged(seasoned, address, sku_a):
    """Three orders from one address to Alice's shop: three address flags."""
    tune(rules.ADDRESS, threshold=3)
    return [order(seasoned, address, sku_a) for _ in range(3)]


def _open() -> int:
    return Flag.objects.filter(status="open").count()


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("buyer", 403), ("alice", 403), ("bob", 403), ("operator", 200)],
)
def test_only_operators_see_the_queue_and_the_rules(people, flagged, who, status):
    assert people[who].get(QUEUE).status_code == status
    assert people[who].get(RULES).status_code == status


@pytest.mark.parametrize(("who", "status"), [("buyer", 403), ("alice", 403), ("anonymous", 302)])
def test_others_cannot_decide_and_nothing_changes(people, flagged, who, status):
    response = people[who].post(
        QUEUE, {"subject": f"order:{flagged[0].pk}", "decision": "clear", "note": "mine"}
    )
    assert response.status_code == status
    assert _open() == 3


def test_the_queue_groups_flags_by_shop_with_their_figures(people, flagged, shop_a):
    page = people["operator"].get(QUEUE).content.decode()
    assert shop_a.name in page
    assert page.count('data-testid="flag-subject"') == 3
    assert "3 orders from 1 address in 24 h, threshold 3" in page


def test_an_operator_clears_with_a_note(people, flagged, operator):
    response = people["operator"].post(
        QUEUE, {"subject": f"order:{flagged[0].pk}", "decision": "clear", "note": "Family order"}
    )
    assert response.status_code == 302
    flag = Flag.objects.get(order=flagged[0])
    assert (flag.status, flag.note, flag.decided_by) == ("cleared", "Family order", operator)


def test_a_decision_without_a_note_is_shown_again_naming_the_note(people, flagged):
    response = people["operator"].post(
        QUEUE, {"subject": f"order:{flagged[1].pk}", "decision": "confirm", "note": "   "}
    )
    assert response.status_code == 422
    assert "Say why" in response.content.decode()
    assert _open() == 3


def test_a_second_decision_is_a_409(people, flagged):
    data = {"subject": f"order:{flagged[2].pk}", "decision": "confirm", "note": "fake"}
    people["operator"].post(QUEUE, data)
    assert people["operator"].post(QUEUE, data).status_code == 409


def test_an_operator_tunes_a_rule_and_bad_figures_are_shown_back(people, operator):
    ok = people["operator"].post(
        RULES, {"code": "address", "threshold": "5", "window_minutes": "120", "enabled": "on"}
    )
    assert ok.status_code == 302
    rule = Rule.objects.get(code="address")
    assert (rule.threshold, rule.window_minutes, rule.updated_by) == (5, 120, operator)
    bad = people["operator"].post(
        RULES, {"code": "address", "threshold": "0", "window_minutes": "abc", "enabled": "on"}
    )
    assert bad.status_code == 422
    body = bad.content.decode()
    assert 'value="abc"' in body and "Enter a whole number" in body
    assert Rule.objects.get(code="address").threshold == 5


# --- API ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("buyer", 403), ("alice", 403)])
def test_the_api_is_for_operators_only(people, flagged, who, status):
    client = people[who]
    assert client.get(API + "flags").status_code == status
    assert client.get(API + "rules").status_code == status
    body = {"order_id": flagged[0].pk, "decision": "clear", "note": "x"}
    assert client.post(API + "decisions", body, content_type="application/json").status_code == (
        status
    )
    put = client.put(API + "rules/address", {"threshold": 9}, content_type="application/json")
    assert put.status_code == status
    assert _open() == 3 and Rule.objects.get(code="address").threshold == 3


def test_the_api_lists_decides_and_tunes(people, flagged):
    client = people["operator"]
    listed = client.get(API + "flags").json()
    assert listed["count"] == 3
    item = listed["items"][0]
    assert item["rule"] == "address" and item["figures"]["count"] == 3
    assert item["explanation"] == "3 orders from 1 address in 24 h, threshold 3"
    decided = client.post(
        API + "decisions",
        {"order_id": flagged[0].pk, "decision": "confirm", "note": "ring"},
        content_type="application/json",
        headers={"Idempotency-Key": "d1"},
    )
    assert decided.status_code == 200 and decided.json() == {"decided": 1}
    again = client.post(
        API + "decisions",
        {"order_id": flagged[0].pk, "decision": "clear", "note": "oops"},
        content_type="application/json",
    )
    assert again.status_code == 409
    bad = client.put(API + "rules/address", {"threshold": 0}, content_type="application/json")
    assert bad.status_code == 422 and "threshold" in bad.json()["fields"]
    good = client.put(
        API + "rules/address",
        {"threshold": 4, "window_minutes": 60},
        content_type="application/json",
    )
    assert good.status_code == 200 and good.json()["threshold"] == 4
    assert (
        client.put(
            API + "rules/nope", {"threshold": 4}, content_type="application/json"
        ).status_code
        == 404
    )
    assert ShopOrder.objects.filter(pk=flagged[0].pk).exists()
