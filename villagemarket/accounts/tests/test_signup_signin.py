"""Sign up, sign in, sign out: with email and with mobile, bad input named, duplicates refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from villagemarket.accounts.models import User
from villagemarket.testing import PASSWORD

SIGNUP = reverse("accounts:signup")
SIGNIN = reverse("accounts:signin")
SIGNOUT = reverse("accounts:signout")
GOOD_PASSWORD = "peony tea 2024 dinglou"


def signup_data(**overrides):
    data = {
        "display_name": "丁楼 Wang",
        "email": "",
        "mobile": "",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_villager_signs_up_with_a_mobile_number_and_is_signed_in():
    client = Client()
    response = client.post(SIGNUP, signup_data(mobile="+86 138-0013-8000"))
    assert response.status_code == 302
    user = User.objects.get(mobile="13800138000")
    assert user.email is None
    assert user.display_name == "丁楼 Wang"
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_a_buyer_signs_up_with_an_email_stored_lower_case():
    client = Client()
    response = client.post(SIGNUP, signup_data(email="Wang@Example.COM"))
    assert response.status_code == 302
    assert User.objects.filter(email="wang@example.com").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({}, "email", "Give an email address or a mobile number"),
        ({"mobile": "12345"}, "mobile", "11-digit mainland mobile number"),
        ({"mobile": "23800138000"}, "mobile", "11-digit mainland mobile number"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"email": "x@example.com", "password2": "something else 99"}, "password2", "didn"),
        ({"email": "x@example.com", "password1": "123", "password2": "123"}, "password2", "short"),
        ({"email": "x@example.com", "display_name": ""}, "display_name", "required"),
    ],
)
def test_bad_sign_up_input_names_the_field_and_creates_nobody(overrides, field, reason):
    response = Client().post(SIGNUP, signup_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert reason in " ".join(errors[field])
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_duplicate_email_in_another_case_is_refused_with_a_clear_message(alice):
    response = Client().post(SIGNUP, signup_data(email="ALICE@example.com"))
    assert "already exists" in " ".join(response.context["form"].errors["email"])
    assert User.objects.filter(email__iexact="alice@example.com").count() == 1


@pytest.mark.django_db
def test_duplicate_mobile_is_refused_with_a_clear_message():
    User.objects.create_user(mobile="13800138000", password=PASSWORD)
    response = Client().post(SIGNUP, signup_data(mobile="138 0013 8000"))
    assert "already exists" in " ".join(response.context["form"].errors["mobile"])
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_sign_in_with_email_in_any_case(alice):
    client = Client()
    response = client.post(SIGNIN, {"username": " Alice@Example.com ", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


@pytest.mark.django_db
def test_sign_in_with_mobile_number():
    user = User.objects.create_user(mobile="13912345678", password=PASSWORD)
    client = Client()
    response = client.post(SIGNIN, {"username": "139 1234 5678", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_wrong_password_is_refused_without_saying_which_part_was_wrong(alice):
    client = Client()
    response = client.post(SIGNIN, {"username": "alice@example.com", "password": "wrong"})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_inactive_account_cannot_sign_in(alice):
    User.objects.filter(pk=alice.pk).update(is_active=False)
    client = Client()
    client.post(SIGNIN, {"username": "alice@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/seller/", "/seller/"),
        ("/cart/?x=1", "/cart/?x=1"),
        ("https://evil.example.com/", "/"),
        ("//evil.example.com/", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_is_honoured_only_for_same_host_urls(alice, next_url, expected):
    response = Client().post(
        SIGNIN, {"username": "alice@example.com", "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.django_db
def test_session_key_changes_at_sign_in(alice):
    # given an anonymous visitor with a session (e.g. a cart)
    client = Client()
    session = client.session
    session["cart_hint"] = "kept"
    session.save()
    before = session.session_key
    # when they sign in
    client.post(SIGNIN, {"username": "alice@example.com", "password": PASSWORD})
    # then the session has a new key (no fixation) and keeps its data
    after = client.cookies["sessionid"].value
    assert after != before
    assert client.session["cart_hint"] == "kept"
    from django.contrib.sessions.backends.db import SessionStore

    assert not SessionStore().exists(before)


@pytest.mark.django_db
def test_sign_out_requires_post(alice):
    client = Client()
    client.force_login(alice)
    assert client.get(SIGNOUT).status_code == 405
    assert client.session.get("_auth_user_id") == str(alice.pk)
    response = client.post(SIGNOUT)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_in_and_sign_up_pages_render_for_anonymous():
    client = Client()
    assert (
        "Email or mobile number" in client.get(SIGNIN, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert client.get(SIGNUP).status_code == 200
