"""Where the rules meet the events: each order step and each new review is checked inside its
own transaction (orders.hooks.on_order_event, reviews.hooks.on_review_posted), and what fires
becomes a Flag in that same transaction.

Cheap by design (checkout speed matters): one query reads the rules, one reads the order, and
each rule is one indexed look-up bounded by its window (ShopOrder's (shop, address_key,
created_at) and (shop, device_id, created_at) indexes, Payment.payer_account, tracking_no);
nothing scans a table. Writes happen only when a rule fires.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.db.models import Q

from villagemarket.orders import hooks as order_hooks
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.states import Event, Status
from villagemarket.payments.models import Payment
from villagemarket.shops.models import ShopMember

from . import rules
from .models import Flag, FlagStatus, Rule

# The most orders one flag group names (a group past this is flagged on its newest orders).
MAX_GROUP = 50
# The most recent reviews of a shop a new review is compared with.
MAX_REVIEWS_COMPARED = 200


# The rules are read at every order step; they change when an operator tunes one. Each process
# keeps them RULES_TTL seconds (a tuning reaches every app server within that time; the process
# that saved it forgets at once), so a checkout does not read the same eight rows per shop order.
RULES_TTL = 30.0
_rules_cache: tuple[float, dict] | None = None


def current_rules() -> dict[str, tuple[int, rules.Params]]:
    """Every rule by code: (row id, its Params). One small query, at most every RULES_TTL."""
    global _rules_cache
    now = time.monotonic()
    if _rules_cache is not None and _rules_cache[0] > now:
        return _rules_cache[1]
    loaded = {
        code: (pk, rules.Params(code, threshold, window, enabled))
        for pk, code, threshold, window, enabled in Rule.objects.values_list(
            "pk", "code", "threshold", "window_minutes", "enabled"
        )
    }
    _rules_cache = (now + RULES_TTL, loaded)
    return loaded


def forget_rules() -> None:
    """Read the rules afresh on next use (after a change, and between tests)."""
    global _rules_cache
    _rules_cache = None


def sale_held(order_id: int) -> bool:
    """orders' sale gate: an order with an open or confirmed flag is not counted as a sale."""
    return Flag.objects.filter(
        order_id=order_id, status__in=(FlagStatus.OPEN, FlagStatus.CONFIRMED)
    ).exists()


def _flag_orders(rule_id: int, pairs: list[tuple[int, int]], figures: dict) -> None:
    """Flag each (order id, shop id) for the rule; an order already flagged for it keeps one
    flag, whose figures (if still open) become the latest."""
    ids = [order_id for order_id, _shop in pairs]
    Flag.objects.filter(rule_id=rule_id, order_id__in=ids, status=FlagStatus.OPEN).update(
        figures=figures
    )
    Flag.objects.bulk_create(
        [
            Flag(rule_id=rule_id, order_id=order_id, shop_id=shop_id, figures=figures)
            for order_id, shop_id in pairs
        ],
        ignore_conflicts=True,
    )


def _enabled(active: dict, code: str) -> tuple[int, rules.Params] | None:
    found = active.get(code)
    return found if found and found[1].enabled else None


def _fire_count(
    active: dict, code: str, order: ShopOrder, ids: list[int], window_minutes: int
) -> None:
    """Flag every order of `ids` (the group the order belongs to) when they reach the rule's
    threshold, each with the group's figures."""
    rule_id, params = active[code]
    if order.pk not in ids:
        ids = [*ids, order.pk]
    if rules.count_fires(len(ids), params):
        figures = {
            "count": len(ids),
            "threshold": params.threshold,
            "window_minutes": window_minutes,
        }
        _flag_orders(rule_id, [(pk, order.shop_id) for pk in ids], figures)


def _same_source(active: dict, order: ShopOrder) -> None:
    """Rules (1) and (2): the shop's recent orders from the order's address or device, in one
    look-up (PostgreSQL ORs the two indexes), each counted within its own rule's window."""
    wanted = {}
    if order.address_key and (found := _enabled(active, rules.ADDRESS)):
        wanted[rules.ADDRESS] = ("address_key", order.address_key, found[1].window_minutes)
    if order.device_id and (found := _enabled(active, rules.DEVICE)):
        wanted[rules.DEVICE] = ("device_id", order.device_id, found[1].window_minutes)
    if not wanted:
        return
    widest = max(window for _field, _value, window in wanted.values())
    match = Q()
    for field, value, _window in wanted.values():
        match |= Q(**{field: value})
    rows = list(
        ShopOrder.objects.filter(
            match,
            shop_id=order.shop_id,
            created_at__gte=order.created_at - datetime.timedelta(minutes=widest),
        )
        .exclude(status=Status.CLOSED)
        .order_by("-created_at")
        .values("pk", "address_key", "device_id", "created_at")[: 2 * MAX_GROUP]
    )
    for code, (field, value, window) in wanted.items():
        since = order.created_at - datetime.timedelta(minutes=window)
        ids = [r["pk"] for r in rows if r[field] == value and r["created_at"] >= since]
        _fire_count(active, code, order, ids[:MAX_GROUP], window)


