"""The pickups API: the point's staff run batches, members read their orders, others get 404."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from villagemarket.logistics.models import PickupBatch, PickupItem
from villagemarket.orders.models import ShopOrder

from .conftest import numbered

pytestmark = pytest.mark.django_db

BATCHES = "/api/v1/logistics/shops/{}/batches"


def post(client, url, body=None, **headers):
    return client.post(
        url, json.dumps(body or {}), content_type="application/json", headers=headers
    )


def test_the_whole_pickup_through_the_api(people, point, orders):
    alice = people["alice"]
    created = post(
        alice,
        BATCHES.format(point.slug),
        {"courier": "zto", "pickup_date": str(timezone.localdate())},
    )
    assert created.status_code == 201, created.content
    batch = created.json()
    url = f"{BATCHES.format(point.slug)}/{batch['id']}"
    assert batch["courier"] == "ZTO" and batch["status"] == "open" and batch["parcels"] == []

    added = post(alice, f"{url}/orders", {"order_ids": [o.pk for o in orders]})
    assert sorted(p["order_id"] for p in added.json()["parcels"]) == sorted(o.pk for o in orders)

    ranged = post(alice, f"{url}/tracking-range", {"start": "700000000001"})
    assert all(p["tracking_no"] for p in ranged.json()["parcels"])

    picks = alice.get(f"{url}/pick-list").json()
    assert {g["household"] for g in picks["groups"]} == {"", "王家", "李家"}

    handed = post(alice, f"{url}/hand-over", **{"Idempotency-Key": "h-1"})
    assert handed.status_code == 200 and handed.json()["status"] == "handed_over"
    replayed = post(alice, f"{url}/hand-over", **{"Idempotency-Key": "h-1"})
    assert replayed.json() == handed.json()
    again = post(alice, f"{url}/hand-over")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    assert ShopOrder.objects.filter(status="shipped").count() == 3

    pdf = alice.get(f"{url}/waybills.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_hand_over_that_cannot_ship_answers_409_naming_the_order(people, point, batch, orders):
    url = f"{BATCHES.format(point.slug)}/{batch.pk}"
    post(people["alice"], f"{url}/orders", {"order_ids": [orders[0].pk]})
    answer = post(people["alice"], f"{url}/hand-over")
    assert answer.status_code == 409
    assert answer.json()["fields"]["order_ids"] == [
        f"Order #{orders[0].pk} has no tracking number."
    ]


def test_a_bad_tracking_number_names_its_order_and_saves_nothing(people, point, batch, orders):
    url = f"{BATCHES.format(point.slug)}/{batch.pk}"
    post(people["alice"], f"{url}/orders", {"order_ids": [orders[0].pk, orders[1].pk]})
    answer = people["alice"].put(
        f"{url}/tracking-numbers",
        json.dumps(
            {
                "numbers": [
                    {"order_id": orders[0].pk, "tracking_no": "700000000001"},
                    {"order_id": orders[1].pk, "tracking_no": "nope"},
                ]
            }
        ),
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert f"#{orders[1].pk}" in answer.json()["fields"]["tracking_numbers"][0]
    assert not PickupItem.objects.exclude(tracking_no="").exists()


@pytest.fixture
def filled(point, batch, orders):
    from villagemarket.logistics import services

    services.add_orders(point=point, batch_id=batch.pk, order_ids=[o.pk for o in orders])
    services.assign_tracking(point=point, batch_id=batch.pk, numbers=numbered(batch, orders))
    return batch


@pytest.mark.parametrize(
    ("who", "slug_of", "status", "parcels"),
    [
        ("alice", "point", 200, 3),
        ("bob", "member", 200, 1),
        ("bob", "point", 404, None),
        ("buyer", "point", 404, None),
        ("operator", "point", 404, None),
        ("anonymous", "point", 401, None),
    ],
)
def test_who_reads_a_batch(people, point, member, filled, who, slug_of, status, parcels):
    slug = {"point": point, "member": member}[slug_of].slug
    answer = people[who].get(f"{BATCHES.format(slug)}/{filled.pk}")
    assert answer.status_code == status
    if parcels is not None:
        assert len(answer.json()["parcels"]) == parcels


@pytest.mark.parametrize(
    ("who", "slug_of", "status"),
    [
        ("bob", "member", 404),
        ("bob", "point", 404),
        ("buyer", "point", 404),
        ("anonymous", "point", 401),
    ],
)
def test_only_the_points_staff_hand_over_and_a_refusal_changes_nothing(
    people, point, member, filled, who, slug_of, status
):
    slug = {"point": point, "member": member}[slug_of].slug
    answer = post(people[who], f"{BATCHES.format(slug)}/{filled.pk}/hand-over")
    assert answer.status_code == status
    assert PickupBatch.objects.get(pk=filled.pk).status == "open"
    assert not ShopOrder.objects.filter(status="shipped").exists()
    removed = people[who].delete(
        f"{BATCHES.format(slug)}/{filled.pk}/orders/{ShopOrder.objects.first().pk}"
    )
    assert removed.status_code == status
    assert filled.items.count() == 3


def test_a_member_cannot_download_the_points_waybills(people, member, filled):
    answer = people["bob"].get(f"{BATCHES.format(member.slug)}/{filled.pk}/waybills.pdf")
    assert answer.status_code == 404


def test_a_bad_date_and_courier_are_named(people, point):
    answer = post(
        people["alice"], BATCHES.format(point.slug), {"courier": "XX", "pickup_date": "2001-01-01"}
    )
    assert answer.status_code == 422
    assert sorted(answer.json()["fields"]) == ["courier", "pickup_date"]
    assert not PickupBatch.objects.exists()


def test_memberships_through_the_api(people, point, shop_b):
    invited = post(
        people["alice"],
        f"/api/v1/logistics/shops/{point.slug}/memberships",
        {"member": shop_b.slug},
    )
    assert invited.status_code == 201
    mid = invited.json()["id"]
    refused = post(
        people["alice"], f"/api/v1/logistics/shops/{point.slug}/memberships/{mid}/accept"
    )
    assert refused.status_code == 404
    accepted = post(
        people["bob"], f"/api/v1/logistics/shops/{shop_b.slug}/memberships/{mid}/accept"
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
