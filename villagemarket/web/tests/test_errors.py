"""Error pages a buyer may meet: in the site's design and language, never Django's yellow page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path
from django.utils import translation

from villagemarket.config import urls as project_urls
from villagemarket.testing import make_product


def _boom(request):
    raise RuntimeError("broken on purpose")


urlpatterns = [*project_urls.urlpatterns, path("boom/", _boom)]
handler500 = project_urls.handler500


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("url", ["/p/999999/", "/shops/no-such-shop/"])
def test_unknown_product_or_shop_shows_the_sites_404_even_in_debug(settings, url, debug):
    settings.DEBUG = debug

    response = Client().get(url)

    assert response.status_code == 404
    body = response.content.decode()
    assert "We could not find that page" in body
    assert 'class="top"' in body  # the site's header: same design as every page
    assert "Django" not in body and "technical" not in body.lower()


@pytest.mark.django_db
def test_404_speaks_the_viewers_language(settings):
    settings.DEBUG = False
    client = Client(headers={"accept-language": "zh-hans"})
    client.cookies["django_language"] = "zh-hans"

    body = client.get("/p/999999/").content.decode()

    with translation.override("zh-hans"):
        heading = translation.gettext("We could not find that page")
        cart = translation.gettext("Cart")
    assert f"<h1>{heading}</h1>" in body and cart in body
    assert 'lang="zh-hans"' in body


@pytest.mark.django_db
def test_a_crash_shows_the_sites_500_page(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert 'class="top"' in body
    assert "broken on purpose" not in body


@pytest.mark.django_db
def test_the_500_page_survives_a_broken_context_processor(settings, rf):
    from villagemarket.web import errors

    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [
                    *settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                    f"{__name__}.failing_processor",
                ],
            },
        }
    ]

    response = errors.server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def failing_processor(request):
    raise RuntimeError("database is down")


@pytest.mark.django_db
def test_a_forbidden_page_shows_the_sites_403(settings, buyer):
    from villagemarket.testing import client_for

    settings.DEBUG = False

    response = client_for(buyer).get("/operator/")

    assert response.status_code == 403
    assert "You are not allowed to see this page" in response.content.decode()


@pytest.mark.django_db
def test_every_page_links_the_favicon_and_it_is_served(shop_a):
    make_product(shop_a)
    body = Client().get("/").content.decode()
    assert 'rel="icon"' in body and "web/favicon.svg" in body

    redirect = Client().get("/favicon.ico")
    assert redirect.status_code == 302 and redirect["Location"].endswith("web/favicon.ico")


@pytest.mark.django_db
def test_api_docs_load_swagger_from_our_static_files_not_a_cdn():
    response = Client().get("/api/v1/docs")

    body = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower() and "https://" not in body
