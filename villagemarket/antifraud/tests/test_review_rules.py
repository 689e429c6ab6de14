"""Review rules (7) near-identical texts and (8) links to the shop's staff, on both sides of
their thresholds. They run through checks.check_review, which the reviews app's hook
(on_review_posted) feeds; the text comparison is also tested without a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from villagemarket.antifraud import checks, rules
from villagemarket.shops.models import ShopMember

from .helpers import address_for, flags, new_buyer, order, pay, tune

FAKE = "衣服质量非常好，做工精细，穿着很舒服，物流也很快，下次还来买！"
FAKE_COPY = "衣服质量非常好!做工精细 穿着很舒服，物流也很快，下次还来买"
OTHER = "尺码偏小一点，建议买大一号。颜色和图片一样，孩子演出穿刚好。"


@pytest.fixture(autouse=True)
def hidden(monkeypatch):
    """What would be hidden through reviews.services.set_flagged (these reviews are made up)."""
    calls: list[tuple[int, bool]] = []
    monkeypatch.setattr(
        checks,
        "_set_review_flagged",
        lambda review_id, flagged, reason="": calls.append((review_id, flagged)),
    )
    return calls


# --- pure parts -----------------------------------------------------------------------------
def test_copies_differing_in_punctuation_are_identical():
    assert rules.similarity_percent(rules.shingles(FAKE), rules.shingles(FAKE_COPY)) == 100


def test_different_reviews_are_not_alike():
    assert rules.similarity_percent(rules.shingles(FAKE), rules.shingles(OTHER)) < 20


def test_short_texts_are_never_compared():
    assert rules.shingles("很好很好") == frozenset()
    assert rules.most_similar("好评！", [(1, "好评！")]) == (None, 0)


@given(st.text(min_size=0, max_size=80), st.text(min_size=0, max_size=80))
def test_similarity_is_a_symmetric_percentage(a, b):
    sa, sb = rules.shingles(a), rules.shingles(b)
    score = rules.similarity_percent(sa, sb)
    assert 0 <= score <= 100
    assert score == rules.similarity_percent(sb, sa)
    if sa:
        assert rules.similarity_percent(sa, sa) == 100


# --- (7) near-identical review texts --------------------------------------------------------
def _alike(a: str, b: str) -> int:
    return rules.similarity_percent(rules.shingles(a), rules.shingles(b))


EDITED = "衣服质量非常好，做工精细，穿着很舒服，快递也很快，下次还来买！"


@pytest.mark.django_db
def test_similar_reviews_rule_just_below_threshold_no_flag(shop_a, buyer):
    percent = _alike(EDITED, FAKE)
    assert 50 < percent < 100
    tune(rules.SIMILAR_REVIEWS, threshold=percent + 1)
    fired = checks.check_review(
        review_id=2,
        shop_id=shop_a.pk,
        order_id=None,
        author_id=buyer.pk,
        text=EDITED,
        recent=[(1, FAKE)],
    )
    assert fired == []
    assert not flags(rules.SIMILAR_REVIEWS).exists()


@pytest.mark.django_db
def test_similar_reviews_rule_at_threshold_flags_both(shop_a, buyer, hidden):
    percent = _alike(EDITED, FAKE)
    tune(rules.SIMILAR_REVIEWS, threshold=percent)
    fired = checks.check_review(
        review_id=2,
        shop_id=shop_a.pk,
        order_id=None,
        author_id=buyer.pk,
        text=EDITED,
        recent=[(1, FAKE), (3, OTHER)],
    )
    assert rules.SIMILAR_REVIEWS in fired
    assert set(flags(rules.SIMILAR_REVIEWS).values_list("review_id", flat=True)) == {1, 2}
    assert flags(rules.SIMILAR_REVIEWS, review_id=2).get().explanation == (
        f"Text {percent}% alike review #1 of this shop, threshold {percent}%"
    )
    assert sorted(hidden) == [(1, True), (2, True)]  # hidden through reviews.services.set_flagged


# --- (8) reviews from accounts linked to the shop's staff ----------------------------------
@pytest.mark.django_db
def test_staff_review_rule_plain_buyer_no_flag(shop_a, seasoned, address, sku_a):
    placed = order(seasoned, address, sku_a)
    fired = checks.check_review(
        review_id=7,
        shop_id=shop_a.pk,
        order_id=placed.pk,
        author_id=seasoned.pk,
        text=OTHER,
        recent=[],
    )
    assert fired == []


@pytest.mark.django_db
def test_staff_review_rule_shop_member_flag(shop_a, alice, sku_a):
    address = address_for(alice)
    placed = order(alice, address, sku_a)
    fired = checks.check_review(
        review_id=8,
        shop_id=shop_a.pk,
        order_id=placed.pk,
        author_id=alice.pk,
        text=OTHER,
        recent=[],
    )
    assert fired == [rules.STAFF_REVIEW]
    assert flags(rules.STAFF_REVIEW, review_id=8).get().explanation == (
        "Reviewer linked to the shop's staff (is a member of the shop), threshold 1"
    )


@pytest.mark.django_db
def test_staff_review_rule_same_device_or_payer_as_staff_flag(shop_a, alice, sku_a, sku_b):
    # given: alice (shop A's owner) once ordered from device D and paid with account P
    pay(
        order(alice, address_for(alice), sku_b, device_id="staff-phone-00000001"), payer="alipay:P1"
    )
    # when: a "buyer" account reviews shop A from an order placed on D and paid with P
    sock = new_buyer("sock@example.com")
    placed = order(sock, address_for(sock, "胡楼村 7 号"), sku_a, device_id="staff-phone-00000001")
    pay(placed, payer="alipay:P1")
    links = checks.staff_links(shop_id=shop_a.pk, author_id=sock.pk, order_id=placed.pk)
    assert links == ["device", "payer"]
    # then: threshold 3 (just above the 2 links) no flag; threshold 2 flags
    tune(rules.STAFF_REVIEW, threshold=3)
    assert (
        checks.check_review(
            review_id=9,
            shop_id=shop_a.pk,
            order_id=placed.pk,
            author_id=sock.pk,
            text="",
            recent=[],
        )
        == []
    )
    tune(rules.STAFF_REVIEW, threshold=2)
    assert checks.check_review(
        review_id=9, shop_id=shop_a.pk, order_id=placed.pk, author_id=sock.pk, text="", recent=[]
    ) == [rules.STAFF_REVIEW]


@pytest.mark.django_db
def test_staff_of_another_shop_is_no_link(shop_a, shop_b, bob, sku_a):
    assert ShopMember.objects.filter(user=bob, shop=shop_a).count() == 0
    placed = order(bob, address_for(bob), sku_a)
    assert checks.staff_links(shop_id=shop_a.pk, author_id=bob.pk, order_id=placed.pk) == []


@pytest.mark.django_db
def test_flagged_reviews_wait_in_the_queue_with_their_figures(people, shop_a, alice, sku_a):
    placed = order(alice, address_for(alice), sku_a)
    checks.check_review(
        review_id=8, shop_id=shop_a.pk, order_id=placed.pk, author_id=alice.pk, text="", recent=[]
    )
    page = people["operator"].get("/operator/brushing/").content.decode()
    assert 'data-subject="review:8"' in page
    assert "Reviewer linked to the shop&#x27;s staff (is a member of the shop), threshold 1" in page
