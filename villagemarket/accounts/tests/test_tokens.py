"""API tokens: created by their owner with the secret shown once, revoked only by their owner."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from villagemarket.accounts import services
from villagemarket.accounts.models import ApiToken
from villagemarket.testing import client_for

TOKENS = reverse("accounts:tokens")
ME = "/api/v1/accounts/me"


def revoke_url(token):
    return reverse("accounts:revoke_token", args=[token.pk])


@pytest.mark.django_db
def test_owner_creates_a_token_and_sees_the_secret_exactly_once(alice):
    client = client_for(alice)
    response = client.post(TOKENS, {"name": "stock script"}, follow=True)
    token = ApiToken.objects.get(user=alice)
    secret = response.context["new_secret"]["secret"]
    assert secret in response.content.decode()
    assert ApiToken.hash_secret(secret) == token.token_hash
    assert token.prefix == secret[:12]
    assert response["Cache-Control"] == "no-store"
    # shown once: the next view lists the token by prefix but never the secret
    again = client.get(TOKENS).content.decode()
    assert token.prefix in again
    assert secret not in again


@pytest.mark.django_db
def test_a_token_without_a_name_is_refused_and_nothing_is_created(alice):
    response = client_for(alice).post(TOKENS, {"name": "  "})
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_token_authenticates_me_until_it_is_revoked(alice, shop_a):
    token, secret = services.create_api_token(alice, name="script")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    body = api.get(ME).json()
    assert body["email"] == "alice@example.com"
    assert body["shops"] == [
        {
            "shop_id": shop_a.pk,
            "slug": "alice-costumes",
            "name": "Alice 演出服",
            "role": "owner",
            "status": "active",
        }
    ]
    token.refresh_from_db()
    assert token.last_used_at is not None
    # when alice revokes it on the page
    response = client_for(alice).post(revoke_url(token))
    assert response.status_code == 302
    # then it no longer authenticates
    refused = api.get(ME)
    assert refused.status_code == 401
    assert refused.json()["code"] == "unauthenticated"


@pytest.mark.django_db
def test_me_works_with_the_browser_session_and_refuses_anonymous(buyer):
    assert client_for(buyer).get(ME).json()["shops"] == []
    assert Client().get(ME).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 302), ("bob", 404), ("buyer", 404), ("operator", 404), ("anonymous", 302)],
)
def test_only_the_owner_can_revoke_a_token(people, alice, persona, status):
    # given alice's active token
    token, secret = services.create_api_token(alice, name="script")
    # when someone posts to its revoke URL
    response = people[persona].post(revoke_url(token))
    # then only alice's request revokes it; anyone else changes nothing
    assert response.status_code == status
    token.refresh_from_db()
    if persona == "alice":
        assert token.revoked_at is not None
    else:
        assert token.revoked_at is None
        assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(ME).status_code == 200
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("accounts:signin"))


@pytest.mark.django_db
def test_bob_never_sees_alices_tokens(alice, bob):
    token, _ = services.create_api_token(alice, name="alice secret script")
    page = client_for(bob).get(TOKENS).content.decode()
    assert "alice secret script" not in page
    assert token.prefix not in page


@pytest.mark.django_db
def test_revoke_needs_post(alice):
    token, _ = services.create_api_token(alice, name="script")
    assert client_for(alice).get(revoke_url(token)).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_the_tokens_page_needs_a_signed_in_person():
    response = Client().get(TOKENS)
    assert response.status_code == 302
    assert Client().post(TOKENS, {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()
