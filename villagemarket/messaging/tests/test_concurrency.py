"""Concurrent writes into one conversation (PostgreSQL: real row locks between threads)."""

from __future__ import annotations

import pytest

from villagemarket.messaging import services
from villagemarket.messaging.models import Conversation, Message
from villagemarket.testing.threads import run_together


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_first_messages_at_once_make_one_conversation_with_two_positions(buyer, shop_a):
    # given a buyer with two tabs open on the same shop, sending at the same instant
    def send(text):
        return lambda: services.write_to_shop(buyer=buyer, shop=shop_a, text=text)

    outcomes = run_together(send("第一"), send("第二"))

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    conversation = Conversation.objects.get()
    assert sorted(Message.objects.values_list("seq", flat=True)) == [1, 2]
    assert (conversation.seq, conversation.shop_unread) == (2, 2)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_both_sides_writing_at_once_get_consecutive_positions_and_true_unread_counts(
    conversation, buyer, alice, carol
):
    calls = [
        lambda: services.reply(conversation, sender=buyer, side="buyer", text="b1"),
        lambda: services.reply(conversation, sender=alice, side="shop", text="a1"),
        lambda: services.reply(conversation, sender=carol, side="shop", text="c1"),
        lambda: services.reply(conversation, sender=buyer, side="buyer", text="b2"),
    ]

    outcomes = run_together(*calls)

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    seqs = sorted(Message.objects.values_list("seq", flat=True))
    assert seqs == [1, 2, 3, 4, 5]
    conversation.refresh_from_db()
    # each side's unread is what the other side wrote after its read position
    for side, other in (("buyer", "shop"), ("shop", "buyer")):
        expected = Message.objects.filter(
            sender_side=other, seq__gt=conversation.read_seq_for(side)
        ).count()
        assert conversation.unread_for(side) == expected, side