def _minutes(later: datetime.datetime, earlier: datetime.datetime) -> float:
    return (later - earlier).total_seconds() / 60


def check_placed(order_id: int, active: dict) -> None:
    """A new order: many from one address or device to this shop; a buyer who just signed up."""
    order = (
        ShopOrder.objects.select_related("buyer")
        .only("pk", "shop_id", "address_key", "device_id", "created_at", "buyer__date_joined")
        .get(pk=order_id)
    )
    _same_source(active, order)
    if found := _enabled(active, rules.NEW_ACCOUNT):
        rule_id, params = found
        minutes = _minutes(order.created_at, order.buyer.date_joined)
        if rules.speed_fires(minutes, params):
            figures = {"minutes": int(minutes), "threshold": params.threshold}
            _flag_orders(rule_id, [(order.pk, order.shop_id)], figures)


def check_paid(order_id: int, active: dict) -> None:
    """A paid order: many orders to this shop paid from one payment account."""
    order = (
        ShopOrder.objects.select_related("payment")
        .only("pk", "shop_id", "created_at", "payment__payer_account")
        .get(pk=order_id)
    )
    account = order.payment.payer_account if order.payment_id else ""
    found = _enabled(active, rules.PAYER)
    if not account or not found:
        return
    window = found[1].window_minutes
    ids = list(
        ShopOrder.objects.filter(
            shop_id=order.shop_id,
            payment__payer_account=account,
            created_at__gte=order.created_at - datetime.timedelta(minutes=window),
        )
        .exclude(status=Status.CLOSED)
        .order_by("-created_at")
        .values_list("pk", flat=True)[:MAX_GROUP]
    )
    _fire_count(active, rules.PAYER, order, ids, window)


def check_shipped(order_id: int, active: dict) -> None:
    """A shipped order: its tracking number on other orders in the window. Orders of one shop to
    one address sharing a parcel are one parcel (merged shipping), so they count once."""
    if not (found := _enabled(active, rules.TRACKING)):
        return
    rule_id, params = found
    order = ShopOrder.objects.only("pk", "shop_id", "tracking_no", "shipped_at").get(pk=order_id)
    number = order.tracking_no
    if not number or order.shipped_at is None:
        return
    since = order.shipped_at - datetime.timedelta(minutes=params.window_minutes)
    rows = list(
        ShopOrder.objects.filter(
            tracking_no__in={number, number.upper(), number.lower()}, shipped_at__gte=since
        )
        .order_by("-shipped_at")
        .values_list("pk", "shop_id", "address_key")[:MAX_GROUP]
    )
    parcels = {(shop_id, key or f"order:{pk}") for pk, shop_id, key in rows}
    if rules.count_fires(len(parcels), params):
        figures = {
            "count": len(parcels),
            "threshold": params.threshold,
            "window_minutes": params.window_minutes,
            "tracking_no": number,
        }
        _flag_orders(rule_id, [(pk, shop_id) for pk, shop_id, _key in rows], figures)


def check_confirmed(order_id: int, active: dict) -> None:
    """The buyer confirmed receipt: how long after shipment."""
    if not (found := _enabled(active, rules.FAST_CONFIRM)):
        return
    rule_id, params = found
    order = ShopOrder.objects.only("pk", "shop_id", "shipped_at", "completed_at").get(pk=order_id)
    if order.shipped_at is None or order.completed_at is None:
        return
    minutes = _minutes(order.completed_at, order.shipped_at)
    if rules.speed_fires(minutes, params):
        figures = {"minutes": int(minutes), "threshold": params.threshold}
        _flag_orders(rule_id, [(order.pk, order.shop_id)], figures)


_CHECKS: dict[str, Callable[[int, dict], None]] = {
    order_hooks.PLACED: check_placed,
    Event.PAY: check_paid,
    Event.SHIP: check_shipped,
    Event.CONFIRM: check_confirmed,
}


def checks_on() -> bool:
    """Whether new events are checked: settings.ANTIFRAUD_CHECKS (default True). The test suite
    turns it off for the other apps' tests, whose accounts are always seconds old; antifraud's
    own tests turn it on. Flags already raised keep holding their sales either way."""
    return getattr(settings, "ANTIFRAUD_CHECKS", True)


def on_order_event(event: order_hooks.OrderEvent) -> None:
    """orders' event hook (inside the step's transaction)."""
    check = _CHECKS.get(event.kind)
    if check is None or event.refund_id is not None or not checks_on():
        return
    check(event.order_id, current_rules())


# --- reviews --------------------------------------------------------------------------------
# reviews.services.set_flagged once the reviews app is installed (connect_reviews).
_set_review_flagged: Callable[..., object] | None = None


