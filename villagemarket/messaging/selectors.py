"""Reads of messaging, shared by pages and API: whose conversation this is, what each side sees,
what is new since a position, and unread counts."""

from __future__ import annotations

from django.db.models import F, Q, Sum

from villagemarket.core.errors import NotFound
from villagemarket.shops.models import Shop

from .models import Conversation, Message, MessageStatus, Side


def buyer_conversations(user):
    """The buyer's conversations, latest first, with their shops (one whose only message is
    held for review comes last: nothing was delivered yet)."""
    return (
        Conversation.objects.filter(buyer=user)
        .select_related("shop")
        .order_by(F("last_message_at").desc(nulls_last=True), "-id")
    )


def shop_conversations(shop: Shop):
    """A shop's inbox (shared by its staff), latest first, with the buyers. A conversation
    with nothing delivered yet (its first message is held for review) is not shown."""
    return (
        Conversation.objects.filter(shop=shop, seq__gt=0)
        .select_related("buyer")
        .order_by("-last_message_at", "-id")
    )


def conversation_for(user, pk: int, *, shop: Shop | None = None) -> Conversation:
    """The conversation `pk` seen by the buyer (`shop` None) or by `shop`'s staff; NotFound for
    anybody else, the same answer as for a conversation that does not exist."""
    if not user or not user.is_authenticated:
        raise NotFound("No such conversation.")
    qs = Conversation.objects.select_related("shop", "buyer")
    qs = qs.filter(pk=pk, buyer=user) if shop is None else qs.filter(pk=pk, shop=shop)
    conversation = qs.first()
    if conversation is None:
        raise NotFound("No such conversation.")
    return conversation


def side_of(user, pk: int) -> tuple[Conversation, str]:
    """The conversation `pk` and the side `user` is on (its buyer, or staff of its shop); else
    NotFound. One query (the API resolves the side from the conversation)."""
    if not user or not user.is_authenticated:
        raise NotFound("No such conversation.")
    conversation = (
        Conversation.objects.select_related("shop", "buyer")
        .filter(Q(buyer=user) | Q(shop__members__user=user), pk=pk)
        .first()
    )
    if conversation is None:
        raise NotFound("No such conversation.")
    return conversation, Side.BUYER if conversation.buyer_id == user.pk else Side.SHOP


def _with_cards(qs):
    return qs.select_related("sender", "product", "order")


def thread(conversation: Conversation, side: str):
    """What `side` sees: delivered messages in order, then its own held or rejected ones (the
    other side never sees a message that is not delivered)."""
    visible = Q(status=MessageStatus.DELIVERED) | Q(sender_side=side)
    return _with_cards(
        Message.objects.filter(visible, conversation=conversation).order_by(
            F("seq").asc(nulls_last=True), "id"
        )
    )


def messages_after(conversation: Conversation, after: int):
    """Delivered messages past position `after`, in order (what a poller has not seen)."""
    return _with_cards(
        Message.objects.filter(
            conversation=conversation, status=MessageStatus.DELIVERED, seq__gt=after
        ).order_by("seq")
    )


def latest_position(user, pk: int, *, shop_slug: str | None = None) -> int | None:
    """The conversation's last position if `user` may read it (its buyer, or with `shop_slug`
    staff of its shop), else None: the one query (by primary key) a poll makes before deciding
    there is nothing new."""
    if not user or not user.is_authenticated:
        return None
    qs = Conversation.objects.filter(pk=pk)
    if shop_slug is None:
        qs = qs.filter(buyer=user)
    else:
        qs = qs.filter(shop__slug=shop_slug, shop__members__user=user)
    return qs.values_list("seq", flat=True).first()


def unread_as_buyer(user) -> int:
    return (
        Conversation.objects.filter(buyer=user, buyer_unread__gt=0).aggregate(
            n=Sum("buyer_unread")
        )["n"]
        or 0
    )


def unread_by_shop(user) -> list[tuple[Shop, int]]:
    """Shops `user` is on with their unread inbox counts (shops with none included)."""
    shops = Shop.objects.filter(members__user=user).annotate(
        unread=Sum("conversations__shop_unread")
    )
    return [(shop, shop.unread or 0) for shop in shops.order_by("name")]


def unread_total(user) -> int:
    """Everything unread for `user`: as a buyer and in the inboxes of the shops they are on."""
    if not user or not user.is_authenticated:
        return 0
    as_staff = (
        Conversation.objects.filter(shop__members__user=user, shop_unread__gt=0).aggregate(
            n=Sum("shop_unread")
        )["n"]
        or 0
    )
    return unread_as_buyer(user) + as_staff
