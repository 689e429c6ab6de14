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


def test_every_model_and_field_of_ours_has_a_translated_name():
    # A field without verbose_name shows its attribute name ("created at") in the back-office,
    # in English on a Chinese page, and no msgid exists for the catalogue check to miss.
    from django.apps import apps
    from django.utils.functional import Promise

    plain = []
    for model in apps.get_models():
        if not model.__module__.startswith("villagemarket."):
            continue
        opts = model._meta
        if not isinstance(opts.verbose_name, Promise):
            plain.append(f"{opts.label} (model)")
        for field in opts.get_fields():
            ours = getattr(field, "concrete", False) and not field.auto_created
            if ours and not isinstance(field.verbose_name, Promise):
                plain.append(f"{opts.label}.{field.name}")
    assert not plain, "give these verbose_name=_('...') (gettext_lazy):\n" + "\n".join(plain)
