"""The inbox: each person reads and marks only their own notifications (pages and API); the
header shows the unread count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from villagemarket.notifications import events, services
from villagemarket.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(buyer, alice):
    """Two notifications for alice (one about order #3), one for the buyer."""
    services.notify(
        events.ORDER_PAID,
        "order:3:pay",
        [alice.pk],
        params={"order": "#3", "shop": "Alice 演出服", "amount": "¥99.00"},
        url="/seller/orders/alice-costumes/3/",
    )
    services.notify(events.ORDER_PLACED, "order:4:placed", [alice.pk], params={"order": "#4"})
    services.notify(events.ORDER_SHIPPED, "order:3:ship", [buyer.pk], params={"order": "#3"})
    return {n.key: n for n in Notification.objects.all()}


@pytest.mark.parametrize(
    "person, sees",
    [
        ("alice", {"New order #4", "Order #3 is paid: please ship it"}),
        ("buyer", {"Order #3 has shipped"}),
        ("bob", set()),
    ],
)
def test_each_person_sees_only_their_own_notifications(people, news, person, sees):
    page = people[person].get(reverse("notifications:inbox")).text
    titles = {
        t
        for t in ["New order #4", "Order #3 is paid: please ship it", "Order #3 has shipped"]
        if t in page
    }
    assert titles == sees

    api = people[person].get("/api/v1/notifications/").json()
    assert {item["title"] for item in api["items"]} == sees
    assert api["count"] == len(sees)


def test_anonymous_is_sent_to_sign_in(people, news):
    page = people["anonymous"].get(reverse("notifications:inbox"))
    assert page.status_code == 302 and "/accounts/" in page.url
    assert people["anonymous"].get("/api/v1/notifications/").status_code == 401


def test_opening_a_notification_marks_it_read_and_goes_where_it_points(people, news):
    paid = news["order:3:pay"]

    answer = people["alice"].post(reverse("notifications:open", args=[paid.pk]))

    assert answer.status_code == 302 and answer.url == "/seller/orders/alice-costumes/3/"
    paid.refresh_from_db()
    assert paid.read_at is not None
    assert people["alice"].get("/api/v1/notifications/unread-count").json() == {"unread": 1}


@pytest.mark.parametrize("person", ["buyer", "bob", "operator"])
def test_nobody_marks_another_persons_notification_read(people, news, person):
    paid = news["order:3:pay"]

    page = people[person].post(reverse("notifications:open", args=[paid.pk]))
    api = people[person].post(f"/api/v1/notifications/{paid.pk}/read")

    assert page.status_code == 302 and page.url == reverse("notifications:inbox")
    assert api.status_code == 404
    paid.refresh_from_db()
    assert paid.read_at is None


def test_mark_all_read_marks_only_mine(people, news):
    answer = people["alice"].post("/api/v1/notifications/read-all")

    assert answer.json() == {"marked": 2}
    assert Notification.objects.get(key="order:3:ship").read_at is None
    people["buyer"].post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_api_marks_one_read_and_lists_unread_only(people, news):
    paid = news["order:3:pay"]

    answer = people["alice"].post(f"/api/v1/notifications/{paid.pk}/read")

    assert answer.status_code == 200 and answer.json()["read"] is True
    unread = people["alice"].get("/api/v1/notifications/?unread=true").json()
    assert [item["title"] for item in unread["items"]] == ["New order #4"]


def test_the_header_shows_the_unread_count_on_every_page(people, news):
    home = people["alice"].get("/").text
    assert 'href="/notifications/"' in home and "(2)" in home

    people["alice"].post("/api/v1/notifications/read-all")
    home = people["alice"].get("/").text
    assert 'href="/notifications/"' in home and "(2)" not in home
    assert 'href="/notifications/"' not in people["anonymous"].get("/").text


def test_the_inbox_pages_through_many_notifications(people, alice):
    for n in range(25):
        services.notify(
            events.ORDER_PLACED, f"order:{n}:placed", [alice.pk], params={"order": f"#{n}"}
        )

    first = people["alice"].get(reverse("notifications:inbox")).text
    second = people["alice"].get(reverse("notifications:inbox") + "?page=2").text

    assert "New order #24" in first and "New order #4<" not in first
    assert "New order #4<" in second and "1 / 2" not in second
