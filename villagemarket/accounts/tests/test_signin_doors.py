"""Every door that checks a password or sends a reset email is limited, with one budget per account.

Doors: the site's sign-in, the back-office's sign-in, the old password on the change page, and
password-reset requests. A new password (changed, reset or set by an operator) revokes API tokens
unless the person chose otherwise on the tokens page.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from villagemarket.accounts import services
from villagemarket.accounts.models import ApiToken, User
from villagemarket.testing import PASSWORD, client_for

SIGNIN = reverse("accounts:signin")
ADMIN_LOGIN = "/admin/login/"
RESET = reverse("accounts:password_reset")
CHANGE = reverse("accounts:password_change")
NEW = "garlic harvest 2025 jinxiang"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.SIGNIN_MAX_FAILURES = 5
    settings.SIGNIN_MAX_FAILURES_PER_ADDRESS = 20
    settings.SIGNIN_WINDOW_SECONDS = 900
    settings.PASSWORD_RESET_MAX_PER_ACCOUNT = 3
    settings.PASSWORD_RESET_MAX_PER_ADDRESS = 10


def fresh_ip() -> str:
    n = uuid.uuid4().int
    return f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250}"


def admin_attempt(login, password, ip=None):
    client = Client(REMOTE_ADDR=ip or fresh_ip())
    response = client.post(
        ADMIN_LOGIN, {"username": login, "password": password, "next": "/admin/"}
    )
    return client, response


def site_attempt(login, password, ip=None):
    client = Client(REMOTE_ADDR=ip or fresh_ip())
    return client, client.post(SIGNIN, {"username": login, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- the back-office's sign-in -------------------------------------------------------------


@pytest.mark.django_db
def test_sixty_wrong_admin_passwords_then_the_right_one_is_refused(operator):
    # given 60 wrong guesses at the back-office's sign-in, each from its own address
    for i in range(60):
        admin_attempt("operator@example.com", f"guess {i}")
    # when the right password comes next
    client, response = admin_attempt("operator@example.com", PASSWORD)
    # then the operator is not signed in and the page says why
    assert not signed_in(client)
    assert response.status_code == 200
    assert "Too many failed sign-ins" in response.content.decode()


@pytest.mark.django_db
def test_admin_and_site_sign_in_share_one_budget(operator):
    for i in range(5):
        site_attempt("operator@example.com", f"guess {i}")
    client, response = admin_attempt("operator@example.com", PASSWORD)
    assert not signed_in(client)
    assert "Too many failed sign-ins" in response.content.decode()


@pytest.mark.django_db
def test_admin_sign_in_still_works_for_an_operator_and_not_for_a_buyer(operator, buyer):
    client, response = admin_attempt("operator@example.com", PASSWORD)
    assert response.status_code == 302 and signed_in(client)
    client, response = admin_attempt("buyer@example.com", PASSWORD)
    assert not signed_in(client)


@pytest.mark.django_db
def test_admin_sign_in_is_limited_per_address_across_accounts(operator):
    ip = "10.200.0.1"
    for i in range(20):
        admin_attempt(f"nobody{i}@example.com", "wrong", ip=ip)
    client, response = admin_attempt("operator@example.com", PASSWORD, ip=ip)
    assert not signed_in(client)
    # from another address the operator gets in
    client, _ = admin_attempt("operator@example.com", PASSWORD)
    assert signed_in(client)


# --- one budget per account -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_email_and_the_mobile_of_one_account_share_one_budget():
    User.objects.create_user(email="wang@example.com", mobile="13800138000", password=PASSWORD)
    for login in ["wang@example.com", "13800138000", "WANG@example.com", "+86 138 0013 8000"]:
        site_attempt(login, "wrong")
    site_attempt("13800138000", "wrong")  # the fifth failure, across both identifiers
    client, response = site_attempt("wang@example.com", PASSWORD)
    assert not signed_in(client)
    assert "Too many failed sign-ins" in response.content.decode()


@pytest.mark.django_db
def test_unknown_logins_are_counted_and_look_the_same_as_real_ones(alice):
    real, ghost = [], []
    for _ in range(6):
        real.append(site_attempt("alice@example.com", "wrong")[1])
        ghost.append(site_attempt("ghost@example.com", "wrong")[1])
    for r, g in zip(real, ghost, strict=True):
        assert r.status_code == g.status_code
        assert r.context["form"].errors == g.context["form"].errors
    assert "Too many failed sign-ins" in ghost[-1].content.decode()


# --- the old password on the change page --------------------------------------------------


@pytest.mark.django_db
def test_guessing_the_old_password_on_the_change_page_is_limited(alice):
    client = client_for(alice)
    for i in range(5):
        client.post(
            CHANGE, {"old_password": f"guess {i}", "new_password1": NEW, "new_password2": NEW}
        )
    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 429
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


# --- password reset requests ------------------------------------------------------------------


def reset(email, ip=None):
    return Client(REMOTE_ADDR=ip or fresh_ip()).post(RESET, {"email": email})


@pytest.mark.django_db
def test_reset_requests_are_throttled_per_account_without_revealing_it(alice):
    real = [reset("alice@example.com") for _ in range(4)]
    ghost = [reset("ghost@example.com") for _ in range(4)]
    # three emails to Alice, then the fourth request is refused; the same for a made-up address
    assert len(mail.outbox) == 3
    assert [r.status_code for r in real] == [302, 302, 302, 429]
    assert [r.status_code for r in ghost] == [302, 302, 302, 429]
    assert real[-1].context["form"].errors == ghost[-1].context["form"].errors
    assert "Too many password reset requests" in real[-1].content.decode()


@pytest.mark.django_db
def test_reset_requests_are_throttled_per_address(alice):
    ip = "10.201.0.1"
    for i in range(10):
        assert reset(f"someone{i}@example.com", ip=ip).status_code == 302
    assert reset("alice@example.com", ip=ip).status_code == 429
    assert mail.outbox == []


# --- API tokens follow the password ----------------------------------------------------------


def active_tokens(user) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()


@pytest.mark.django_db
def test_changing_the_password_revokes_api_tokens_by_default(alice):
    services.create_api_token(alice, name="stock script")
    services.create_api_token(alice, name="phone app")
    client = client_for(alice)
    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}, follow=True
    )
    assert active_tokens(alice) == 0
    assert "2 API tokens were revoked." in response.content.decode()


@pytest.mark.django_db
def test_a_revoked_token_is_refused_by_the_api_after_a_password_reset(alice):
    _, secret = services.create_api_token(alice, name="script")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/accounts/me").status_code == 200
    # when Alice resets her password by email
    client = Client()
    client.post(RESET, {"email": "alice@example.com"})
    link = re.search(r"http://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    client.post(form_page.request["PATH_INFO"], {"new_password1": NEW, "new_password2": NEW})
    # then the token no longer works
    assert api.get("/api/v1/accounts/me").status_code == 401


@pytest.mark.django_db
def test_a_person_may_choose_to_keep_tokens_on_the_tokens_page(alice):
    services.create_api_token(alice, name="stock script")
    client = client_for(alice)
    page = client.get(reverse("accounts:tokens")).content.decode()
    assert 'name="revoke_on_password_change" checked' in page  # the default is to revoke
    # when Alice unticks the box and changes her password
    client.post(reverse("accounts:token_policy"), {})
    client.post(CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    # then her token still works
    assert active_tokens(alice) == 1
    # and ticking it again restores the default
    client.post(reverse("accounts:token_policy"), {"revoke_on_password_change": "on"})
    alice.refresh_from_db()
    assert alice.revoke_tokens_on_password_change


@pytest.mark.django_db
def test_a_password_set_elsewhere_also_revokes_tokens(alice):
    # e.g. an operator in the back-office, or `changepassword`: every door saves the user
    services.create_api_token(alice, name="script")
    user = User.objects.get(pk=alice.pk)
    user.set_password(NEW)
    user.save()
    assert active_tokens(alice) == 0
    # saving other fields does not
    services.create_api_token(alice, name="script 2")
    user.display_name = "Alice W"
    user.save()
    assert active_tokens(alice) == 1


@pytest.mark.django_db
def test_the_back_office_password_change_is_the_limited_site_page(operator):
    response = client_for(operator).get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == CHANGE
