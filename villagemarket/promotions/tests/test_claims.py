"""Claiming coupons: limits per buyer and in total, also under concurrent claims (PostgreSQL)."""

from __future__ import annotations

import pytest

from villagemarket.core.errors import Conflict, NotFound
from villagemarket.promotions import services
from villagemarket.promotions.models import ClaimStatus, Coupon, CouponClaim
from villagemarket.testing.personas import make_user
from villagemarket.testing.threads import run_together

from .conftest import shop_coupon, window

pytestmark = pytest.mark.django_db


def test_a_buyer_claims_up_to_the_per_buyer_limit(shop_a, alice, buyer):
    coupon = shop_coupon(shop_a, alice, per_buyer_limit=2)
    services.claim_coupon(buyer=buyer, coupon_id=coupon.pk)
    services.claim_coupon(buyer=buyer, coupon_id=coupon.pk)
    with pytest.raises(Conflict) as refused:
        services.claim_coupon(buyer=buyer, coupon_id=coupon.pk)
    assert refused.value.code == "claim_limit"
    coupon.refresh_from_db()
    assert coupon.claimed_count == 2 == CouponClaim.objects.count()


def test_the_last_coupon_goes_to_one_buyer(shop_a, alice, buyer, bob):
    coupon = shop_coupon(shop_a, alice, total_quantity=1)
    services.claim_coupon(buyer=buyer, coupon_id=coupon.pk)
    with pytest.raises(Conflict) as refused:
        services.claim_coupon(buyer=bob, coupon_id=coupon.pk)
    assert refused.value.code == "coupon_gone"
    assert CouponClaim.objects.filter(buyer=bob).count() == 0


def test_an_ended_coupon_cannot_be_claimed(shop_a, alice, buyer):
    coupon = shop_coupon(shop_a, alice)
    services.end_promotion(shop=shop_a, kind="coupons", promotion_id=coupon.pk)
    with pytest.raises(Conflict):
        services.claim_coupon(buyer=buyer, coupon_id=coupon.pk)
    with pytest.raises(NotFound):
        services.claim_coupon(buyer=buyer, coupon_id=coupon.pk + 1000)
    assert not CouponClaim.objects.exists()


def test_a_festival_coupon_can_be_claimed_before_it_starts_but_not_used(shop_a, alice, buyer):
    coupon = shop_coupon(shop_a, alice, **window(2, 5))
    claim = services.claim_coupon(buyer=buyer, coupon_id=coupon.pk)
    assert claim.status == ClaimStatus.AVAILABLE
    assert not services.selectors.usable_claims(buyer).exists()


def test_a_claim_is_used_once_and_comes_back_when_its_order_closes(coupon_a, buyer):
    claim = services.claim_coupon(buyer=buyer, coupon_id=coupon_a.pk)
    services.use_claim(buyer=buyer, claim_id=claim.pk, order_id=501)
    with pytest.raises(Conflict):
        services.use_claim(buyer=buyer, claim_id=claim.pk, order_id=502)
    assert not services.release_claim(claim_id=claim.pk, order_id=502)
    assert services.release_claim(claim_id=claim.pk, order_id=501)
    claim.refresh_from_db()
    assert (claim.status, claim.used_order_id) == (ClaimStatus.AVAILABLE, None)


def _claims(calls):
    results = run_together(*calls)
    won = [r for r in results if isinstance(r, CouponClaim)]
    lost = [r for r in results if not isinstance(r, CouponClaim)]
    assert all(isinstance(r, Conflict) for r in lost), lost
    return won


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(2))
def test_concurrent_claims_never_exceed_the_quantity(village, attempt):
    owner = make_user(f"owner{attempt}@example.com")
    from villagemarket.testing.personas import make_shop

    shop = make_shop(owner, village, name="店", slug=f"race-{attempt}")
    coupon = shop_coupon(shop, owner, total_quantity=5)
    buyers = [make_user(f"b{attempt}-{n}@example.com") for n in range(12)]
    won = _claims([lambda b=b: services.claim_coupon(buyer=b, coupon_id=coupon.pk) for b in buyers])
    coupon.refresh_from_db()
    assert len(won) == 5 == coupon.claimed_count == CouponClaim.objects.count()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(2))
def test_one_buyers_concurrent_claims_never_exceed_the_limit(village, attempt):
    owner = make_user(f"owner{attempt}@example.com")
    buyer = make_user(f"buyer{attempt}@example.com")
    from villagemarket.testing.personas import make_shop

    shop = make_shop(owner, village, name="店", slug=f"race-{attempt}")
    coupon = shop_coupon(shop, owner, per_buyer_limit=2, total_quantity=100)
    won = _claims([lambda: services.claim_coupon(buyer=buyer, coupon_id=coupon.pk)] * 8)
    coupon.refresh_from_db()
    # the refused claims' increments rolled back with them
    assert len(won) == 2 == coupon.claimed_count == CouponClaim.objects.count()


def test_the_database_refuses_more_claims_than_the_quantity(coupon_a):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Coupon.objects.filter(pk=coupon_a.pk).update(claimed_count=101)
