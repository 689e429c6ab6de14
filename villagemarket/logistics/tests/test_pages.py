"""Pickup pages: who may see and change what, and that a refused request changed nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from villagemarket.logistics import services
from villagemarket.logistics.models import PickupBatch, PickupItem
from villagemarket.orders.models import ShopOrder
from villagemarket.testing.personas import client_for

from .conftest import numbered

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(point, batch, orders):
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[o.pk for o in orders])
    services.assign_tracking(point=point, batch_id=batch.pk, numbers=numbered(batch, orders))
    return batch


def test_the_point_sees_its_batch_with_every_parcel(alice, point, filled, orders):
    page = client_for(alice).get(reverse("seller_logistics:detail", args=[point.slug, filled.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    for order in orders:
        assert f"tn-{order.pk}" in body


def test_the_member_sees_its_orders_only_and_no_buttons(bob, member, filled, orders):
    page = client_for(bob).get(reverse("seller_logistics:detail", args=[member.slug, filled.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert f"Order #{orders[2].pk}" in body
    assert f"Order #{orders[0].pk}" not in body
    assert "tn-" not in body
    listing = client_for(bob).get(reverse("seller_logistics:list", args=[member.slug]))
    assert f"Pickup #{filled.pk}" in listing.content.decode()


@pytest.mark.parametrize(
    ("who", "slug_of", "status"),
    [
        ("alice", "point", 200),
        ("bob", "member", 200),  # reads the batch holding his orders
        ("bob", "point", 404),  # not on the point's staff
        ("buyer", "point", 404),
        ("operator", "point", 404),
        ("anonymous", "point", 302),
    ],
)
def test_who_may_see_a_batch(people, point, member, filled, who, slug_of, status):
    slug = {"point": point, "member": member}[slug_of].slug
    page = people[who].get(reverse("seller_logistics:detail", args=[slug, filled.pk]))
    assert page.status_code == status


@pytest.mark.parametrize(
    ("who", "slug_of"),
    [("bob", "member"), ("bob", "point"), ("buyer", "point"), ("anonymous", "point")],
)
def test_only_the_points_staff_hand_over_and_a_refusal_ships_nothing(
    people, point, member, filled, who, slug_of
):
    slug = {"point": point, "member": member}[slug_of].slug
    people[who].post(reverse("seller_logistics:action", args=[slug, filled.pk, "hand-over"]))
    assert not ShopOrder.objects.filter(status="shipped").exists()
    assert PickupBatch.objects.get(pk=filled.pk).status == "open"


@pytest.mark.parametrize(
    ("who", "slug_of"), [("bob", "member"), ("buyer", "point"), ("anonymous", "point")]
)
def test_only_the_points_staff_get_the_waybills(people, point, member, filled, who, slug_of):
    slug = {"point": point, "member": member}[slug_of].slug
    answer = people[who].get(reverse("seller_logistics:waybills", args=[slug, filled.pk]))
    assert answer.status_code in (302, 404)


def test_the_point_hands_over_from_the_page(alice, point, filled, orders):
    answer = client_for(alice).post(
        reverse("seller_logistics:action", args=[point.slug, filled.pk, "hand-over"]),
        follow=True,
    )
    assert "every order of the batch is shipped" in answer.content.decode()
    assert ShopOrder.objects.filter(status="shipped").count() == len(orders)


def test_the_page_names_the_order_that_cannot_ship(alice, point, batch, orders):
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[o.pk for o in orders])
    answer = client_for(alice).post(
        reverse("seller_logistics:action", args=[point.slug, batch.pk, "hand-over"]),
        follow=True,
    )
    body = answer.content.decode()
    assert "Nothing was shipped" in body
    assert f"Order #{orders[0].pk} has no tracking number." in body
    assert not ShopOrder.objects.filter(status="shipped").exists()


def test_tracking_numbers_and_adding_orders_from_the_page(alice, point, batch, orders):
    client = client_for(alice)
    client.post(
        reverse("seller_logistics:action", args=[point.slug, batch.pk, "add"]),
        {"order": [o.pk for o in orders]},
    )
    assert batch.items.count() == 3
    client.post(
        reverse("seller_logistics:action", args=[point.slug, batch.pk, "numbers"]),
        {f"tn-{orders[0].pk}": "700000000555"},
    )
    assert PickupItem.objects.get(order=orders[0]).tracking_no == "700000000555"
    client.post(
        reverse("seller_logistics:action", args=[point.slug, batch.pk, "remove"]),
        {"order": orders[1].pk},
    )
    assert batch.items.count() == 2


def test_the_waybills_are_a_pdf(alice, point, filled):
    answer = client_for(alice).get(
        reverse("seller_logistics:waybills", args=[point.slug, filled.pk])
    )
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")


def test_the_printable_pick_list(alice, point, filled):
    page = client_for(alice).get(
        reverse("seller_logistics:pick_list", args=[point.slug, filled.pk])
    )
    body = page.content.decode()
    assert "王家" in body and "李家" in body and "@media print" not in body  # CSS is a file


def test_a_new_batch_from_the_page(alice, point):
    from django.utils import timezone

    answer = client_for(alice).post(
        reverse("seller_logistics:new", args=[point.slug]),
        {"courier": "ZTO", "pickup_date": timezone.localdate().isoformat()},
    )
    assert answer.status_code == 302
    assert PickupBatch.objects.filter(point=point, courier_code="ZTO").exists()


def test_memberships_invite_and_accept_from_the_pages(alice, bob, point, shop_b):
    client_for(alice).post(
        reverse("seller_logistics:memberships", args=[point.slug]),
        {"action": "invite", "member": shop_b.slug},
    )
    membership = point.pickup_members.get()
    assert membership.status == "invited"
    # alice cannot accept on bob's behalf
    client_for(alice).post(
        reverse("seller_logistics:memberships", args=[point.slug]),
        {"action": "accept", "membership": membership.pk},
    )
    membership.refresh_from_db()
    assert membership.status == "invited"
    client_for(bob).post(
        reverse("seller_logistics:memberships", args=[shop_b.slug]),
        {"action": "accept", "membership": membership.pk},
    )
    membership.refresh_from_db()
    assert membership.status == "accepted"
