"""Use-cases of messaging: a buyer writes to a shop, either side replies, a side reads, and an
operator's moderation decision delivers or rejects a held message.

Every posted text goes through moderation (`moderation.services.submit`) in the transaction that
saves it: a clean message is delivered at once (it takes the next position of its conversation,
the recipient side's unread count grows, `hooks.message_posted` is told); a held one waits, shown
only to its sender, until the operator decides (`decide`).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.catalog.models import Product
from villagemarket.core.errors import Invalid, NotFound, RateLimited
from villagemarket.core.images import process_upload
from villagemarket.core.ratelimit import FixedWindow
from villagemarket.moderation import services as moderation
from villagemarket.orders.models import ShopOrder
from villagemarket.shops.models import Shop, ShopMember

from . import hooks, rules
from .models import Conversation, Message, MessageStatus, Side

MODERATION_KIND = "message"


def _send_window() -> FixedWindow:
    return FixedWindow("message-send", rules.messages_per_minute(), 60)


def _start_window() -> FixedWindow:
    return FixedWindow("conversation-start", rules.new_conversations_per_hour(), 3600)


def _spend(window: FixedWindow, user, message: str) -> None:
    """Count one use of `window` for `user`; RateLimited past its limit (hit first, then judge:
    two concurrent requests can never both take the last place)."""
    identity = f"user:{user.pk}"
    if window.hit(identity) > window.limit:
        raise RateLimited(message % {"seconds": window.wait_seconds(identity) or window.window})


def _about(shop: Shop, buyer, product_id: int | None, order_id: int | None):
    """The product or order a message is about, checked to belong to this shop (and buyer)."""
    if product_id and order_id:
        raise Invalid(
            _("A message is about one product or one order, not both."),
            fields={"order_id": [_("choose one")]},
        )
    product = order = None
    if product_id:
        product = Product.objects.filter(pk=product_id, shop=shop).first()
        if product is None:
            raise Invalid(
                _("That product is not one of this shop's."),
                fields={"product_id": [_("not this shop's product")]},
            )
    if order_id:
        order = ShopOrder.objects.filter(pk=order_id, shop=shop, buyer=buyer).first()
        if order is None:
            raise Invalid(
                _("That order is not between this buyer and this shop."),
                fields={"order_id": [_("not an order of this conversation")]},
            )
    return product, order


def _picture(upload):
    """The uploaded image checked and re-encoded (metadata dropped), or None without one."""
    return process_upload(upload, field="image") if upload else None


def _deliver(message: Message, *, by_sender: bool) -> None:
    """Give `message` the next position of its conversation and tell the recipient side.

    One UPDATE takes the conversation's row lock and the next position, so positions follow
    commit order: a poller asking for "after N" never skips one (models.py).
    """
    recipient, sender = message.recipient_side, message.sender_side
    changes = {
        "seq": F("seq") + 1,
        "last_message_at": timezone.now(),
        f"{recipient}_unread": F(f"{recipient}_unread") + 1,
    }
    Conversation.objects.filter(pk=message.conversation_id).update(**changes)
    conversation = message.conversation
    conversation.refresh_from_db()  # listeners see the conversation as it now is
    seq = conversation.seq
    message.seq, message.status = seq, MessageStatus.DELIVERED
    message.save(update_fields=["seq", "status"])
    if by_sender:
        # Writing answers everything before it: the sender's side has read up to here.
        _read_up_to(message.conversation_id, sender, seq)
    hooks.message_posted(message)


def _post(
    conversation: Conversation,
    *,
    sender,
    side: str,
    text: str,
    image: tuple | None = None,
    about: tuple = (None, None),
) -> Message:
    """Save a message in `conversation` (inside the caller's transaction), screened. `text` is
    clean and `about` (product, order) checked already: a refusal must not cost a limit."""
    product, order = about
    message = Message(
        conversation=conversation,
        sender=sender,
        sender_side=side,
        text=text,
        product=product,
        order=order,
        status=MessageStatus.HELD,
    )
    if image is not None:
        content, width, height = image
        message.image.save(content.name, content, save=False)
        message.image_width, message.image_height = width, height
    message.save()
    message.conversation = conversation
    case = moderation.submit(
        kind=MODERATION_KIND,
        object_id=message.pk,
        text=text,
        shop_id=conversation.shop_id,
        author=sender,
    )
    if case is None:
        _deliver(message, by_sender=True)
    return message


def write_to_shop(
    *,
    buyer,
    shop: Shop,
    text: str | None,
    image=None,
    product_id: int | None = None,
    order_id: int | None = None,
) -> Message:
    """A buyer writes to a shop, starting their conversation when it is the first time.

    Limited per buyer: new conversations per hour, messages per minute (RateLimited, 429).
    A shop's own staff do not write to their shop as buyers.
    """
    if ShopMember.objects.filter(shop=shop, user=buyer).exists():
        raise Invalid(
            _("You are on this shop's staff: answer its buyers from the shop's inbox."),
            fields={"shop": [_("your own shop")]},
        )
    # Refuse bad input before it costs a limit.
    text = rules.clean_text(text, has_image=bool(image))
    image = _picture(image)
    about = _about(shop, buyer, product_id, order_id)
    existing = Conversation.objects.filter(buyer=buyer, shop=shop).first()
    if existing is None:
        _spend(
            _start_window(),
            buyer,
            _("You have started many conversations lately. Try again in %(seconds)s seconds."),
        )
    _spend_message(buyer)
    with transaction.atomic():
        conversation, _created = Conversation.objects.get_or_create(buyer=buyer, shop=shop)
        return _post(
            conversation,
            sender=buyer,
            side=Side.BUYER,
            text=text,
            image=image,
            about=about,
        )


def write_to_buyer(*, shop: Shop, sender, order_id: int, text: str | None, image=None) -> Message:
    """A shop's staff member writes to the buyer of one of its orders (a shop cannot write to
    strangers: the order is what lets it start a conversation)."""
    order = ShopOrder.objects.filter(pk=order_id, shop=shop).select_related("buyer").first()
    if order is None:
        raise NotFound(_("No such order."))
    text = rules.clean_text(text, has_image=bool(image))
    image = _picture(image)
    _spend_message(sender)
    with transaction.atomic():
        conversation, _created = Conversation.objects.get_or_create(buyer=order.buyer, shop=shop)
        return _post(
            conversation, sender=sender, side=Side.SHOP, text=text, image=image, about=(None, order)
        )


def reply(
    conversation: Conversation,
    *,
    sender,
    side: str,
    text: str | None,
    image=None,
    product_id: int | None = None,
    order_id: int | None = None,
) -> Message:
    """Either side writes in an existing conversation (the caller has checked `side`)."""
    text = rules.clean_text(text, has_image=bool(image))
    image = _picture(image)
    about = _about(conversation.shop, conversation.buyer, product_id, order_id)
    _spend_message(sender)
    with transaction.atomic():
        return _post(conversation, sender=sender, side=side, text=text, image=image, about=about)


def _spend_message(user) -> None:
    _spend(
        _send_window(),
        user,
        _("You are sending messages too fast. Try again in %(seconds)s seconds."),
    )


def _read_up_to(conversation_id: int, side: str, seq: int) -> None:
    """Move `side`'s read position to `seq` (never back) and recount what lies past it."""
    other = Side.SHOP if side == Side.BUYER else Side.BUYER
    conversation = Conversation.objects.select_for_update().get(pk=conversation_id)
    read = max(conversation.read_seq_for(side), min(seq, conversation.seq))
    unread = Message.objects.filter(
        conversation_id=conversation_id,
        status=MessageStatus.DELIVERED,
        sender_side=other,
        seq__gt=read,
    ).count()
    Conversation.objects.filter(pk=conversation_id).update(
        **{f"{side}_read_seq": read, f"{side}_unread": unread}
    )


def mark_read(conversation: Conversation, *, side: str, up_to: int | None = None) -> None:
    """`side` has read `conversation` up to position `up_to` (default: everything so far)."""
    with transaction.atomic():
        _read_up_to(conversation.pk, side, conversation.seq if up_to is None else up_to)


def decide(message_id: int, approved: bool, reason: str = "") -> None:
    """Moderation's decision on a held message (called inside the operator's transaction):
    approved delivers it now; rejected keeps it from the recipient, and its sender sees why.
    A delivered message rejected later (after a report) is hidden from both sides."""
    message = (
        Message.objects.select_for_update()
        .select_related("conversation", "sender")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return
    if approved:
        if message.status == MessageStatus.HELD:
            _deliver(message, by_sender=False)
        return
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.REJECTED, moderation_reason=(reason or "")[:200]
    )
    if message.seq is not None:  # it had been delivered: it no longer counts as unread
        _read_up_to(message.conversation_id, message.recipient_side, 0)
