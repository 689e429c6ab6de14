"""The event types a person can be told about, as data (no ORM): who they are for, their label
on the preferences page, which channels they use by default, and their words.

In-site notifications are always written; e-mail and SMS follow each person's preferences,
falling back to the defaults here. SMS is on by default only where a rural user expects a text
message: the parcel has shipped, and a refund was decided. The words are lazy translations
filled with the event's `params` when shown, so the inbox speaks the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from villagemarket.orders.refund_states import RefundReason

EMAIL, SMS = "email", "sms"
CHANNELS = (EMAIL, SMS)

SELLER, BUYER = "seller", "buyer"


@dataclass(frozen=True)
class EventType:
    """One kind of news. `title` and `body` are %-templates over the notification's params."""

    code: str
    audience: str  # SELLER or BUYER: the group it is listed under on the preferences page
    label: Promise
    title: Promise
    body: Promise
    email: bool = True  # e-mail on unless the person turns it off
    sms: bool = False  # SMS off unless the person turns it on
    # Only sent by e-mail/SMS while the person is away from the site (new messages).
    offline_only: bool = False


ORDER_PLACED = "order_placed"
ORDER_PAID = "order_paid"
REFUND_REQUESTED = "refund_requested"
DISPUTE_OPENED = "dispute_opened"
SHOP_VERIFICATION = "shop_verification"
MODERATION_DECISION = "moderation_decision"
REVIEW_POSTED = "review_posted"
SHOP_MESSAGE = "shop_message"
ORDER_SHIPPED = "order_shipped"
REFUND_DECIDED = "refund_decided"
ARBITRATION_OUTCOME = "arbitration_outcome"
REVIEW_REPLY = "review_reply"
BUYER_MESSAGE = "buyer_message"
LOW_STOCK = "low_stock"  # sent by insights' sweep (docs/insights.md)

EVENT_TYPES: dict[str, EventType] = {
    t.code: t
    for t in [
        # --- for the seller (every owner and staff member of the shop, unless noted) ---
        EventType(
            ORDER_PLACED,
            SELLER,
            _("Order placed"),
            _("New order %(order)s"),
            _("%(shop)s has a new order %(order)s for %(amount)s, waiting for payment."),
        ),
        EventType(
            ORDER_PAID,
            SELLER,
            _("Order paid"),
            _("Order %(order)s is paid: please ship it"),
            _("The buyer paid %(amount)s for order %(order)s at %(shop)s. Please ship it."),
        ),
        EventType(
            REFUND_REQUESTED,
            SELLER,
            _("Refund requested"),
            _("Refund requested on order %(order)s"),
            _("The buyer asks for %(amount)s back on order %(order)s (%(refund_reason)s)."),
        ),
        EventType(
            DISPUTE_OPENED,
            SELLER,
            _("Dispute opened"),
            _("Arbitration asked on order %(order)s"),
            _("The refund on order %(order)s went to the platform's arbitration."),
        ),
        EventType(
            SHOP_VERIFICATION,
            SELLER,
            _("Shop verification decided (owners)"),
            _("%(shop)s is now %(status)s"),
            _("The platform changed %(shop)s from %(from_status)s to %(status)s. %(reason)s"),
        ),
        EventType(
            MODERATION_DECISION,
            SELLER,
            _("Moderation decision (your listings, reviews or messages)"),
            _("Moderation: your %(content)s %(what)s was %(outcome)s"),
            _("Moderators looked at your %(content)s %(what)s: %(outcome)s. %(reason)s"),
        ),
        EventType(
            REVIEW_POSTED,
            SELLER,
            _("New review"),
            _("New review of %(product)s"),
            _("A buyer reviewed %(product)s: %(stars)s stars."),
        ),
        EventType(
            SHOP_MESSAGE,
            SELLER,
            _("New message to the shop (when you are away)"),
            _("New message from a buyer"),
            _("%(sender)s wrote to %(shop)s: %(excerpt)s"),
            offline_only=True,
        ),
        EventType(
            LOW_STOCK,
            SELLER,
            _("Low stock"),
            _("Low stock: %(product)s %(variant)s"),
            _(
                "%(product)s %(variant)s at %(shop)s has %(stock)s left "
                "(your alert is at %(threshold)s). Restock it or change the threshold."
            ),
        ),
        # --- for the buyer ---
        EventType(
            ORDER_SHIPPED,
            BUYER,
            _("Order shipped"),
            _("Order %(order)s has shipped"),
            _("%(shop)s shipped order %(order)s by %(carrier)s, tracking number %(tracking)s."),
            sms=True,
        ),
        EventType(
            REFUND_DECIDED,
            BUYER,
            _("Refund decided (approved, rejected or paid back)"),
            _("Refund on order %(order)s: %(outcome)s"),
            _("Your refund of %(amount)s on order %(order)s: %(outcome)s."),
            sms=True,
        ),
        EventType(
            ARBITRATION_OUTCOME,
            BUYER,
            _("Arbitration outcome (buyer and shop)"),
            _("Arbitration on order %(order)s decided"),
            _("The platform decided the dispute on order %(order)s: %(outcome)s."),
        ),
        EventType(
            REVIEW_REPLY,
            BUYER,
            _("Reply to your review"),
            _("%(shop)s replied to your review"),
            _("%(shop)s replied to your review of %(product)s: %(excerpt)s"),
        ),
        EventType(
            BUYER_MESSAGE,
            BUYER,
            _("New message from a shop (when you are away)"),
            _("New message from %(shop)s"),
            _("%(shop)s wrote: %(excerpt)s"),
            offline_only=True,
        ),
    ]
}


def event_type(code: str) -> EventType:
    """The event type called `code` (KeyError for an unknown one: a programming error)."""
    return EVENT_TYPES[code]


def render(code: str, params: dict) -> tuple[str, str]:
    """(title, body) of a notification in the active language. A missing parameter shows as
    empty rather than breaking the inbox (params written by an older version)."""
    kind = EVENT_TYPES.get(code)
    if kind is None:
        return code, ""
    values = _Lenient({k: param_text(k, v) for k, v in params.items()})
    return str(kind.title) % values, str(kind.body) % values


# Words stored in params as codes and translated when shown (outcomes, shop statuses, refund
# reasons), so an English reader does not see Chinese written at event time, nor the reverse.
WORDS: dict[str, Promise] = {
    "approved": _("approved"),
    "approved_return": _("approved: please send the goods back"),
    "rejected": _("rejected by the shop"),
    "paid": _("paid back"),
    "for_buyer": _("decided for you: the money comes back"),
    "for_seller": _("decided for the shop: no refund"),
    "published": _("approved and published"),
    "removed": _("not published"),
    "pending": _("pending review"),
    "active": _("active"),
    "suspended": _("suspended"),
    **dict(RefundReason.choices),
    "product": _("listing"),
    "shop": _("shop description"),
    "review": _("review"),
    "review_reply": _("reply to a review"),
    "message": _("message"),
}
TRANSLATED_PARAMS = {"outcome", "status", "from_status", "refund_reason", "content"}


def param_text(key: str, value):
    if key in TRANSLATED_PARAMS and isinstance(value, str) and value in WORDS:
        return str(WORDS[value])
    return value


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        return ""
