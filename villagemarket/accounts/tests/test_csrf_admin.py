"""Every account form refuses a POST without a CSRF token; the back-office screens work."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from villagemarket.accounts import services
from villagemarket.accounts.models import ApiToken, User
from villagemarket.testing import PASSWORD

NEW = "garlic harvest 2025 jinxiang"


def csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
def test_sign_in_and_sign_up_refuse_a_missing_csrf_token(alice):
    client = csrf_client()
    response = client.post(
        reverse("accounts:signin"), {"username": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    data = {"display_name": "W", "email": "w@example.com", "password1": NEW, "password2": NEW}
    assert client.post(reverse("accounts:signup"), data).status_code == 403
    assert not User.objects.filter(email="w@example.com").exists()


@pytest.mark.django_db
def test_signed_in_forms_refuse_a_missing_csrf_token(alice):
    token, _ = services.create_api_token(alice, name="script")
    client = csrf_client(alice)
    posts = [
        (reverse("accounts:signout"), {}),
        (
            reverse("accounts:profile"),
            {"display_name": "X", "email": "x@example.com", "mobile": ""},
        ),
        (
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        ),
        (reverse("accounts:tokens"), {"name": "another"}),
        (reverse("accounts:revoke_token", args=[token.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    alice.refresh_from_db()
    token.refresh_from_db()
    assert client.session["_auth_user_id"] == str(alice.pk)  # not signed out
    assert alice.email == "alice@example.com" and alice.check_password(PASSWORD)
    assert ApiToken.objects.filter(user=alice).count() == 1 and token.revoked_at is None


@pytest.mark.django_db
def test_password_reset_forms_refuse_a_missing_csrf_token(alice):
    client = csrf_client()
    response = client.post(reverse("accounts:password_reset"), {"email": "alice@example.com"})
    assert response.status_code == 403
    assert mail.outbox == []


@pytest.mark.django_db
def test_forms_work_with_the_token_the_page_gives(alice):
    client = csrf_client()
    client.get(reverse("accounts:signin"))
    response = client.post(
        reverse("accounts:signin"),
        {
            "username": "alice@example.com",
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 302


# --- back-office ---------------------------------------------------------------------


@pytest.fixture
def admin_client_(db):
    root = User.objects.create_superuser(email="root@example.com", password=PASSWORD)
    client = Client()
    client.force_login(root)
    return client


@pytest.mark.django_db
def test_operator_creates_a_mobile_only_user_in_the_back_office(admin_client_):
    response = admin_client_.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "",
            "mobile": "13600001111",
            "display_name": "Li",
            "password1": NEW,
            "password2": NEW,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(mobile="13600001111")
    assert user.email is None and user.check_password(NEW)


@pytest.mark.django_db
def test_back_office_user_list_searches_and_filters(admin_client_, alice, bob):
    page = admin_client_.get(reverse("admin:accounts_user_changelist"), {"q": "alice"})
    assert page.status_code == 200
    assert "alice@example.com" in page.content.decode()
    assert "bob@example.com" not in page.content.decode()
    assert (
        admin_client_.get(
            reverse("admin:accounts_user_changelist"), {"is_staff__exact": "1"}
        ).status_code
        == 200
    )
    assert (
        admin_client_.get(reverse("admin:accounts_user_change", args=[alice.pk])).status_code == 200
    )
    # Django's UserAdmin names its password screen auth_user_password_change for any user model
    password_page = reverse("admin:auth_user_password_change", args=[alice.pk])
    assert admin_client_.get(password_page).status_code == 200


@pytest.mark.django_db
def test_operator_revokes_tokens_in_the_back_office_and_never_sees_the_secret(admin_client_, alice):
    token, secret = services.create_api_token(alice, name="leaked")
    page = admin_client_.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert secret not in page.content.decode() and token.token_hash not in page.content.decode()
    response = admin_client_.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert admin_client_.get(reverse("admin:accounts_apitoken_add")).status_code == 403


@pytest.mark.django_db
def test_back_office_is_readable_in_chinese(admin_client_, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    page = admin_client_.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "用户" in page
