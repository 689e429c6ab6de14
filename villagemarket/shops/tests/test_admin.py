"""Operator back-office: review and decide on shops through the admin."""

import pytest
from django.urls import reverse

from villagemarket.testing import make_shop
from villagemarket.shops.models import Shop, ShopStatusChange


@pytest.fixture
def pending(bob, village):
    return make_shop(bob, village, name="待审店", slug="pending-shop", status="pending")


def test_operator_approves_selected_shops_with_a_count(people, operator, pending, shop_a):
    url = reverse("admin:shops_shop_changelist")
    data = {"action": "approve", "_selected_action": [pending.pk, shop_a.pk]}

    response = people["operator"].post(url, data, follow=True)

    pending.refresh_from_db()
    assert pending.status == "active" and pending.status_changed_by == operator
    text = response.text
    assert "1 shop approved." in text
    assert "Alice 演出服" in text  # the refused one (already active) is named
    assert ShopStatusChange.objects.count() == 1


def test_operator_suspends_and_reinstates(people, shop_a):
    url = reverse("admin:shops_shop_changelist")
    people["operator"].post(url, {"action": "suspend", "_selected_action": [shop_a.pk]})
    assert Shop.objects.get(pk=shop_a.pk).status == "suspended"
    people["operator"].post(url, {"action": "reinstate", "_selected_action": [shop_a.pk]})
    assert Shop.objects.get(pk=shop_a.pk).status == "active"


@pytest.mark.parametrize("who", ["anonymous", "buyer", "alice", "bob"])
def test_non_operators_cannot_use_the_back_office(people, pending, who):
    url = reverse("admin:shops_shop_changelist")

    assert people[who].get(url).status_code == 302  # to the admin sign-in
    people[who].post(url, {"action": "approve", "_selected_action": [pending.pk]})

    assert Shop.objects.get(pk=pending.pk).status == "pending"


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_operator_pages_render_search_and_filter_in_both_languages(people, shop_a, lang):
    client = people["operator"]
    client.cookies["django_language"] = lang
    for url in [
        reverse("admin:shops_shop_changelist") + "?q=丁楼",
        reverse("admin:shops_shop_changelist") + "?q=371721121227&status=active&province=37",
        reverse("admin:shops_shop_change", args=[shop_a.pk]),
        reverse("admin:shops_shopmember_changelist") + "?q=alice",
        reverse("admin:shops_shopinvitation_changelist"),
        reverse("admin:shops_household_changelist") + "?q=x",
        reverse("admin:shops_shopstatuschange_changelist"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Alice 演出服" in client.get(reverse("admin:shops_shop_changelist") + "?q=丁楼").text


def test_operator_edits_commission_in_the_list(people, shop_a):
    url = reverse("admin:shops_shop_changelist")
    data = {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": str(shop_a.pk),
        "form-0-commission_bp": "300", "_save": "Save",
    }  # fmt: skip

    people["operator"].post(url, data)

    assert Shop.objects.get(pk=shop_a.pk).commission_bp == 300
