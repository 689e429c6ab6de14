"""Messaging use-cases: delivery order, unread counts per side, moderation holds, spam limits."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from PIL import Image

from villagemarket.core.errors import Invalid, NotFound, RateLimited
from villagemarket.messaging import hooks, selectors, services
from villagemarket.messaging.models import Conversation, Message
from villagemarket.moderation.models import Case


def reload(conversation) -> Conversation:
    return Conversation.objects.get(pk=conversation.pk)


def test_first_message_starts_one_conversation_about_the_product(buyer, shop_a, product_a):
    # when the buyer writes twice to the same shop
    first = services.write_to_shop(buyer=buyer, shop=shop_a, text="在吗", product_id=product_a.pk)
    second = services.write_to_shop(buyer=buyer, shop=shop_a, text="大号有吗")
    # then both are in one conversation, in order, the first one about the product
    assert first.conversation_id == second.conversation_id
    assert Conversation.objects.count() == 1
    assert (first.seq, second.seq) == (1, 2)
    assert first.product_id == product_a.pk and second.product_id is None
    # and the shop has two unread, the buyer none
    conversation = reload(first.conversation)
    assert (conversation.shop_unread, conversation.buyer_unread) == (2, 0)


def test_replying_reads_and_the_other_side_counts_unread(conversation, alice, buyer):
    services.reply(conversation, sender=alice, side="shop", text="有的，亲")
    conversation = reload(conversation)
    assert (conversation.shop_unread, conversation.buyer_unread) == (0, 1)
    assert selectors.unread_total(buyer) == 1
    assert selectors.unread_total(alice) == 0
    # when the buyer reads
    services.mark_read(conversation, side="buyer")
    assert selectors.unread_total(buyer) == 0


def test_staff_share_the_shop_inbox_and_its_read_state(conversation, alice, carol):
    # given a buyer's message unread by the shop
    assert selectors.unread_total(alice) == 1 and selectors.unread_total(carol) == 1
    # when carol (staff) answers
    services.reply(conversation, sender=carol, side="shop", text="有的")
    # then it is read for alice too: the read state belongs to the shop side
    assert selectors.unread_total(alice) == 0
    assert list(selectors.shop_conversations(conversation.shop)) == [conversation]


def test_reading_up_to_a_position_leaves_later_messages_unread(conversation, buyer, alice):
    services.write_to_shop(buyer=buyer, shop=conversation.shop, text="第二条")
    services.write_to_shop(buyer=buyer, shop=conversation.shop, text="第三条")
    services.mark_read(reload(conversation), side="shop", up_to=2)
    assert reload(conversation).shop_unread == 1
    # a read position never goes back
    services.mark_read(reload(conversation), side="shop", up_to=1)
    assert reload(conversation).shop_unread == 1


def test_polling_returns_only_what_is_past_the_position(conversation, alice, buyer):
    services.reply(conversation, sender=alice, side="shop", text="有")
    services.write_to_shop(buyer=buyer, shop=conversation.shop, text="好的")
    new = list(selectors.messages_after(conversation, 1))
    assert [m.text for m in new] == ["有", "好的"]
    assert list(selectors.messages_after(conversation, 3)) == []


def test_a_message_with_contact_details_is_held_and_shown_only_to_its_sender(
    conversation, buyer, alice
):
    # when the buyer tries to take the trade off the platform
    message = services.write_to_shop(buyer=buyer, shop=conversation.shop, text="加微信 abc123")
    # then it is held, not delivered: no position, no unread for the shop
    assert message.status == "held" and message.seq is None
    assert reload(conversation).shop_unread == 1  # only the first, clean message
    assert Case.objects.filter(kind="message", object_id=message.pk, held=True).exists()
    assert message in selectors.thread(conversation, "buyer")
    assert message not in selectors.thread(conversation, "shop")
    assert list(selectors.messages_after(conversation, 1)) == []


def test_approving_a_held_message_delivers_it_and_tells_listeners(conversation, buyer):
    heard = []
    hooks.on_message_posted(heard.append)
    try:
        message = services.write_to_shop(buyer=buyer, shop=conversation.shop, text="加微信吧")
        assert heard == []
        services.decide(message.pk, True, "")
    finally:
        hooks._listeners.remove(heard.append)
    message.refresh_from_db()
    assert (message.status, message.seq) == ("delivered", 2)
    assert [p.message.pk for p in heard] == [message.pk]
    assert heard[0].recipient_side == "shop"
    assert reload(conversation).shop_unread == 2


def test_rejecting_a_held_message_keeps_it_from_the_shop_and_says_why(conversation, buyer):
    message = services.write_to_shop(buyer=buyer, shop=conversation.shop, text="加微信吧")
    services.decide(message.pk, False, "No contact details, please.")
    message.refresh_from_db()
    assert message.status == "rejected" and message.moderation_reason
    assert message not in selectors.thread(conversation, "shop")
    assert reload(conversation).shop_unread == 1


def test_rejecting_a_delivered_message_takes_it_out_of_the_unread_count(conversation, buyer):
    first = conversation.messages.get()
    services.decide(first.pk, False, "reported")
    assert reload(conversation).shop_unread == 0


def test_listeners_hear_each_delivered_message_once(buyer, shop_a, alice):
    heard = []
    hooks.on_message_posted(heard.append)
    try:
        message = services.write_to_shop(buyer=buyer, shop=shop_a, text="你好")
        services.reply(message.conversation, sender=alice, side="shop", text="你好")
    finally:
        hooks._listeners.remove(heard.append)
    assert [(p.sender.pk, p.recipient_side) for p in heard] == [
        (buyer.pk, "shop"),
        (alice.pk, "buyer"),
    ]
    assert heard[0].conversation.pk == message.conversation_id


@pytest.mark.parametrize(
    ("text", "field"),
    [("", "text"), ("   ", "text"), ("x" * 2001, "text"), ("a\x00b", "text")],
)
def test_bad_text_is_refused_naming_the_field(buyer, shop_a, text, field):
    with pytest.raises(Invalid) as refused:
        services.write_to_shop(buyer=buyer, shop=shop_a, text=text)
    assert field in refused.value.fields
    assert Message.objects.count() == 0 and Conversation.objects.count() == 0


def test_a_product_of_another_shop_cannot_be_attached(buyer, shop_a, shop_b):
    from villagemarket.testing import make_product

    other = make_product(shop_b, title="羽绒被")
    with pytest.raises(Invalid) as refused:
        services.write_to_shop(buyer=buyer, shop=shop_a, text="这个呢", product_id=other.pk)
    assert "product_id" in refused.value.fields


def test_staff_cannot_write_to_their_own_shop_as_buyers(alice, shop_a):
    with pytest.raises(Invalid):
        services.write_to_shop(buyer=alice, shop=shop_a, text="hi")


def test_a_shop_writes_only_to_buyers_of_its_orders(shop_a, alice, buyer2):
    with pytest.raises(NotFound):
        services.write_to_buyer(shop=shop_a, sender=alice, order_id=999, text="hi")


def _png(colour="red") -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(data, format="PNG", pnginfo=_text_chunk())
    data.seek(0)
    data.name = "photo.png"
    return data


def _text_chunk():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Location", "31.2N 121.4E")
    return info


def test_an_image_is_re_encoded_without_its_metadata(buyer, shop_a):
    message = services.write_to_shop(buyer=buyer, shop=shop_a, text="", image=_png())
    assert message.status == "delivered" and message.image
    stored = message.image.read()
    assert b"Location" not in stored and b"121.4E" not in stored
    assert (message.image_width, message.image_height) == (40, 30)


def test_a_file_that_is_not_an_image_is_refused_on_the_image_field(buyer, shop_a):
    fake = io.BytesIO(b"MZ not an image")
    fake.name = "x.png"
    with pytest.raises(Invalid) as refused:
        services.write_to_shop(buyer=buyer, shop=shop_a, text="看图", image=fake)
    assert "image" in refused.value.fields
    assert Message.objects.count() == 0


@override_settings(MESSAGING_MESSAGES_PER_MINUTE=3)
def test_messages_per_minute_are_limited(conversation, buyer):
    # given one message already sent (the conversation fixture), two more are allowed
    services.write_to_shop(buyer=buyer, shop=conversation.shop, text="2")
    services.write_to_shop(buyer=buyer, shop=conversation.shop, text="3")
    # the fourth in the minute is refused, saying when to try again
    with pytest.raises(RateLimited) as limited:
        services.write_to_shop(buyer=buyer, shop=conversation.shop, text="4")
    assert "seconds" in limited.value.message
    assert conversation.messages.count() == 3


@override_settings(MESSAGING_MESSAGES_PER_MINUTE=2)
def test_the_shop_side_is_limited_too(conversation, alice):
    services.reply(conversation, sender=alice, side="shop", text="1")
    services.reply(conversation, sender=alice, side="shop", text="2")
    with pytest.raises(RateLimited):
        services.reply(conversation, sender=alice, side="shop", text="3")


@override_settings(MESSAGING_NEW_CONVERSATIONS_PER_HOUR=2)
def test_new_conversations_per_hour_are_limited(buyer, village):
    from villagemarket.testing import make_shop, make_user

    shops = [
        make_shop(make_user(f"s{n}@example.com"), village, name=f"S{n}", slug=f"s{n}")
        for n in range(3)
    ]
    services.write_to_shop(buyer=buyer, shop=shops[0], text="hi")
    services.write_to_shop(buyer=buyer, shop=shops[1], text="hi")
    with pytest.raises(RateLimited):
        services.write_to_shop(buyer=buyer, shop=shops[2], text="hi")
    assert Conversation.objects.count() == 2
    # writing again in a conversation already started is not a new conversation
    services.write_to_shop(buyer=buyer, shop=shops[0], text="again")


def test_a_conversation_whose_first_message_is_held_is_not_in_the_shop_inbox(buyer, shop_a):
    message = services.write_to_shop(buyer=buyer, shop=shop_a, text="加微信 abc123")
    assert list(selectors.shop_conversations(shop_a)) == []
    assert list(selectors.buyer_conversations(buyer)) == [message.conversation]
    services.decide(message.pk, True, "")
    assert list(selectors.shop_conversations(shop_a)) == [message.conversation]


def test_the_operators_decision_in_the_moderation_queue_delivers_or_rejects(
    conversation, buyer, operator
):
    from villagemarket.moderation import services as moderation

    # given two held messages in the operator's queue
    kept = services.write_to_shop(buyer=buyer, shop=conversation.shop, text="加微信 a1")
    refused = services.write_to_shop(buyer=buyer, shop=conversation.shop, text="加微信 b2")
    case_of = {
        m.pk: Case.objects.get(kind="message", object_id=m.pk, status="open").pk
        for m in (kept, refused)
    }
    # when the operator approves one and rejects the other, explaining why
    moderation.decide(operator, case_of[kept.pk], approve=True)
    moderation.decide(
        operator, case_of[refused.pk], approve=False, reason="No contact details, please."
    )
    # then the first is delivered to the shop, the second is not, and its sender sees why
    kept.refresh_from_db()
    refused.refresh_from_db()
    assert (kept.status, kept.seq) == ("delivered", 2)
    assert (refused.status, refused.moderation_reason) == (
        "rejected",
        "No contact details, please.",
    )
    assert [m.pk for m in selectors.thread(conversation, "shop")][-1] == kept.pk
    assert reload(conversation).shop_unread == 2


def test_the_queue_describes_a_held_message_with_its_shop_and_author(conversation, buyer):
    from villagemarket.moderation import hooks as moderation_hooks

    message = services.write_to_shop(buyer=buyer, shop=conversation.shop, text="加微信 c3")
    ref = moderation_hooks.kind("message").describe(message.pk)
    assert (ref.text, ref.shop_id, ref.author_id) == ("加微信 c3", conversation.shop_id, buyer.pk)
    assert ref.url.endswith(f"/messaging/message/{message.pk}/change/")
    assert moderation_hooks.kind("message").describe(10**9) is None
