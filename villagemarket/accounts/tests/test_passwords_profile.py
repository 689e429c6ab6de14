"""Password change and reset by email; the profile page."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from villagemarket.accounts.models import User
from villagemarket.testing import PASSWORD, client_for

NEW_PASSWORD = "garlic harvest 2025 jinxiang"


@pytest.mark.django_db
def test_password_change_keeps_the_person_signed_in_and_the_new_password_works(alice):
    client = client_for(alice)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200  # still signed in
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_password_change_with_a_wrong_old_password_changes_nothing(alice):
    response = client_for(alice).post(
        reverse("accounts:password_change"),
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "old_password" in response.context["form"].errors
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


@pytest.mark.django_db
def test_password_reset_by_email_end_to_end(alice):
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": "ALICE@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    site = re.escape(settings.SITE_URL)
    link = re.search(site + r"(/accounts/password/reset/\S+/)", message.body).group(1)
    # the link leads to a form (Django swaps the token into the session first)
    response = client.get(link, follow=True)
    assert response.context["validlink"]
    response = client.post(
        response.request["PATH_INFO"],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    # and the link works only once
    assert not client.get(link, follow=True).context["validlink"]


@pytest.mark.django_db
def test_password_reset_for_an_unknown_email_sends_nothing_and_looks_the_same(alice):
    response = Client().post(reverse("accounts:password_reset"), {"email": "ghost@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_mobile_only_people_are_told_to_ask_an_operator():
    page = Client().get(reverse("accounts:password_reset")).content.decode()
    assert "ask an operator" in page


@pytest.mark.django_db
def test_profile_shows_and_saves_name_email_and_mobile(alice, shop_a):
    client = client_for(alice)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "alice@example.com" in page and "Alice 演出服" in page
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "Alice Wang", "email": "alice@example.com", "mobile": "13700001111"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.display_name, alice.mobile) == ("Alice Wang", "13700001111")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"display_name": "A", "email": "", "mobile": ""}, "email"),
        ({"display_name": "A", "email": "bob@example.com", "mobile": ""}, "email"),
        ({"display_name": "A", "email": "alice@example.com", "mobile": "999"}, "mobile"),
        ({"display_name": "", "email": "alice@example.com", "mobile": ""}, "display_name"),
    ],
)
def test_bad_profile_input_names_the_field_and_changes_nothing(alice, bob, data, field):
    response = client_for(alice).post(reverse("accounts:profile"), data)
    assert field in response.context["form"].errors
    fresh = User.objects.get(pk=alice.pk)
    assert (fresh.email, fresh.mobile, fresh.display_name) == ("alice@example.com", None, "Alice")


@pytest.mark.django_db
def test_profile_and_password_pages_need_sign_in():
    for name in ["accounts:profile", "accounts:password_change"]:
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:signin"))
