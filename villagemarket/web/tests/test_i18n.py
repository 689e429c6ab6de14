"""Both languages ship: Simplified Chinese by default, English on request or by the switch."""

import pytest
from django.utils import translation

from villagemarket.config import settings as project_settings
from villagemarket.testing import make_product


def test_chinese_is_the_sites_default_language():
    assert project_settings.LANGUAGE_CODE == "zh-hans"


def test_chinese_translations_are_compiled_and_loaded():
    with translation.override("zh-hans"):
        assert translation.gettext("Cart") != "Cart"
        assert translation.gettext("Seller center") != "Seller center"


@pytest.mark.django_db
def test_a_chinese_browser_gets_chinese_pages_and_the_switch_gives_english(
    client, shop_a, settings
):
    settings.LANGUAGE_CODE = "zh-hans"
    product = make_product(shop_a, title="丁楼演出服")
    # given a buyer whose browser asks for Chinese
    page = client.get(f"/p/{product.pk}/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    with translation.override("zh-hans"):
        cart_word = translation.gettext("Cart")
    assert cart_word in page.content.decode()
    assert 'lang="zh-hans"' in page.content.decode()
    # when they press "English"
    response = client.post("/i18n/setlang/", {"language": "en", "next": f"/p/{product.pk}/"})
    assert response.status_code == 302
    page = client.get(f"/p/{product.pk}/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    # then the page is English, with the product's English title
    html = page.content.decode()
    assert 'lang="en"' in html and ">Cart<" in html and "Stage costume" in html
