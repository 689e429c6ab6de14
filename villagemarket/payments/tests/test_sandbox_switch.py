"""With the sandbox off (production's default), no simulated payment can mark anything paid; a
production-mode staging site that turns it on says so on every page."""

from __future__ import annotations

import pytest
from django.test import Client

from villagemarket.payments.models import Payment, SandboxNotification
from villagemarket.payments.providers.checks import (
    check_payment_provider,
    check_sandbox_not_deployed,
)
from villagemarket.testing import client_for

from .conftest import body_for, post_notification

pytestmark = pytest.mark.django_db

BANNER = "payments here are simulated"


@pytest.fixture
def sandbox_off(settings):
    settings.PAYMENTS_SANDBOX_ENABLED = False
    settings.PAYMENT_DEFAULT_PROVIDER = ""


def test_a_signed_sandbox_notification_is_refused_when_the_sandbox_is_off(payment, sandbox_off):
    for url in ("/pay/notify/sandbox/", "/api/v1/payments/notify/sandbox"):
        response = post_notification(body_for(payment), url=url)

        assert response.status_code == 404, url
    assert Payment.objects.get(pk=payment.pk).status == "pending"


def test_the_sandbox_page_is_gone_when_the_sandbox_is_off(
    payment, buyer, sandbox_off, django_capture_on_commit_callbacks
):
    client = client_for(buyer)
    url = f"/pay/{payment.public_id}/"

    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(url, {"action": "pay", "delay": "0"})

    assert (client.get(url).status_code, posted.status_code) == (404, 404)
    assert not SandboxNotification.objects.exists()
    assert Payment.objects.get(pk=payment.pk).status == "pending"


def test_no_provider_is_a_system_check_error_that_says_what_to_do(sandbox_off):
    (error,) = check_payment_provider()

    assert error.id == "payments.E001" and error.is_serious()
    assert "PAYMENTS_SANDBOX_ENABLED=1 for a staging site" in error.hint
    assert "no real provider yet" in error.hint


def test_an_unknown_provider_is_named_in_the_error(settings):
    settings.PAYMENT_DEFAULT_PROVIDER = "alipay"

    (error,) = check_payment_provider()

    assert "'alipay'" in error.msg and "sandbox" in error.msg


def test_the_deploy_check_warns_while_the_sandbox_is_on(settings):
    assert check_payment_provider() == []
    assert [w.id for w in check_sandbox_not_deployed()] == ["payments.W001"]
    settings.PAYMENTS_SANDBOX_ENABLED = False
    assert check_sandbox_not_deployed() == []


@pytest.mark.parametrize(
    ("production", "sandbox", "banner"),
    [(True, True, True), (True, False, False), (False, True, False)],
)
def test_a_production_site_running_the_sandbox_says_so_on_every_page(
    settings, buyer, production, sandbox, banner
):
    settings.PRODUCTION, settings.PAYMENTS_SANDBOX_ENABLED = production, sandbox

    pages = [Client().get("/"), Client().get("/accounts/signin/"), client_for(buyer).get("/cart/")]

    for page in pages:
        assert page.status_code == 200
        assert (BANNER in page.text) is banner
