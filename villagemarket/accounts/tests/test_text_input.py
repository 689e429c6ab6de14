"""Display names and token names: NUL, control characters and invisible-only text refused."""

import pytest
from django.urls import reverse

from villagemarket.accounts import services
from villagemarket.accounts.models import ApiToken, User
from villagemarket.core.errors import Invalid
from villagemarket.testing import PASSWORD, client_for

NEW = "garlic harvest 2025 jinxiang"


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u3000\u2800", "\u115f"])
def test_sign_up_refuses_an_invisible_display_name(db, client, name):
    data = {"display_name": name, "email": "w@example.com", "password1": NEW, "password2": NEW}
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors
    assert not User.objects.filter(email="w@example.com").exists()


@pytest.mark.parametrize("name", ["王\x00芳", "王\x1b芳"])
def test_sign_up_refuses_control_characters_in_the_display_name(db, client, name):
    # the core middleware answers 422 naming the field before the view; the service would too
    data = {"display_name": name, "email": "w@example.com", "password1": NEW, "password2": NEW}
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 422
    assert "display_name" in response.content.decode()
    assert not User.objects.filter(email="w@example.com").exists()
    with pytest.raises(Invalid) as caught:
        services.register_user(
            email="w@example.com", mobile=None, password=PASSWORD, display_name=name
        )
    assert "display_name" in caught.value.fields


def test_the_profile_keeps_the_old_name_when_the_new_one_is_invisible(alice):
    data = {"display_name": "\u200b", "email": "alice@example.com", "mobile": ""}
    response = client_for(alice).post(reverse("accounts:profile"), data)
    assert "display_name" in response.context["form"].errors
    alice.refresh_from_db()
    assert alice.display_name == "Alice"


@pytest.mark.parametrize("name", ["\u200b", "script\x00", " \u3000 "])
def test_a_token_needs_a_visible_name(alice, name):
    with pytest.raises(Invalid) as caught:
        services.create_api_token(alice, name=name)
    assert "name" in caught.value.fields
    assert not ApiToken.objects.exists()


def test_register_user_refuses_it_too(db):
    with pytest.raises(Invalid) as caught:
        services.register_user(
            email="x@example.com", mobile=None, password=PASSWORD, display_name="\u2800"
        )
    assert "display_name" in caught.value.fields
