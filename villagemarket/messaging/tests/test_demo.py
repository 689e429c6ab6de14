"""The demo's conversations (web/demo/messaging.py): made by the services, shown on the pages,
a held message in the moderation queue, and a second run adds nothing."""

from __future__ import annotations

import pytest

from villagemarket.messaging.models import Conversation, Message
from villagemarket.moderation.models import Case
from villagemarket.testing import client_for
from villagemarket.web.demo import data
from villagemarket.web.tests.test_demo import build_demo, tiny_regions  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_demo_has_conversations_with_cards_an_image_and_a_held_message(build_demo, tiny_regions):  # noqa: F811
    build_demo()
    conversations = Conversation.objects.filter(buyer__email=data.BUYER)
    assert conversations.count() == 2
    home = conversations.get(shop__members__user__email=data.SELLER)
    messages = home.messages.order_by("seq")
    assert messages.filter(product__isnull=False).exists()
    assert messages.filter(order__isnull=False).exists()
    assert messages.exclude(image="").exists()
    assert home.buyer_unread >= 1 and home.shop_unread == 0
    held = Message.objects.get(status="held")
    assert Case.objects.filter(kind="message", object_id=held.pk, held=True).exists()
    # the buyer's page shows them
    buyer = home.buyer
    page = client_for(buyer).get(f"/messages/{home.pk}/").content.decode()
    assert "140" in page and "Held for review" not in page
    count = Message.objects.count()

    build_demo()
    assert Message.objects.count() == count
