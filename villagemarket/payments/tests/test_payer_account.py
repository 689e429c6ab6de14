"""The payer account each provider reports is kept on the payment (anti-brushing compares
orders by it): Alipay's buyer_id, WeChat Pay's openid, the sandbox's stable fake id per buyer."""

from __future__ import annotations

import pytest

from villagemarket.orders.tests.factories import checkout
from villagemarket.payments.models import Payment
from villagemarket.payments.providers import alipay, sandbox, wechatpay
from villagemarket.payments.services import receive_notification


def test_alipay_payer_is_the_buyer_id_then_the_open_id_then_the_logon_id():
    assert alipay.payer_account({"buyer_id": "2088102177846880", "buyer_logon_id": "a***@x"}) == (
        "alipay:2088102177846880"
    )
    assert alipay.payer_account({"buyer_open_id": "074a1CcT"}) == "alipay:074a1CcT"
    assert alipay.payer_account({"buyer_logon_id": "159****5620"}) == "alipay:159****5620"
    assert alipay.payer_account({}) == ""


def test_wechat_payer_is_the_openid():
    assert wechatpay._payer({"payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}) == (
        "wechatpay:oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
    )
    assert wechatpay._payer({"payer": "nonsense"}) == ""
    assert wechatpay._payer({}) == ""


@pytest.mark.django_db
def test_the_sandbox_reports_a_stable_payer_per_buyer_and_it_is_kept(buyer, bob, address, sku_a):
    assert sandbox.payer_account(buyer.pk) == sandbox.payer_account(buyer.pk)
    assert sandbox.payer_account(buyer.pk) != sandbox.payer_account(bob.pk)
    payment = checkout(buyer, address, (sku_a.pk, 1)).payment
    Payment.objects.filter(pk=payment.pk).update(provider=sandbox.NAME)
    payment.refresh_from_db()
    body = sandbox.notification_body(payment, trade_no=sandbox.new_trade_no(), outcome="succeeded")
    result = receive_notification(sandbox.NAME, sandbox.signed_headers(body), body)
    assert result.result == "processed"
    assert Payment.objects.get(pk=payment.pk).payer_account == sandbox.payer_account(buyer.pk)
