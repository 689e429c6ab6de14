"""A real provider that is partly configured, or whose keys cannot be read, is a system check
error at start-up instead of a failure at the first buyer's payment."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from villagemarket.payments.providers.config_checks import check_real_providers

from .provider_fakes import configure_alipay, configure_wechatpay, new_rsa_key


@pytest.fixture(scope="module")
def keys():
    return SimpleNamespace(one=new_rsa_key(), two=new_rsa_key())


@pytest.fixture
def both(keys, settings, tmp_path):
    configure_alipay(settings, tmp_path, alipay_key=keys.one, merchant_key=keys.two)
    configure_wechatpay(settings, tmp_path, platform_key=keys.one, merchant_key=keys.two)


def messages() -> list[str]:
    return [error.msg for error in check_real_providers()]


def test_providers_with_every_setting_and_readable_keys_pass(both):
    assert check_real_providers() == []


def test_providers_with_no_settings_at_all_are_simply_absent(settings, monkeypatch):
    for name in ("ALIPAY_APP_ID", "WECHATPAY_APPID"):
        monkeypatch.delenv(name, raising=False)
    assert check_real_providers() == []


def test_a_partly_configured_provider_names_what_is_missing(both, settings):
    settings.ALIPAY_SELLER_ID = ""

    (message,) = messages()

    assert "Alipay is partly configured" in message and "ALIPAY_SELLER_ID" in message
    assert check_real_providers()[0].id == "payments.E002"


def test_a_key_file_that_is_not_a_key_is_reported(both, settings, tmp_path):
    junk = tmp_path / "junk.pem"
    junk.write_text("not a key")
    settings.ALIPAY_PRIVATE_KEY_PATH = str(junk)
    settings.WECHATPAY_PLATFORM_CERT_PATH = str(tmp_path / "missing.pem")

    problems = messages()

    assert len(problems) == 2
    assert problems[0].startswith("Alipay: cannot read an RSA private key")
    assert problems[1].startswith("WeChat Pay: cannot read")


def test_an_apiv3_key_of_the_wrong_length_is_reported(both, settings):
    settings.WECHATPAY_APIV3_KEY = "short"

    assert messages() == ["WeChat Pay: WECHATPAY_APIV3_KEY must be the 32-character APIv3 key."]


# --- the sandbox's refunds ---------------------------------------------------------------------
def sandbox_refund(amount):
    from villagemarket.core.money import Money
    from villagemarket.payments.providers import get_provider

    payment = SimpleNamespace(amount_minor=10000, currency="CNY")
    return get_provider("sandbox").refund(
        payment, amount=Money(*amount), refund_no="RF-1", reason="too small"
    )


@pytest.mark.parametrize("amount", [(1,), (4000,), (10000,)])
def test_the_sandbox_refunds_any_amount_up_to_the_payment_at_once(amount):
    result = sandbox_refund(amount)

    assert (result.status, result.amount_minor, result.refund_no) == (
        "succeeded",
        amount[0],
        "RF-1",
    )
    assert result.provider_refund_id.startswith("SBXR")


@pytest.mark.parametrize("amount", [(0,), (-1,), (10001,), (100, "USD")])
def test_the_sandbox_refuses_a_refund_it_could_not_make(amount):
    result = sandbox_refund(amount)

    assert result.status == "failed" and result.provider_refund_id == ""


# --- production with a real provider ------------------------------------------------------------
@pytest.fixture
def production_payments(settings):
    settings.PAYMENTS_SANDBOX_ENABLED = False
    settings.PAYMENT_DEFAULT_PROVIDER = ""


def test_production_with_alipay_configured_takes_payments_with_it(
    keys, settings, tmp_path, production_payments
):
    from villagemarket.payments.providers import default_provider_name
    from villagemarket.payments.providers.checks import payment_configuration_problem

    assert payment_configuration_problem() is not None  # nothing usable yet

    configure_alipay(settings, tmp_path, alipay_key=keys.one, merchant_key=keys.two)

    assert payment_configuration_problem() is None
    assert default_provider_name() == "alipay"


def test_a_default_provider_that_is_not_configured_is_named_in_the_error(
    settings, production_payments
):
    from villagemarket.payments.providers.checks import payment_configuration_problem

    settings.PAYMENT_DEFAULT_PROVIDER = "wechatpay"

    assert "'wechatpay' is not a registered provider" in payment_configuration_problem()
