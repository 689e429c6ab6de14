"""GET /api/v1/payments/{uuid}: the buyer only."""

from __future__ import annotations

import pytest

from villagemarket.payments.models import PaymentEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "persona, status",
    [("buyer", 200), ("alice", 404), ("bob", 404), ("operator", 404), ("anonymous", 401)],
)
def test_only_the_buyer_may_read_a_payment(people, payment, persona, status):
    response = people[persona].get(f"/api/v1/payments/{payment.public_id}")

    assert response.status_code == status
    if status == 200:
        data = response.json()
        assert data["status"] == "pending" and data["amount_minor"] == payment.amount_minor
        assert [o["shop"] for o in data["orders"]] == ["Alice 演出服", "Bob 羽绒被"]
        assert data["orders"][1]["lines"][0]["quantity"] == 2


def test_a_buyer_reads_their_payment_with_an_api_token(buyer, payment):
    from django.test import Client

    from villagemarket.accounts.models import ApiToken

    secret = ApiToken.new_secret()
    ApiToken.objects.create(user=buyer, name="script", token_hash=ApiToken.hash_secret(secret))
    response = Client().get(
        f"/api/v1/payments/{payment.public_id}", headers={"Authorization": f"Bearer {secret}"}
    )

    assert response.status_code == 200


def test_an_unknown_payment_is_404(people):
    assert (
        people["buyer"].get("/api/v1/payments/00000000-0000-4000-8000-000000000000").status_code
        == 404
    )


def test_reading_records_nothing(people, payment):
    before = PaymentEvent.objects.count()
    for client in people.values():
        client.get(f"/api/v1/payments/{payment.public_id}")
    assert PaymentEvent.objects.count() == before
