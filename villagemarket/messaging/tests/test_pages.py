"""Messaging pages: who may read which conversation, the polling answer, posting with and
without htmx, "Contact the seller" / "Message the buyer", the header count."""

from __future__ import annotations

import pytest
from django.test import override_settings

from villagemarket.messaging import services
from villagemarket.messaging.models import Conversation, Message
from villagemarket.orders.tests.factories import paid_order
from villagemarket.testing import client_for

HX = {"HTTP_HX_REQUEST": "true"}


def buyer_urls(c):
    return [f"/messages/{c.pk}/", f"/messages/{c.pk}/poll/?after=0"]


def shop_urls(c):
    slug = c.shop.slug
    return [f"/seller/{slug}/messages/{c.pk}/", f"/seller/{slug}/messages/{c.pk}/poll/?after=0"]


@pytest.mark.parametrize(
    ("who", "buyer_side", "shop_side"),
    [
        ("buyer", 200, 404),
        ("alice", 404, 200),  # owner of the shop
        ("carol", 404, 200),  # staff of the shop: the shared inbox
        ("buyer2", 404, 404),  # another buyer
        ("bob", 404, 404),  # another shop's owner
        ("anonymous", 404, 404),
    ],
)
def test_only_the_two_sides_read_a_conversation(
    conversation, who, buyer_side, shop_side, buyer, alice, carol, buyer2, bob, shop_b
):
    users = {"buyer": buyer, "alice": alice, "carol": carol, "buyer2": buyer2, "bob": bob}
    client = client_for(users.get(who))
    for url in buyer_urls(conversation):
        assert client.get(url).status_code == buyer_side, url
    for url in shop_urls(conversation):
        assert client.get(url).status_code == shop_side, url
    # bob cannot reach alice's inbox through his own shop's address either
    if who == "bob":
        assert client.get(f"/seller/{shop_b.slug}/messages/{conversation.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["buyer2", "bob", "anonymous"])
def test_outsiders_cannot_post_into_a_conversation(conversation, who, buyer2, bob, shop_b):
    client = client_for({"buyer2": buyer2, "bob": bob}.get(who))
    answers = [
        client.post(f"/messages/{conversation.pk}/send/", {"text": "我是谁"}).status_code,
        client.post(
            f"/seller/{conversation.shop.slug}/messages/{conversation.pk}/send/", {"text": "x"}
        ).status_code,
    ]
    assert answers == [404, 404]
    assert conversation.messages.count() == 1


def test_the_shop_inbox_lists_conversations_with_unread_counts(conversation, carol, buyer):
    page = client_for(carol).get(f"/seller/{conversation.shop.slug}/messages/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Buyer" in body and "1 new" in body


def test_the_buyer_list_shows_unread_and_the_header_counts_them(conversation, alice, buyer):
    services.reply(conversation, sender=alice, side="shop", text="有的")
    services.reply(conversation, sender=alice, side="shop", text="要几件？")
    body = client_for(buyer).get("/messages/").content.decode()
    assert "2 new" in body
    assert "Messages (2 new)" in body  # the header panel
    # opening the conversation reads it
    client_for(buyer).get(f"/messages/{conversation.pk}/")
    assert "Messages (2 new)" not in client_for(buyer).get("/messages/").content.decode()


def test_polling_answers_204_when_nothing_is_new_in_one_query(
    conversation, buyer, django_assert_num_queries
):
    client = client_for(buyer)
    client.get("/")  # a first request loads the session
    # session + user + the conversation's position: nothing else when nothing is new
    with django_assert_num_queries(3):
        response = client.get(f"/messages/{conversation.pk}/poll/?after=1")
    assert response.status_code == 204 and response.content == b""


def test_polling_returns_only_the_new_messages_and_a_poller_from_there(conversation, alice, buyer):
    services.reply(conversation, sender=alice, side="shop", text="有的，亲")
    response = client_for(buyer).get(f"/messages/{conversation.pk}/poll/?after=1", **HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "有的，亲" in body and "还有大号吗" not in body
    assert "after=2" in body  # the next poll asks from the new position
    # and the buyer has now read it
    assert Conversation.objects.get(pk=conversation.pk).buyer_unread == 0


def test_a_bad_position_is_404_not_an_error(conversation, buyer):
    assert client_for(buyer).get(f"/messages/{conversation.pk}/poll/?after=-3").status_code == 404


def test_posting_without_javascript_reloads_the_thread(conversation, alice):
    url = f"/seller/{conversation.shop.slug}/messages/{conversation.pk}/send/"
    response = client_for(alice).post(url, {"text": "有的"})
    assert response.status_code == 302
    assert response["Location"] == f"/seller/{conversation.shop.slug}/messages/{conversation.pk}/"
    assert conversation.messages.last().text == "有的"


def test_posting_with_htmx_answers_the_new_messages_and_a_fresh_form(conversation, buyer):
    response = client_for(buyer).post(
        f"/messages/{conversation.pk}/send/", {"text": "谢谢", "after": "1"}, **HX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "谢谢" in body and "还有大号吗" not in body
    assert 'id="poller"' in body and 'hx-swap-oob="true"' in body


def test_an_empty_message_is_refused_in_place_keeping_nothing(conversation, buyer):
    response = client_for(buyer).post(f"/messages/{conversation.pk}/send/", {"text": " "}, **HX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#compose"
    assert "write something" in response.content.decode()
    plain = client_for(buyer).post(f"/messages/{conversation.pk}/send/", {"text": ""})
    assert plain.status_code == 422 and b"write something" in plain.content
    assert conversation.messages.count() == 1


@override_settings(MESSAGING_MESSAGES_PER_MINUTE=1)
def test_a_rate_limited_sender_is_told_when_to_try_again(conversation, buyer):
    # the conversation fixture's message used the one allowed this minute
    response = client_for(buyer).post(f"/messages/{conversation.pk}/send/", {"text": "再问一下"})
    assert response.status_code == 429
    assert b"too fast" in response.content and "再问一下".encode() in response.content


def test_a_held_message_shows_to_its_sender_as_held_and_not_to_the_shop(conversation, buyer):
    client_for(buyer).post(f"/messages/{conversation.pk}/send/", {"text": "加微信 abc"})
    mine = client_for(buyer).get(f"/messages/{conversation.pk}/").content.decode()
    assert "加微信" in mine and "Held for review" in mine
    theirs = client_for(conversation.shop.members.get().user).get(
        f"/seller/{conversation.shop.slug}/messages/{conversation.pk}/"
    )
    assert "加微信" not in theirs.content.decode()


def test_contact_the_seller_from_a_product_starts_a_conversation_about_it(buyer, alice, product_a):
    client = client_for(buyer)
    product_page = client.get(f"/p/{product_a.pk}/").content.decode()
    start = f"/messages/shop/{product_a.shop.slug}/?product={product_a.pk}"
    assert start.replace("&", "&amp;") in product_page or start in product_page
    assert "Contact the seller" in product_page
    # the seller does not see the button on their own product
    assert "Contact the seller" not in client_for(alice).get(f"/p/{product_a.pk}/").content.decode()
    page = client.get(start)
    assert page.status_code == 200 and "演出服" in page.content.decode()  # the card
    response = client.post(
        f"/messages/shop/{product_a.shop.slug}/",
        {"text": "这件有大号吗", "product_id": str(product_a.pk)},
    )
    conversation = Conversation.objects.get(buyer=buyer)
    assert response.status_code == 302 and response["Location"] == f"/messages/{conversation.pk}/"
    assert conversation.messages.get().product_id == product_a.pk
    # a second visit goes to the same conversation, the product kept for the form
    again = client.get(start)
    assert again.status_code == 302
    assert again["Location"] == f"/messages/{conversation.pk}/?product={product_a.pk}"


def test_anonymous_contact_goes_to_sign_in(product_a):
    response = client_for(None).get(f"/messages/shop/{product_a.shop.slug}/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_buyer_and_seller_reach_the_conversation_from_an_order(buyer, alice, address, product_a):
    order = paid_order(buyer, address, product_a.skus.get())
    slug = order.shop.slug
    buyer_page = client_for(buyer).get(f"/orders/{order.pk}/").content.decode()
    assert f"/messages/shop/{slug}/?order={order.pk}" in buyer_page.replace("&amp;", "&")
    seller_page = client_for(alice).get(f"/seller/orders/{slug}/{order.pk}/").content.decode()
    assert f"/seller/{slug}/messages/order/{order.pk}/" in seller_page
    assert "Message the buyer" in seller_page
    # the seller writes first, about the order
    response = client_for(alice).post(
        f"/seller/{slug}/messages/order/{order.pk}/", {"text": "您好，明天发货"}
    )
    message = Message.objects.get()
    assert response.status_code == 302
    assert (message.order_id, message.sender_side) == (order.pk, "shop")
    # and the buyer sees it, with the order's card
    thread = client_for(buyer).get(f"/messages/{message.conversation_id}/").content.decode()
    assert "明天发货" in thread and f"#{order.pk}" in thread


def test_another_shop_cannot_message_the_buyer_of_an_order_not_its_own(
    buyer, bob, shop_b, address, product_a
):
    order = paid_order(buyer, address, product_a.skus.get())
    response = client_for(bob).get(f"/seller/{shop_b.slug}/messages/order/{order.pk}/")
    assert response.status_code == 404


def test_pages_render_in_chinese(conversation, buyer, settings):
    client = client_for(buyer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert client.get(f"/messages/{conversation.pk}/").status_code == 200
    assert client.get("/messages/").status_code == 200
