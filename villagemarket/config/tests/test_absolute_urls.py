"""Absolute URLs come from SITE_URL: a client-chosen Host (or only its port, which ALLOWED_HOSTS
ignores) never reaches a mail, a page's copyable link or a stored record."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from villagemarket.core.urls import absolute_reverse, absolute_url, site_domain
from villagemarket.shops.models import ShopInvitation
from villagemarket.testing import client_for

SITE = "https://market.example.cn"
# Each passes ALLOWED_HOSTS in development: the port is not checked.
CLIENT_HOSTS = ["testserver:6666", "localhost:1", "127.0.0.1:9"]


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    return SITE


def test_absolute_url_puts_a_path_on_the_site_address(site):
    assert absolute_url("/a/b/") == "https://market.example.cn/a/b/"
    assert absolute_reverse("accounts:signin") == SITE + reverse("accounts:signin")
    assert site_domain() == "market.example.cn"


@pytest.mark.parametrize("path", ["a/b", "//evil.example/x", "https://evil.example/"])
def test_absolute_url_refuses_anything_but_a_path(site, path):
    with pytest.raises(ValueError, match="path"):
        absolute_url(path)


@pytest.mark.django_db
@pytest.mark.parametrize("host", CLIENT_HOSTS)
def test_password_reset_mail_links_to_the_site_not_the_requested_host(site, alice, client, host):
    response = client.post(
        reverse("accounts:password_reset"), {"email": "alice@example.com"}, HTTP_HOST=host
    )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert SITE + "/accounts/password/reset/" in message.body
    links = links_in(message.body)
    assert links and all(link.startswith(SITE + "/") for link in links)


@pytest.mark.django_db
@pytest.mark.parametrize("host", CLIENT_HOSTS)
def test_invitation_mail_and_staff_page_link_to_the_site(
    site, alice, shop_a, host, django_capture_on_commit_callbacks
):
    owner = client_for(alice)
    owner.defaults["HTTP_HOST"] = host
    staff_page = reverse("seller:staff", args=[shop_a.slug])

    with django_capture_on_commit_callbacks(execute=True):
        owner.post(staff_page, {"action": "invite", "login": "carol@example.com"})
    page = owner.get(staff_page).text

    invitation = ShopInvitation.objects.get()
    link = SITE + reverse("seller:invitation", args=[invitation.token])
    (message,) = mail.outbox
    assert links_in(message.body) == [link]
    assert link in page and f"//{host}" not in page
