"""What each event tells whom. Registered in apps.py on the hooks of orders and shops (and of
moderation, reviews and messaging when those apps are installed); each runs inside the event's
transaction and calls services.notify, which writes the outbox there.

Who hears a shop's news: every member of the shop (owners and staff) for orders, refunds,
disputes, reviews and messages, since any of them may ship, answer or reply; the owners alone
for decisions about the shop itself (verification, moderation), which they answer for.
"""

from __future__ import annotations

from django.urls import reverse

from villagemarket.core.money import Money
from villagemarket.orders.hooks import PLACED, REFUND_REQUESTED, OrderEvent
from villagemarket.orders.models import RefundRequest, ShopOrder
from villagemarket.orders.refund_states import RefundEvent
from villagemarket.orders.states import Event
from villagemarket.shops.models import ShopMember, ShopRole

from . import events
from .services import notify


def shop_members(shop_id: int, *, owners_only: bool = False) -> list[int]:
    """User ids of the shop's members (or only its owners)."""
    members = ShopMember.objects.filter(shop_id=shop_id)
    if owners_only:
        members = members.filter(role=ShopRole.OWNER)
    return list(members.values_list("user_id", flat=True))


def _order_params(order: ShopOrder, money: Money | None = None) -> dict:
    return {
        "order": f"#{order.pk}",
        "shop": order.shop.name,
        "amount": (money or order.total).format(),
    }


def _seller_order_url(order: ShopOrder) -> str:
    return reverse("seller_orders:detail", args=[order.shop.slug, order.pk])


# Order steps: event kind -> (event type, who: "seller" or "buyer")
ORDER_STEPS = {
    PLACED: (events.ORDER_PLACED, "seller"),
    Event.PAY: (events.ORDER_PAID, "seller"),
    Event.SHIP: (events.ORDER_SHIPPED, "buyer"),
}
# Refund steps the buyer is told of, with the outcome word (events.WORDS).
REFUND_DECISIONS = {
    RefundEvent.APPROVE: "approved",
    RefundEvent.APPROVE_RETURN: "approved_return",
    RefundEvent.REJECT: "rejected",
    RefundEvent.PROVIDER_PAID: "paid",
}
ARBITRATION = {RefundEvent.DECIDE_REFUND: "for_buyer", RefundEvent.DECIDE_REJECT: "for_seller"}


def on_order_event(event: OrderEvent) -> None:
    """Orders and refunds: placed, paid, shipped; refund asked, decided, paid back; disputes."""
    if event.refund_id is not None or event.kind == REFUND_REQUESTED:
        _on_refund_event(event)
        return
    step = ORDER_STEPS.get(event.kind)
    if step is None:
        return
    kind, audience = step
    order = ShopOrder.objects.select_related("shop").get(pk=event.order_id)
    params = _order_params(order)
    key = f"order:{order.pk}:{event.kind}"
    if audience == "seller":
        notify(kind, key, shop_members(order.shop_id), params=params, url=_seller_order_url(order))
    else:
        params |= {"carrier": order.carrier, "tracking": order.tracking_no}
        notify(
            kind,
            key,
            [order.buyer_id],
            params=params,
            url=reverse("orders:detail", args=[order.pk]),
        )


def _on_refund_event(event: OrderEvent) -> None:
    if event.kind not in {REFUND_REQUESTED, RefundEvent.ESCALATE, *REFUND_DECISIONS, *ARBITRATION}:
        return
    refund = RefundRequest.objects.select_related("order__shop").get(pk=event.refund_id)
    order = refund.order
    params = _order_params(order, refund.amount)
    key = f"refund:{refund.pk}:{event.kind}"
    buyer_url = reverse("orders:refund", args=[refund.pk])
    seller_url = reverse("seller_orders:refund", args=[order.shop.slug, refund.pk])
    sellers = shop_members(order.shop_id)
    if event.kind == REFUND_REQUESTED:
        params["refund_reason"] = refund.reason
        notify(events.REFUND_REQUESTED, key, sellers, params=params, url=seller_url)
    elif event.kind == RefundEvent.ESCALATE:
        notify(events.DISPUTE_OPENED, key, sellers, params=params, url=seller_url)
    elif event.kind in ARBITRATION:
        params["outcome"] = ARBITRATION[event.kind]
        notify(events.ARBITRATION_OUTCOME, key, [order.buyer_id], params=params, url=buyer_url)
        notify(events.ARBITRATION_OUTCOME, key, sellers, params=params, url=seller_url)
    else:
        params["outcome"] = REFUND_DECISIONS[event.kind]
        notify(events.REFUND_DECIDED, key, [order.buyer_id], params=params, url=buyer_url)


