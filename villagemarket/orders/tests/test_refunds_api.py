"""Refunds and disputes API: the buyer asks, the shop answers, the operator decides; who may."""

from __future__ import annotations

import pytest

from villagemarket.orders.models import Dispute, RefundRequest, ShopOrder
from villagemarket.orders.tests.factories import paid_order, shipped_order

pytestmark = pytest.mark.django_db
API = "/api/v1/orders/"


def post(client, url, data=None, **headers):
    return client.post(url, data or {}, content_type="application/json", headers=headers)


def ask(client, order, minor, **extra):
    body = {"amount_minor": minor, "reason": "damaged", "kind": "money_only", **extra}
    return post(client, f"{API}{order.pk}/refunds", body, **{"Idempotency-Key": f"r{minor}"})


def test_a_buyer_asks_after_shipment_and_a_retry_answers_the_same(people, buyer, address, sku_a):
    order = shipped_order(buyer, address, sku_a)

    first = ask(people["buyer"], order, 500)
    again = ask(people["buyer"], order, 500)

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.content == again.content
    assert first.json()["status"] == "requested" and first.json()["amount_minor"] == 500
    assert RefundRequest.objects.count() == 1
    listed = people["buyer"].get(API + "refunds").json()
    assert listed["count"] == 1 and set(listed) >= {"items", "count", "page", "pages"}


def test_asking_for_more_than_is_refundable_is_a_409_naming_the_amount(
    people, buyer, address, sku_a
):
    order = paid_order(buyer, address, sku_a)

    response = ask(people["buyer"], order, order.total_minor + 1)

    assert response.status_code == 409
    assert response.json()["code"] == "refund_exceeds_refundable"
    assert not RefundRequest.objects.exists()


def test_bad_input_names_the_field_and_changes_nothing(people, buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)

    response = ask(people["buyer"], order, 100, reason="because")

    assert response.status_code == 422
    assert "reason" in response.content.decode()
    assert not RefundRequest.objects.exists()


@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 401), ("alice", 404), ("bob", 404), ("operator", 404), ("buyer", 201)],
)
def test_only_the_buyer_may_ask_for_a_refund(people, buyer, address, sku_a, who, status):
    order = paid_order(buyer, address, sku_a)

    response = ask(people[who], order, 100)

    assert response.status_code == status
    assert RefundRequest.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 401), ("buyer", 404), ("bob", 404), ("operator", 404), ("alice", 200)],
)
def test_only_the_shops_staff_may_approve(people, buyer, address, sku_a, who, status):
    order = shipped_order(buyer, address, sku_a)
    refund_id = ask(people["buyer"], order, 500).json()["id"]

    response = post(people[who], f"{API}shops/alice-costumes/refunds/{refund_id}/approve")

    assert response.status_code == status
    expected = "refunded" if status == 200 else "requested"
    assert RefundRequest.objects.get(pk=refund_id).status == expected


def test_a_rejection_goes_to_arbitration_and_the_operator_decides_for_the_buyer(
    people, buyer, address, sku_a
):
    order = shipped_order(buyer, address, sku_a)
    refund_id = ask(people["buyer"], order, order.total_minor).json()["id"]
    shop_url = f"{API}shops/alice-costumes/refunds/{refund_id}/"
    assert post(people["alice"], shop_url + "reject", {"note": ""}).status_code == 422
    assert post(people["alice"], shop_url + "reject", {"note": "用坏了"}).status_code == 200

    opened = post(people["buyer"], f"{API}refunds/{refund_id}/dispute", {"text": "到货就坏"})
    assert opened.status_code == 201
    dispute_id = opened.json()["id"]
    said = post(people["alice"], f"{API}disputes/{dispute_id}/statements", {"text": "发货完好"})
    assert [s["side"] for s in said.json()["statements"]] == ["buyer", "seller"]
    assert people["bob"].get(f"{API}disputes/{dispute_id}").status_code == 404

    refused = post(
        people["alice"], f"{API}disputes/{dispute_id}/decide", {"for_buyer": False, "note": "x"}
    )
    decided = post(
        people["operator"],
        f"{API}disputes/{dispute_id}/decide",
        {"for_buyer": True, "note": "照片显示破损"},
    )

    assert refused.status_code == 403
    assert decided.status_code == 200 and decided.json()["decision"] == "buyer"
    assert RefundRequest.objects.get(pk=refund_id).status == "refunded"
    assert ShopOrder.objects.get(pk=order.pk).status == "closed"
    assert Dispute.objects.get().decided_by.email == "operator@example.com"


@pytest.mark.parametrize(
    "who, status", [("anonymous", 401), ("buyer", 403), ("alice", 403), ("operator", 200)]
)
def test_only_operators_list_open_disputes(people, who, status):
    assert people[who].get(API + "disputes").status_code == status


def test_a_refund_asked_with_an_idempotency_key_is_paid_once_the_write_commits(
    people, buyer, address, sku_a, django_capture_on_commit_callbacks, monkeypatch
):
    # The idempotent write runs in one transaction: the provider must not be asked before it
    # commits (a rollback would forget a refund the provider made, and a retry would ask again).
    from villagemarket.orders.services import refund_payments
    from villagemarket.payments.providers import sandbox

    order = paid_order(buyer, address, sku_a)
    asked_inside = []
    original = sandbox.SandboxProvider.refund

    def refund(self, payment, **kwargs):
        asked_inside.append(refund_payments._inside_a_transaction())
        return original(self, payment, **kwargs)

    monkeypatch.setattr(sandbox.SandboxProvider, "refund", refund)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(people["buyer"], order, order.total_minor)
        assert asked_inside == []  # not yet: the write has not committed

    assert response.status_code == 201 and response.json()["status"] == "paying"
    assert asked_inside == [False]
    assert RefundRequest.objects.get().status == "refunded"
    assert ShopOrder.objects.get(pk=order.pk).refunded_minor == order.total_minor
