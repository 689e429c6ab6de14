"""Each event reaches the right people: the shop's members for its orders, refunds, disputes,
reviews and messages; its owners alone for verification and moderation; the buyer for shipping,
refund decisions, arbitration and replies. Written in the event's transaction, once."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import transaction

from villagemarket.core.money import Money
from villagemarket.notifications import events, listeners
from villagemarket.notifications.models import Delivery, Notification
from villagemarket.orders import hooks, services
from villagemarket.orders.tests.factories import checkout, paid_order, shipped_order
from villagemarket.shops import services as shop_services
from villagemarket.testing import make_product, make_shop, make_user

from .helpers import add_staff, told

pytestmark = pytest.mark.django_db

SHOP = {"alice@example.com", "carol@example.com"}  # alice owns shop A, carol is its staff


@pytest.fixture
def carol(shop_a):
    user = make_user("carol@example.com", name="Carol")
    add_staff(shop_a, user)
    return user


def test_a_placed_and_paid_order_tells_every_member_of_the_shop_and_nobody_else(
    buyer, address, sku_a, carol, bob, shop_b
):
    # when the buyer checks out and pays
    order = paid_order(buyer, address, sku_a)

    # then alice (owner) and carol (staff) hear both; the buyer and bob nothing
    assert told(events.ORDER_PLACED) == SHOP
    assert told(events.ORDER_PAID) == SHOP
    paid = Notification.objects.filter(kind=events.ORDER_PAID).first()
    assert paid.title == f"Order #{order.pk} is paid: please ship it"
    assert "¥99.00" in paid.body and paid.url == f"/seller/orders/alice-costumes/{order.pk}/"


def test_a_checkout_across_two_shops_tells_each_shop_of_its_own_order(buyer, address, sku_a, sku_b):
    checkout(buyer, address, (sku_a.pk, 1), (sku_b.pk, 1))

    by_shop = {
        n.recipient.email: n.params["shop"]
        for n in Notification.objects.filter(kind=events.ORDER_PLACED).select_related("recipient")
    }
    assert by_shop == {"alice@example.com": "Alice 演出服", "bob@example.com": "Bob 羽绒被"}


def test_shipping_tells_the_buyer_with_the_carrier_and_tracking_number(
    buyer, address, sku_a, carol
):
    order = shipped_order(buyer, address, sku_a)

    (shipped,) = Notification.objects.filter(kind=events.ORDER_SHIPPED)
    assert shipped.recipient == buyer
    assert shipped.body == (
        f"Alice 演出服 shipped order #{order.pk} by 中通快递, tracking number ZT1234567890."
    )
    assert shipped.url == f"/orders/{order.pk}/"


def _ask(buyer, order, reason="damaged"):
    return services.request_refund(
        buyer=buyer,
        order_id=order.pk,
        amount=Money(order.total_minor, "CNY"),
        reason=reason,
        kind="money_only",
    )


def test_a_refund_request_tells_the_shop_and_its_approval_and_payment_tell_the_buyer(
    buyer, address, sku_a, shop_a, carol, django_capture_on_commit_callbacks
):
    order = shipped_order(buyer, address, sku_a)

    refund = _ask(buyer, order)
    assert told(events.REFUND_REQUESTED) == SHOP
    asked = Notification.objects.filter(kind=events.REFUND_REQUESTED).first()
    assert "(arrived damaged)" in asked.body

    with django_capture_on_commit_callbacks(execute=True):  # the sandbox pays it back
        services.approve_refund(shop=shop_a, refund_id=refund.pk)

    outcomes = [
        n.body
        for n in Notification.objects.filter(kind=events.REFUND_DECIDED, recipient=buyer).order_by(
            "pk"
        )
    ]
    assert outcomes == [
        f"Your refund of ¥99.00 on order #{order.pk}: approved.",
        f"Your refund of ¥99.00 on order #{order.pk}: paid back.",
    ]
    assert told(events.REFUND_DECIDED) == {"buyer@example.com"}


def test_a_rejection_a_dispute_and_its_outcome_reach_the_right_sides(
    buyer, address, sku_a, shop_a, carol, operator
):
    order = shipped_order(buyer, address, sku_a)
    refund = _ask(buyer, order)

    services.reject_refund(shop=shop_a, refund_id=refund.pk, note="完好")
    rejected = Notification.objects.get(kind=events.REFUND_DECIDED)
    assert rejected.recipient == buyer and "rejected by the shop" in rejected.body

    dispute = services.open_dispute(user=buyer, refund_id=refund.pk, text="坏了")
    assert told(events.DISPUTE_OPENED) == SHOP

    services.decide_dispute(operator=operator, dispute_id=dispute.pk, for_buyer=False, note="x")
    assert told(events.ARBITRATION_OUTCOME) == SHOP | {"buyer@example.com"}
    buyers = Notification.objects.get(kind=events.ARBITRATION_OUTCOME, recipient=buyer)
    assert "decided for the shop: no refund" in buyers.body


def test_a_verification_decision_tells_the_owners_but_not_the_staff(village, operator, carol):
    # given a pending shop with an owner and a staff member
    owner = make_user("dora@example.com", name="Dora")
    shop = make_shop(owner, village, name="Dora 粉条", slug="dora", status="pending")
    add_staff(shop, carol)

    shop_services.set_shop_status(operator, shop, "approve", reason="资料齐全")

    (decision,) = Notification.objects.filter(kind=events.SHOP_VERIFICATION)
    assert decision.recipient == owner
    assert decision.title == "Dora 粉条 is now active"
    assert decision.body.endswith("from pending review to active. 资料齐全")


def test_a_repeated_event_notifies_nobody_twice(buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    before = (Notification.objects.count(), Delivery.objects.count())

    listeners.on_order_event(hooks.OrderEvent(kind="pay", order_id=order.pk))

    assert (Notification.objects.count(), Delivery.objects.count()) == before


def test_news_of_a_step_that_rolls_back_is_never_written(buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)

    with pytest.raises(RuntimeError), transaction.atomic():
        services.ship_order(
            shop=order.shop, order_id=order.pk, carrier="中通快递", tracking_no="ZT1234567890"
        )
        assert Notification.objects.filter(kind=events.ORDER_SHIPPED).exists()
        raise RuntimeError("the step failed after telling")

    assert not Notification.objects.filter(kind=events.ORDER_SHIPPED).exists()
    assert not Delivery.objects.filter(notification__kind=events.ORDER_SHIPPED).exists()


# --- the trust apps: moderation, reviews, messaging (their real services and hooks) ------------
def test_a_new_review_tells_the_shop_and_a_reply_tells_its_author(
    buyer, address, sku_a, shop_a, alice, carol
):
    from villagemarket.reviews import services as reviews
    from villagemarket.reviews.tests.factories import completed_order

    order = completed_order(buyer, address, sku_a)
    review = reviews.post_review(
        buyer=buyer,
        line_id=order.lines.get().pk,
        item_stars=5,
        service_stars=5,
        delivery_stars=4,
        text="衣服很好看，孩子很喜欢",
    )
    assert told(events.REVIEW_POSTED) == SHOP
    posted = Notification.objects.filter(kind=events.REVIEW_POSTED).first()
    assert posted.body == "A buyer reviewed 演出服: 5 stars."

    reviews.reply_to_review(
        shop=shop_a, user=alice, review_id=review.pk, text="谢谢惠顾，欢迎再来！"
    )

    (reply,) = Notification.objects.filter(kind=events.REVIEW_REPLY)
    assert reply.recipient == buyer
    assert reply.body == "Alice 演出服 replied to your review of 演出服: 谢谢惠顾，欢迎再来！"
    assert reply.url == f"/p/{sku_a.product_id}/#review-{review.pk}"


def test_a_message_tells_the_other_side_only(buyer, shop_a, alice, carol):
    from villagemarket.messaging import services as messaging

    question = messaging.write_to_shop(buyer=buyer, shop=shop_a, text="还有货吗？")
    assert told(events.SHOP_MESSAGE) == SHOP
    messaging.reply(question.conversation, sender=carol, side="shop", text="有的，今天发")

    (answer,) = Notification.objects.filter(kind=events.BUYER_MESSAGE)
    assert answer.recipient == buyer and answer.body == "Alice 演出服 wrote: 有的，今天发"
    assert answer.url == f"/messages/{question.conversation_id}/"
    assert told(events.SHOP_MESSAGE) == SHOP  # carol's own answer does not tell the shop
    to_shop = Notification.objects.filter(kind=events.SHOP_MESSAGE).first()
    assert to_shop.url == f"/seller/alice-costumes/messages/{question.conversation_id}/"


def _decide_held_listing(shop_a, alice, operator, approve, reason):
    from villagemarket.moderation import services as moderation

    product = make_product(shop_a, title="加微信 wx12345 便宜卖", status="draft")
    case = moderation.submit(
        kind="product", object_id=product.pk, text=product.title, shop_id=shop_a.pk, author=alice
    )
    assert case is not None, "the spam title is held"
    moderation.decide(operator, case.pk, approve=approve, reason=reason)
    return product


def test_a_moderation_decision_tells_the_shop_owners_why_but_not_the_staff(
    shop_a, alice, carol, operator
):
    _decide_held_listing(shop_a, alice, operator, False, "含站外联系方式")

    (decision,) = Notification.objects.filter(kind=events.MODERATION_DECISION)
    assert decision.recipient == alice
    assert decision.title == "Moderation: your listing 加微信 wx12345 便宜卖 was not published"
    assert decision.body.endswith("not published. 含站外联系方式")


def test_a_buyers_held_review_decision_tells_the_buyer_not_the_shop(shop_a, buyer):
    decision = SimpleNamespace(
        kind="review",
        object_id=3,
        approved=True,
        reason="",
        shop_id=shop_a.pk,
        author_id=buyer.pk,
        case_id=99,
    )
    listeners.on_moderation_decision(decision)
    listeners.on_moderation_decision(decision)  # told twice: once

    assert told(events.MODERATION_DECISION) == {"buyer@example.com"}
