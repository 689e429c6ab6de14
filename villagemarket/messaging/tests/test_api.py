"""Messaging API: the same permissions as the pages, posting, polling since a position, reading."""

from __future__ import annotations

import io

import pytest
from django.test import Client, override_settings

from villagemarket.accounts import services as accounts_services
from villagemarket.messaging.models import Conversation
from villagemarket.orders.tests.factories import paid_order
from villagemarket.testing import client_for

API = "/api/v1/messaging"


def post(client, url, body, **extra):
    return client.post(url, body, content_type="application/json", **extra)


@pytest.mark.parametrize(
    ("who", "status"),
    [("buyer", 200), ("alice", 200), ("carol", 200), ("buyer2", 404), ("bob", 404)],
)
def test_only_the_two_sides_read_messages(
    conversation, who, status, buyer, alice, carol, buyer2, bob
):
    client = client_for(
        {"buyer": buyer, "alice": alice, "carol": carol, "buyer2": buyer2, "bob": bob}[who]
    )
    assert client.get(f"{API}/conversations/{conversation.pk}/messages").status_code == status
    assert client.get(f"{API}/conversations/{conversation.pk}").status_code == status
    written = post(client, f"{API}/conversations/{conversation.pk}/messages", {"text": "hi"})
    assert written.status_code == (201 if status == 200 else 404)


def test_anonymous_callers_are_asked_to_sign_in(conversation):
    assert Client().get(f"{API}/conversations/{conversation.pk}/messages").status_code == 401
    assert Client().get(f"{API}/conversations").status_code == 401


def test_a_buyer_writes_to_a_shop_and_the_shop_answers_with_a_token(
    buyer, alice, shop_a, product_a
):
    _row, secret = accounts_services.create_api_token(alice, name="inbox bot")
    shop_api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    # the buyer writes (session), about a product
    first = post(
        client_for(buyer),
        f"{API}/shops/{shop_a.slug}/messages",
        {"text": "有货吗", "product_id": product_a.pk},
    )
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["position"], body["status"], body["product_id"]) == (1, "delivered", product_a.pk)
    # the shop's inbox lists it with one unread
    inbox = shop_api.get(f"{API}/conversations?shop={shop_a.slug}").json()
    assert inbox["count"] == 1
    item = inbox["items"][0]
    assert (item["side"], item["unread"], item["buyer_name"]) == ("shop", 1, "Buyer")
    # the shop answers and marks read
    conversation_id = item["id"]
    answer = post(shop_api, f"{API}/conversations/{conversation_id}/messages", {"text": "有"})
    assert answer.status_code == 201 and answer.json()["sender_side"] == "shop"
    # the buyer polls from position 1 and gets only the answer
    polled = client_for(buyer).get(f"{API}/conversations/{conversation_id}/messages?after=1")
    assert [m["text"] for m in polled.json()["items"]] == ["有"]
    assert polled.json()["last_position"] == 2
    nothing = client_for(buyer).get(f"{API}/conversations/{conversation_id}/messages?after=2")
    assert nothing.json() == {"items": [], "last_position": 2}
    # the buyer's list counts it unread until read
    mine = client_for(buyer).get(f"{API}/conversations").json()["items"][0]
    assert (mine["side"], mine["unread"]) == ("buyer", 1)
    read = post(client_for(buyer), f"{API}/conversations/{conversation_id}/read", {})
    assert read.status_code == 200 and read.json()["unread"] == 0


def test_another_shop_cannot_list_an_inbox_it_is_not_on(conversation, bob):
    response = client_for(bob).get(f"{API}/conversations?shop={conversation.shop.slug}")
    assert response.status_code == 404


def test_a_retried_write_with_the_same_key_posts_once(buyer, shop_a):
    client = client_for(buyer)
    url = f"{API}/shops/{shop_a.slug}/messages"
    first = post(client, url, {"text": "在吗"}, HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(client, url, {"text": "在吗"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Conversation.objects.get().messages.count() == 1


def test_a_held_message_answers_held_without_a_position(conversation, buyer):
    response = post(
        client_for(buyer), f"{API}/conversations/{conversation.pk}/messages", {"text": "加微信吧"}
    )
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["position"]) == ("held", None)
    polled = client_for(buyer).get(f"{API}/conversations/{conversation.pk}/messages?after=1")
    assert polled.json()["items"] == []


def test_bad_input_names_the_field(conversation, buyer, shop_b):
    from villagemarket.testing import make_product

    client = client_for(buyer)
    url = f"{API}/conversations/{conversation.pk}/messages"
    empty = post(client, url, {"text": "  "})
    assert empty.status_code == 422 and "text" in empty.json()["fields"]
    other = make_product(shop_b, title="羽绒被")
    wrong = post(client, url, {"text": "这个", "product_id": other.pk})
    assert wrong.status_code == 422 and "product_id" in wrong.json()["fields"]
    assert conversation.messages.count() == 1


@override_settings(MESSAGING_MESSAGES_PER_MINUTE=2)
def test_writing_too_fast_is_429(conversation, buyer):
    client = client_for(buyer)
    url = f"{API}/conversations/{conversation.pk}/messages"
    assert post(client, url, {"text": "2"}).status_code == 201
    limited = post(client, url, {"text": "3"})
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"


def test_a_shop_writes_to_the_buyer_of_its_order(buyer, alice, bob, shop_b, address, product_a):
    order = paid_order(buyer, address, product_a.skus.get())
    url = f"{API}/shops/{order.shop.slug}/orders/{order.pk}/messages"
    written = post(client_for(alice), url, {"text": "已发货"})
    assert written.status_code == 201 and written.json()["order_id"] == order.pk
    # bob's shop cannot, through either address
    assert post(client_for(bob), url, {"text": "x"}).status_code == 404
    other = f"{API}/shops/{shop_b.slug}/orders/{order.pk}/messages"
    assert post(client_for(bob), other, {"text": "x"}).status_code == 404


def test_a_picture_is_sent_through_the_api_re_encoded_and_a_bad_file_names_the_field(
    conversation, buyer, buyer2
):
    from villagemarket.messaging.tests.test_services import _png

    client = client_for(buyer)
    url = f"{API}/conversations/{conversation.pk}/images"
    sent = client.post(url, {"image": _png(), "text": "看这里"})
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert body["image_url"] and body["text"] == "看这里"
    stored = conversation.messages.get(pk=body["id"]).image.read()
    assert b"Location" not in stored  # the PNG's text chunk is gone

    bad = io.BytesIO(b"MZ not an image")
    bad.name = "x.png"
    refused = client.post(url, {"image": bad})
    assert refused.status_code == 422
    assert "image" in refused.json()["fields"]
    assert client_for(buyer2).post(url, {"image": _png()}).status_code == 404
