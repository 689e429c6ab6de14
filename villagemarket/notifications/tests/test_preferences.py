"""Each person chooses which news also comes by e-mail and SMS; the inbox always gets it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from villagemarket.accounts.models import User
from villagemarket.core.errors import Invalid
from villagemarket.notifications import events, rules, services
from villagemarket.notifications.models import Notification, Preference
from villagemarket.orders.tests.factories import paid_order, shipped_order
from villagemarket.testing.personas import client_for

from .helpers import channels_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def texted_buyer(buyer):
    User.objects.filter(pk=buyer.pk).update(mobile="13912345678")
    buyer.refresh_from_db()
    return buyer


def test_by_default_sellers_get_e_mail_and_a_shipped_order_also_comes_by_sms(
    texted_buyer, alice, address, sku_a
):
    shipped_order(texted_buyer, address, sku_a)

    assert channels_of(alice, events.ORDER_PAID) == {"email"}
    assert channels_of(texted_buyer, events.ORDER_SHIPPED) == {"email", "sms"}


def test_sms_goes_to_the_account_mobile_and_nobody_without_one_gets_sms(
    texted_buyer, buyer, alice, address, sku_a
):
    services.set_preferences(alice, {events.ORDER_PAID: (True, True)})  # alice has no mobile
    User.objects.filter(pk=texted_buyer.pk).update(mobile="13700000000")  # changed after paying
    texted_buyer.refresh_from_db()
    shipped_order(texted_buyer, address, sku_a)  # the parcel goes to 13912345678 (the address)

    assert channels_of(alice, events.ORDER_PAID) == {"email"}
    sms = Notification.objects.get(kind=events.ORDER_SHIPPED).deliveries.get(channel="sms")
    assert sms.address == "13700000000"  # the account's number, not the parcel's


def test_a_person_who_turns_e_mail_off_still_gets_the_inbox(buyer, alice, address, sku_a):
    services.set_preferences(alice, {events.ORDER_PAID: (False, False)})

    paid_order(buyer, address, sku_a)

    assert Notification.objects.filter(recipient=alice, kind=events.ORDER_PAID).exists()
    assert channels_of(alice, events.ORDER_PAID) == set()
    assert channels_of(alice, events.ORDER_PLACED) == {"email"}  # other types keep the default


def test_messages_go_out_by_e_mail_only_to_someone_away_from_the_site(alice, bob):
    cache.clear()  # nobody is on the site (other tests opened pages as these people)
    services.mark_seen(alice.pk)  # alice has a page open

    services.notify(events.SHOP_MESSAGE, "message:1", [alice.pk, bob.pk], params={})

    assert channels_of(alice, events.SHOP_MESSAGE) == set()
    assert channels_of(bob, events.SHOP_MESSAGE) == {"email"}
    assert Notification.objects.filter(kind=events.SHOP_MESSAGE).count() == 2


def test_an_unknown_event_type_is_refused_by_name_and_nothing_is_saved(alice):
    with pytest.raises(Invalid) as refused:
        services.set_preferences(alice, {events.ORDER_PAID: (False, False), "lottery": (1, 1)})

    assert "lottery" in refused.value.fields["kind"][0]
    assert not Preference.objects.exists()


@pytest.mark.parametrize(
    "choice, email, mobile, online, expected",
    [
        (None, "a@x.cn", "13900000000", False, ["email", "sms"]),  # shipped: both by default
        ((False, True), "a@x.cn", "13900000000", False, ["sms"]),
        ((True, True), None, None, False, []),  # no address, no channel
        ((True, True), "a@x.cn", "13900000000", True, ["email", "sms"]),  # online: still sent
    ],
)
def test_channel_rules(choice, email, mobile, online, expected):
    kind = events.event_type(events.ORDER_SHIPPED)
    assert rules.channels(kind, choice, email=email, mobile=mobile, online=online) == expected


def test_every_event_type_has_words_for_its_title_and_body():
    for code in events.EVENT_TYPES:
        title, body = events.render(code, {})
        assert title.strip() and body.strip(), code
    sms_by_default = {t.code for t in events.EVENT_TYPES.values() if t.sms}
    assert sms_by_default == {events.ORDER_SHIPPED, events.REFUND_DECIDED}


# --- the page and the API ---------------------------------------------------------------------
def test_the_settings_page_shows_the_defaults_and_saves_the_choices(alice, shop_a):
    client = client_for(alice)
    page = client.get(reverse("notifications:settings")).text
    assert 'name="order_shipped-sms" checked' in page
    assert 'name="order_paid-sms">' in page

    # alice keeps e-mail only for paid orders (unticked boxes are not sent)
    response = client.post(reverse("notifications:settings"), {"order_paid-email": "on"})

    assert response.status_code == 302
    saved = {p.kind: (p.email, p.sms) for p in Preference.objects.filter(user=alice)}
    assert saved[events.ORDER_PAID] == (True, False)
    assert saved[events.ORDER_PLACED] == (False, False)
    assert len(saved) == len(events.EVENT_TYPES)


def test_a_buyer_without_a_shop_chooses_only_the_buyers_events(buyer):
    client = client_for(buyer)
    page = client.get(reverse("notifications:settings")).text
    assert "As a buyer" in page and "As a seller" not in page
    assert 'name="order_paid-email"' not in page

    client.post(reverse("notifications:settings"), {"order_shipped-email": "on"})

    saved = {p.kind: (p.email, p.sms) for p in Preference.objects.filter(user=buyer)}
    assert saved[events.ORDER_SHIPPED] == (True, False)
    assert events.ORDER_PAID not in saved  # untouched: the default still applies


def test_the_api_reads_and_changes_only_my_preferences(alice, bob):
    alice_api, bob_api = client_for(alice), client_for(bob)
    url = "/api/v1/notifications/preferences"

    answer = alice_api.put(
        url, [{"kind": "order_paid", "email": False, "sms": True}], content_type="application/json"
    )

    assert answer.status_code == 200
    mine = {row["kind"]: row for row in answer.json()}
    assert (mine["order_paid"]["email"], mine["order_paid"]["sms"]) == (False, True)
    bobs = {row["kind"]: row for row in bob_api.get(url).json()}
    assert (bobs["order_paid"]["email"], bobs["order_paid"]["sms"]) == (True, False)


def test_the_api_refuses_an_unknown_event_type_naming_the_field(alice):
    answer = client_for(alice).put(
        "/api/v1/notifications/preferences",
        [{"kind": "lottery", "email": True, "sms": True}],
        content_type="application/json",
    )

    assert answer.status_code == 422
    assert "kind" in answer.json()["fields"]
    assert not Preference.objects.exists()


def test_anonymous_cannot_read_or_change_preferences(anonymous_client):
    assert anonymous_client.get("/api/v1/notifications/preferences").status_code == 401
    page = anonymous_client.get(reverse("notifications:settings"))
    assert page.status_code == 302 and "/accounts/" in page.url


def test_someone_browsing_for_longer_than_the_online_window_stays_online(alice, monkeypatch):
    cache.clear()
    clock = [1_000_000.0]
    monkeypatch.setattr(services.time, "time", lambda: clock[0])
    services.mark_seen(alice.pk)

    clock[0] += 90  # a page a minute and a half later refreshes the mark
    services.mark_seen(alice.pk)

    assert cache.get(f"notifications:seen:{alice.pk}") == clock[0]
    assert services._online([alice.pk]) == {alice.pk}
