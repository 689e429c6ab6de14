"""Each order rule on both sides of its threshold: just below (or, for the speed rules, at the
threshold) no flag; at it (under it) a flag that names the figures. docs/antifraud.md lists
rule -> test."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from villagemarket.accounts.models import User
from villagemarket.antifraud import rules
from villagemarket.orders import services

from .helpers import address_for, age, flags, new_buyer, only, order, pay, ship, tune

pytestmark = pytest.mark.django_db

DEVICE = "d3v1ce-0123456789abcdef"


# --- (1) many orders from one delivery address to one shop ---------------------------------
def test_address_rule_two_orders_below_threshold_no_flag(seasoned, address, sku_a):
    only(rules.ADDRESS)
    order(seasoned, address, sku_a)
    order(seasoned, address, sku_a)
    assert not flags(rules.ADDRESS).exists()


def test_address_rule_three_orders_at_threshold_flags_all_three(seasoned, address, sku_a):
    only(rules.ADDRESS)
    # given: the same address written three ways (spaces, full-width digits, punctuation)
    other = new_buyer("other@example.com")
    first = order(seasoned, address, sku_a)
    second = order(other, address_for(other, "丁楼村3组12号"), sku_a)
    third = order(other, address_for(other, "丁楼村 ３组，12号"), sku_a)
    # then: all three are flagged, each explaining the figures
    flagged = flags(rules.ADDRESS)
    assert set(flagged.values_list("order_id", flat=True)) == {first.pk, second.pk, third.pk}
    assert flagged.get(order=third).explanation == ("3 orders from 1 address in 24 h, threshold 3")


def test_address_rule_counts_only_the_window(seasoned, address, sku_a):
    only(rules.ADDRESS)
    old = order(seasoned, address, sku_a)
    age(old, 24 * 60 + 5)  # before the 24 h window
    order(seasoned, address, sku_a)
    order(seasoned, address, sku_a)
    assert not flags(rules.ADDRESS).exists()


def test_address_rule_counts_per_shop(seasoned, address, sku_a, sku_b):
    only(rules.ADDRESS)
    order(seasoned, address, sku_a)
    order(seasoned, address, sku_a)
    order(seasoned, address, sku_b)  # another shop
    assert not flags(rules.ADDRESS).exists()


# --- (2) many orders from one device ----------------------------------------------------------
def test_device_rule_two_orders_below_threshold_no_flag(seasoned, address, sku_a):
    only(rules.DEVICE)
    other = new_buyer("other@example.com")
    order(seasoned, address, sku_a, device_id=DEVICE)
    order(other, address_for(other, "胡楼村 1 号"), sku_a, device_id=DEVICE)
    order(other, address_for(other, "胡楼村 2 号"), sku_a, device_id="another-device-0000001")
    assert not flags(rules.DEVICE).exists()


def test_device_rule_three_orders_at_threshold_flag(seasoned, address, sku_a):
    only(rules.DEVICE)
    other = new_buyer("other@example.com")
    order(seasoned, address, sku_a, device_id=DEVICE)
    order(other, address_for(other, "胡楼村 1 号"), sku_a, device_id=DEVICE)
    third = order(other, address_for(other, "胡楼村 2 号"), sku_a, device_id=DEVICE)
    assert flags(rules.DEVICE).count() == 3
    assert flags(rules.DEVICE).get(order=third).explanation == (
        "3 orders from 1 device in 24 h, threshold 3"
    )


def test_device_rule_ignores_malformed_device_ids(seasoned, address, sku_a):
    only(rules.DEVICE)
    for _ in range(3):
        placed = order(seasoned, address, sku_a, device_id="short")
    assert placed.device_id == ""
    assert not flags(rules.DEVICE).exists()


# --- (3) many orders from one payment account -------------------------------------------------
def test_payer_rule_two_orders_below_threshold_no_flag(seasoned, address, sku_a):
    only(rules.PAYER)
    other = new_buyer("other@example.com")
    pay(order(seasoned, address, sku_a), payer="alipay:2088000000000001")
    pay(order(other, address_for(other, "胡楼村 1 号"), sku_a), payer="alipay:2088000000000001")
    pay(order(other, address_for(other, "胡楼村 2 号"), sku_a), payer="alipay:2088000000000002")
    assert not flags(rules.PAYER).exists()


def test_payer_rule_three_orders_at_threshold_flag(seasoned, address, sku_a):
    only(rules.PAYER)
    other = new_buyer("other@example.com")
    third = None
    for n, buyer in enumerate([seasoned, other, other]):
        placed = order(buyer, address_for(buyer, f"胡楼村 {n} 号"), sku_a)
        pay(placed, payer="wechatpay:o-openid-1")
        third = placed
    assert flags(rules.PAYER).count() == 3
    assert third.payment.__class__.objects.get(pk=third.payment_id).payer_account == (
        "wechatpay:o-openid-1"
    )
    assert flags(rules.PAYER).get(order=third).explanation == (
        "3 orders paid by 1 payment account in 24 h, threshold 3"
    )


# --- (4) buyer account created just before buying ---------------------------------------------
def _joined(user, minutes_ago: float) -> None:
    User.objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )


def test_new_account_rule_at_threshold_minutes_no_flag(buyer, address, sku_a):
    only(rules.NEW_ACCOUNT)
    _joined(buyer, 10)  # the default threshold: 10 minutes
    order(buyer, address, sku_a)
    assert not flags(rules.NEW_ACCOUNT).exists()


def test_new_account_rule_under_threshold_minutes_flag(buyer, address, sku_a):
    only(rules.NEW_ACCOUNT)
    _joined(buyer, 9)
    placed = order(buyer, address, sku_a)
    assert flags(rules.NEW_ACCOUNT).get(order=placed).explanation == (
        "Account created 9 min before ordering, threshold 10 min"
    )


# --- (5) receipt confirmed abnormally fast after shipment -------------------------------------
def test_fast_confirm_rule_at_threshold_minutes_no_flag(seasoned, address, sku_a):
    only(rules.FAST_CONFIRM)
    placed = order(seasoned, address, sku_a)
    pay(placed)
    ship(placed, minutes_ago=60)  # the default threshold: 60 minutes
    services.confirm_receipt(buyer=seasoned, order_id=placed.pk)
    assert not flags(rules.FAST_CONFIRM).exists()


def test_fast_confirm_rule_under_threshold_minutes_flag(seasoned, address, sku_a):
    only(rules.FAST_CONFIRM)
    placed = order(seasoned, address, sku_a)
    pay(placed)
    ship(placed, minutes_ago=59)
    services.confirm_receipt(buyer=seasoned, order_id=placed.pk)
    assert flags(rules.FAST_CONFIRM).get(order=placed).explanation == (
        "Receipt confirmed 59 min after shipment, threshold 60 min"
    )


# --- (6) tracking numbers reused across orders -----------------------------------------------
def test_tracking_rule_one_parcel_below_threshold_no_flag(seasoned, address, sku_a):
    only(rules.TRACKING)
    # two orders of one shop to one address under one number: one merged parcel, honest
    first, second = order(seasoned, address, sku_a), order(seasoned, address, sku_a)
    for placed in (first, second):
        pay(placed)
        ship(placed, tracking_no="SF1234567890")
    assert not flags(rules.TRACKING).exists()


def test_tracking_rule_two_parcels_at_threshold_flag(seasoned, address, sku_a, sku_b):
    only(rules.TRACKING)
    other = new_buyer("other@example.com")
    first = order(seasoned, address, sku_a)
    second = order(other, address_for(other, "胡楼村 9 号"), sku_b)
    for placed in (first, second):
        pay(placed)
    ship(first, tracking_no="SF1234567890")
    ship(second, tracking_no="sf1234567890")  # case does not make it another parcel
    assert set(flags(rules.TRACKING).values_list("order_id", flat=True)) == {first.pk, second.pk}
    assert flags(rules.TRACKING).get(order=second).explanation == (
        "Tracking number sf1234567890 on 2 orders in 90 days, threshold 2"
    )


# --- tuning: the operator's figures are the ones used ----------------------------------------
def test_a_tuned_threshold_is_used_for_new_orders(seasoned, address, sku_a):
    only(rules.ADDRESS)
    tune(rules.ADDRESS, threshold=2, window_minutes=60)
    order(seasoned, address, sku_a)
    order(seasoned, address, sku_a)
    assert flags(rules.ADDRESS).first().explanation == (
        "2 orders from 1 address in 1 h, threshold 2"
    )


def test_a_disabled_rule_flags_nothing(seasoned, address, sku_a):
    only(rules.ADDRESS)
    tune(rules.ADDRESS, enabled=False)
    for _ in range(4):
        order(seasoned, address, sku_a)
    assert not flags(rules.ADDRESS).exists()
