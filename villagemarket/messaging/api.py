"""Messaging API (mounted at /api/v1/messaging/): the same conversations and permissions as the
pages. The caller's side comes from the conversation: its buyer, or staff of its shop; anybody
else gets 404, as for a conversation that does not exist."""

import datetime

from django.db.models import F, Value
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from villagemarket.accounts.auth import user_auth
from villagemarket.core.idempotency import idempotent
from villagemarket.core.pagination import PageNumber
from villagemarket.core.validation import DbId, Text
from villagemarket.shops.models import Shop
from villagemarket.shops.permissions import shop_for_member

from . import rules, selectors, services
from .models import Conversation, Message, Side

router = Router(tags=["messaging"], auth=user_auth)

MAX_BATCH = 100


class ConversationOut(Schema):
    id: int
    shop_slug: str
    shop_name: str
    buyer_name: str
    side: str = Field(..., description='The caller\'s side: "buyer" or "shop"')
    last_position: int = Field(..., description="Position of the last delivered message")
    unread: int = Field(
        ..., description="Messages of the other side the caller's side has not read"
    )
    last_message_at: datetime.datetime | None


class MessageOut(Schema):
    id: int
    position: int | None = Field(..., description="Order in the conversation; null while held")
    sender_side: str
    sender_name: str
    text: str
    image_url: str | None
    product_id: int | None
    order_id: int | None
    status: str = Field(..., description="delivered, held (for review) or rejected")
    moderation_reason: str
    created_at: datetime.datetime


class MessagesOut(Schema):
    items: list[MessageOut]
    last_position: int = Field(..., description="Ask again with after=this for what is new")


class MessageIn(Schema):
    text: Text = Field(..., max_length=rules.MAX_TEXT)
    product_id: DbId | None = None
    order_id: DbId | None = None


class ShopMessageIn(Schema):
    text: Text = Field(..., max_length=rules.MAX_TEXT)


class ReadIn(Schema):
    up_to: int | None = Field(None, ge=0, description="Position read up to; omit for all")


class InboxQuery(Schema):
    shop: str | None = Field(None, description="A shop's slug: its inbox (staff only)")


class AfterQuery(Schema):
    after: int = Field(0, ge=0, description="Only messages past this position")


def conversation_out(conversation: Conversation, side: str) -> dict:
    buyer = conversation.buyer
    return {
        "id": conversation.pk,
        "shop_slug": conversation.shop.slug,
        "shop_name": conversation.shop.name,
        "buyer_name": buyer.display_name or "",
        "side": side,
        "last_position": conversation.seq,
        "unread": conversation.unread_for(side),
        "last_message_at": conversation.last_message_at,
    }


def message_out(message: Message) -> dict:
    return {
        "id": message.pk,
        "position": message.seq,
        "sender_side": message.sender_side,
        "sender_name": message.sender.display_name or "",
        "text": message.text if message.status != "rejected" else "",
        "image_url": message.image.url if message.image else None,
        "product_id": message.product_id,
        "order_id": message.order_id,
        "status": message.status,
        "moderation_reason": message.moderation_reason,
        "created_at": message.created_at,
    }


@router.get(
    "conversations",
    response=list[ConversationOut],
    summary="My conversations (or a shop's inbox), latest first",
)
@paginate(PageNumber)
def list_conversations(request: HttpRequest, query: Query[InboxQuery]):
    if query.shop:
        rows, side = (
            selectors.shop_conversations(shop_for_member(request.user, query.shop)),
            Side.SHOP,
        )
    else:
        rows, side = selectors.buyer_conversations(request.user), Side.BUYER
    return rows.annotate(
        side=Value(side),
        unread=F(f"{side}_unread"),
        shop_slug=F("shop__slug"),
        shop_name=F("shop__name"),
        buyer_name=F("buyer__display_name"),
        last_position=F("seq"),
    )


@router.get(
    "conversations/{int:conversation_id}",
    response=ConversationOut,
    summary="One conversation as the caller's side sees it",
)
def get_conversation(request: HttpRequest, conversation_id: DbId):
    conversation, side = selectors.side_of(request.user, conversation_id)
    return conversation_out(conversation, side)


@router.get(
    "conversations/{int:conversation_id}/messages",
    response=MessagesOut,
    summary="Delivered messages past a position (poll with after=last_position)",
)
def list_messages(request: HttpRequest, conversation_id: DbId, query: Query[AfterQuery]):
    conversation, _side = selectors.side_of(request.user, conversation_id)
    items = list(selectors.messages_after(conversation, query.after)[:MAX_BATCH])
    last = items[-1].seq if items else max(query.after, 0)
    return {"items": [message_out(m) for m in items], "last_position": min(last, conversation.seq)}


@router.post(
    "conversations/{int:conversation_id}/messages",
    response={201: MessageOut},
    summary="Write in a conversation (held for review when moderation matches)",
)
@idempotent
def post_message(request: HttpRequest, conversation_id: DbId, payload: MessageIn):
    conversation, side = selectors.side_of(request.user, conversation_id)
    message = services.reply(
        conversation,
        sender=request.user,
        side=side,
        text=payload.text,
        product_id=payload.product_id,
        order_id=payload.order_id,
    )
    return Status(201, message_out(message))


@router.post(
    "conversations/{int:conversation_id}/images",
    response={201: MessageOut},
    summary="Send a picture in a conversation (multipart: `image`, optional `text`)",
)
@idempotent
def post_image(
    request: HttpRequest,
    conversation_id: DbId,
    image: File[UploadedFile],
    text: Form[str] = "",
):
    """The picture is checked and re-encoded as on the pages (metadata dropped); a bad or too
    large file is 422 naming `image`. The optional text is screened like any message."""
    conversation, side = selectors.side_of(request.user, conversation_id)
    message = services.reply(
        conversation, sender=request.user, side=side, text=text or None, image=image
    )
    return Status(201, message_out(message))


@router.post(
    "conversations/{int:conversation_id}/read",
    response=ConversationOut,
    summary="Mark the conversation read for the caller's side",
)
def mark_read(request: HttpRequest, conversation_id: DbId, payload: ReadIn):
    conversation, side = selectors.side_of(request.user, conversation_id)
    services.mark_read(conversation, side=side, up_to=payload.up_to)
    conversation.refresh_from_db()
    return conversation_out(conversation, side)


@router.post(
    "shops/{slug:shop_slug}/messages",
    response={201: MessageOut},
    summary="Write to a shop as a buyer (starts the conversation the first time)",
)
@idempotent
def write_to_shop(request: HttpRequest, shop_slug: str, payload: MessageIn):
    shop = get_object_or_404(Shop, slug=shop_slug)
    message = services.write_to_shop(
        buyer=request.user,
        shop=shop,
        text=payload.text,
        product_id=payload.product_id,
        order_id=payload.order_id,
    )
    return Status(201, message_out(message))


@router.post(
    "shops/{slug:shop_slug}/orders/{int:order_id}/messages",
    response={201: MessageOut},
    summary="Write to the buyer of one of the shop's orders (shop staff)",
)
@idempotent
def write_to_buyer(request: HttpRequest, shop_slug: str, order_id: DbId, payload: ShopMessageIn):
    shop = shop_for_member(request.user, shop_slug)
    message = services.write_to_buyer(
        shop=shop, sender=request.user, order_id=order_id, text=payload.text
    )
    return Status(201, message_out(message))