def on_shop_status_change(change) -> None:
    """Shops: an operator approved, suspended or reinstated a shop; its owners hear why."""
    shop = change.shop
    notify(
        events.SHOP_VERIFICATION,
        f"shop-status:{change.pk}",
        shop_members(shop.pk, owners_only=True),
        params={
            "shop": shop.name,
            "from_status": change.from_status,
            "status": change.to_status,
            "reason": change.reason,
        },
        url=reverse("seller:dashboard", args=[shop.slug]),
    )


# --- the trust apps (issue 11): moderation, reviews, messaging ---------------------------------
def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Content the shop answers for: its owners hear the decision even when a staff member wrote it.
SHOP_CONTENT = {"product", "shop", "review_reply"}


def on_moderation_decision(decision) -> None:
    """Moderation: held content was published or not, with the operator's reason. The author
    hears it; the shop's owners too when it is the shop's content (a listing, the shop's text, a
    reply, a message its staff wrote), not when it is a buyer's review or message."""
    recipients = [decision.author_id] if decision.author_id else []
    if decision.shop_id:
        members = shop_members(decision.shop_id)
        if decision.kind in SHOP_CONTENT or decision.author_id in members:
            recipients += shop_members(decision.shop_id, owners_only=True)
    outcome = "published" if decision.approved else "removed"
    case = getattr(decision, "case_id", None) or f"{decision.kind}:{decision.object_id}"
    title, url = f"#{decision.object_id}", ""
    if (kind := moderation_kind(decision.kind)) and (ref := kind.describe(decision.object_id)):
        title, url = ref.title, ref.url
    notify(
        events.MODERATION_DECISION,
        f"moderation:{case}:{outcome}:{_digest(decision.reason)}",
        recipients,
        params={
            "content": decision.kind,
            "what": _excerpt(title, 40),
            "outcome": outcome,
            "reason": decision.reason,
        },
        url=url if decision.approved else "",
    )


def moderation_kind(name: str):
    """The moderation registry's entry for a kind of content (None without that app)."""
    from villagemarket.moderation import hooks

    return hooks.kind(name)


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256((text or "").encode()).hexdigest()[:10]


def on_review_posted(review) -> None:
    """Reviews: a buyer reviewed something the shop sold; the shop's members hear it."""
    notify(
        events.REVIEW_POSTED,
        f"review:{review.pk}:posted",
        shop_members(review.shop_id),
        params={"product": review.product.title, "stars": review.item_stars},
        url=reverse("seller_reviews:list", args=[review.shop.slug]),
    )


def on_reply_posted(review) -> None:
    """Reviews: the shop replied to a buyer's review; the buyer hears it."""
    notify(
        events.REVIEW_REPLY,
        f"review:{review.pk}:reply",
        [review.author_id],
        params={
            "shop": review.shop.name,
            "product": review.product.title,
            "excerpt": _excerpt(review.reply_text),
        },
        url=reverse("catalog:product", args=[review.product_id]) + f"#review-{review.pk}",
    )


def on_message_posted(posted) -> None:
    """Messaging: a buyer wrote to a shop (its members hear it, but the one who wrote) or a shop
    to a buyer. E-mail and SMS reach only those away from the site (events.SHOP_MESSAGE,
    BUYER_MESSAGE); the inbox always."""
    message = posted.message
    conversation = message.conversation
    shop = conversation.shop
    excerpt = _excerpt(message.text) or "📷"
    key = f"message:{message.pk}"
    if posted.recipient_side == "shop":
        notify(
            events.SHOP_MESSAGE,
            key,
            [pk for pk in shop_members(shop.pk) if pk != message.sender_id],
            params={"shop": shop.name, "sender": str(message.sender), "excerpt": excerpt},
            url=reverse("seller_messaging:thread", args=[shop.slug, conversation.pk]),
        )
    else:
        notify(
            events.BUYER_MESSAGE,
            key,
            [conversation.buyer_id],
            params={"shop": shop.name, "excerpt": excerpt},
            url=reverse("messaging:thread", args=[conversation.pk]),
        )