def hide_review(review_id: int, flagged: bool, reason: str = "") -> None:
    """Hide (or show again) a review through the reviews app, when it is installed."""
    if _set_review_flagged is not None:
        _set_review_flagged(review_id, flagged, reason=reason)


def _flag_review(rule_id: int, code: str, shop_id: int, review_id: int, figures: dict) -> bool:
    """Flag and hide the review, unless this rule already flagged it (an operator who cleared
    it decided: the same rule does not hide it again)."""
    if Flag.objects.filter(rule_id=rule_id, review_id=review_id).exists():
        return False
    Flag.objects.bulk_create(
        [Flag(rule_id=rule_id, review_id=review_id, shop_id=shop_id, figures=figures)],
        ignore_conflicts=True,
    )
    hide_review(review_id, True, reason=rules.explain(code, figures))
    return True


def staff_links(*, shop_id: int, author_id: int, order_id: int | None) -> list[str]:
    """How a reviewer is linked to the shop's staff: "member" (owner or staff of the shop),
    "device" (the reviewed order came from a device a staff member ordered from), "payer" (it
    was paid from a payment account a staff member paid with). A few indexed queries."""
    staff = list(ShopMember.objects.filter(shop_id=shop_id).values_list("user_id", flat=True))
    links = []
    if author_id in staff:
        links.append("member")
    others = [user_id for user_id in staff if user_id != author_id]
    order = (
        ShopOrder.objects.filter(pk=order_id).values("device_id", "payment__payer_account").first()
        if order_id
        else None
    )
    if order and others:
        device, account = order["device_id"], order["payment__payer_account"]
        if device and ShopOrder.objects.filter(buyer_id__in=others, device_id=device).exists():
            links.append("device")
        if account and Payment.objects.filter(buyer_id__in=others, payer_account=account).exists():
            links.append("payer")
    return links


def check_review(
    *,
    review_id: int,
    shop_id: int,
    order_id: int | None,
    author_id: int,
    text: str,
    recent: list[tuple[int, str]],
    active: dict | None = None,
) -> list[str]:
    """Check a new review: near-identical to another author's recent review of the shop
    (`recent`: (id, text) pairs, newest first), or written from an account linked to the
    shop's staff. Flags (and hides) it; returns the codes that fired."""
    active = current_rules() if active is None else active
    fired = []
    if rules.SIMILAR_REVIEWS in active:
        rule_id, params = active[rules.SIMILAR_REVIEWS]
        other, percent = rules.most_similar(text, recent)
        if other is not None and rules.count_fires(percent, params):
            figures = {"percent": percent, "other": other, "threshold": params.threshold}
            _flag_review(rule_id, rules.SIMILAR_REVIEWS, shop_id, review_id, figures)
            _flag_review(
                rule_id, rules.SIMILAR_REVIEWS, shop_id, other, {**figures, "other": review_id}
            )
            fired.append(rules.SIMILAR_REVIEWS)
    if rules.STAFF_REVIEW in active:
        rule_id, params = active[rules.STAFF_REVIEW]
        links = staff_links(shop_id=shop_id, author_id=author_id, order_id=order_id)
        if rules.count_fires(len(links), params):
            figures = {"links": links, "count": len(links), "threshold": params.threshold}
            _flag_review(rule_id, rules.STAFF_REVIEW, shop_id, review_id, figures)
            fired.append(rules.STAFF_REVIEW)
    return fired


def on_review_posted(review) -> None:
    """reviews' hook (inside the posting transaction): compare with the shop's recent reviews by
    other authors within the window, and look for links to its staff."""
    from villagemarket.reviews.models import Review

    if not checks_on():
        return
    active = current_rules()
    recent: list[tuple[int, str]] = []
    similar = active.get(rules.SIMILAR_REVIEWS)
    if similar and similar[1].enabled and rules.shingles(review.text or ""):
        since = review.created_at - datetime.timedelta(minutes=similar[1].window_minutes)
        recent = list(
            Review.objects.filter(shop_id=review.shop_id, created_at__gte=since)
            .exclude(Q(pk=review.pk) | Q(author_id=review.author_id))
            .order_by("-created_at")
            .values_list("pk", "text")[:MAX_REVIEWS_COMPARED]
        )
    check_review(
        review_id=review.pk,
        shop_id=review.shop_id,
        order_id=review.order_id,
        author_id=review.author_id,
        text=review.text or "",
        recent=recent,
        active=active,
    )


def connect_reviews() -> None:
    """Listen to new reviews and hide flagged ones, once the reviews app exists."""
    global _set_review_flagged
    if not apps.is_installed("villagemarket.reviews"):
        return
    from villagemarket.reviews import hooks as review_hooks
    from villagemarket.reviews import services as review_services

    review_hooks.on_review_posted(on_review_posted)
    _set_review_flagged = review_services.set_flagged
