"""The moderation API: the same permissions as the pages, the one error body."""

from __future__ import annotations

import pytest

from villagemarket.catalog.models import Product
from villagemarket.moderation import selectors, services
from villagemarket.moderation.models import Case, Term

pytestmark = pytest.mark.django_db
API = "/api/v1/moderation"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_a_signed_in_buyer_reports_a_listing(people, listing):
    answer = post(
        people["buyer"],
        f"{API}/reports",
        {"kind": "product", "object_id": listing.pk, "reason": "fake", "detail": "fake silk"},
    )

    assert answer.status_code == 201, answer.content
    assert answer.json()["report_count"] == 1
    assert Case.objects.get().report_count == 1


def test_an_anonymous_report_is_refused(people, listing):
    answer = post(
        people["anonymous"],
        f"{API}/reports",
        {"kind": "product", "object_id": listing.pk, "reason": "fake"},
    )

    assert answer.status_code == 401
    assert not Case.objects.exists()


def test_a_report_with_a_bad_reason_names_the_field(people, listing):
    answer = post(
        people["buyer"],
        f"{API}/reports",
        {"kind": "product", "object_id": listing.pk, "reason": "meh"},
    )

    assert answer.status_code == 422
    assert "reason" in answer.json()["fields"]


@pytest.mark.parametrize(
    "who, status", [("anonymous", 401), ("buyer", 403), ("alice", 403), ("operator", 200)]
)
def test_the_queue_is_for_operators(people, held_listing, who, status):
    answer = people[who].get(f"{API}/cases")

    assert answer.status_code == status
    if status == 200:
        body = answer.json()
        assert body["count"] == 1 and body["items"][0]["held"] is True
        assert body["items"][0]["matches"][0]["category"] == "contact"


@pytest.mark.parametrize("who", ["buyer", "alice", "bob"])
def test_only_operators_decide_through_the_api(people, held_listing, who):
    case = selectors.open_case("product", held_listing.pk)

    answer = post(people[who], f"{API}/cases/{case.pk}/decision", {"approve": True})

    assert answer.status_code == 403
    assert Product.objects.get(pk=held_listing.pk).status == "held"


def test_an_operator_rejects_then_a_second_decision_is_409(people, held_listing):
    case = selectors.open_case("product", held_listing.pk)
    url = f"{API}/cases/{case.pk}/decision"

    refused = post(people["operator"], url, {"approve": False})
    first = post(people["operator"], url, {"approve": False, "reason": "contact details"})
    second = post(people["operator"], url, {"approve": True})

    assert refused.status_code == 422 and "reason" in refused.json()["fields"]
    assert first.status_code == 200 and first.json()["status"] == "rejected"
    assert second.status_code == 409 and second.json()["code"] == "already_decided"


def test_operators_edit_terms_and_they_apply_at_once(people):
    client = people["operator"]

    made = post(client, f"{API}/terms", {"text": "土鸡蛋", "category": "other"})
    assert made.status_code == 201
    assert services.screen("出售土鸡蛋").held

    term_id = made.json()["id"]
    patched = client.patch(
        f"{API}/terms/{term_id}", {"is_active": False}, content_type="application/json"
    )
    assert patched.status_code == 200
    assert not services.screen("出售土鸡蛋").held

    assert client.delete(f"{API}/terms/{term_id}").status_code == 204
    assert not Term.objects.filter(pk=term_id).exists()


def test_an_invalid_regex_is_refused_naming_the_field(people):
    answer = post(
        people["operator"],
        f"{API}/terms",
        {"text": "(加微信", "is_regex": True, "category": "contact"},
    )

    assert answer.status_code == 422
    assert "text" in answer.json()["fields"]
    assert not Term.objects.filter(text="(加微信").exists()


@pytest.mark.parametrize("who, status", [("buyer", 403), ("alice", 403), ("anonymous", 401)])
def test_nobody_else_reads_or_edits_terms(people, who, status):
    assert people[who].get(f"{API}/terms").status_code == status
    answer = post(people[who], f"{API}/terms", {"text": "x", "category": "other"})
    assert answer.status_code == status
    assert not Term.objects.filter(text="x").exists()
