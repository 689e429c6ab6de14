"""Back-office: operators moderate listings with a reason; sellers cannot use the admin."""

from __future__ import annotations

from villagemarket.catalog.models import Product

CHANGELIST = "/admin/catalog/product/"


def test_operator_delists_with_a_reason(people, operator, alice_product):
    operator.is_superuser = True
    operator.save()
    client = people["operator"]
    ask = client.post(
        CHANGELIST, {"action": "delist_with_reason", "_selected_action": [alice_product.pk]}
    )
    assert ask.status_code == 200 and "reason" in ask.content.decode()
    assert Product.objects.get(pk=alice_product.pk).status == "published"
    done = client.post(
        CHANGELIST,
        {
            "action": "delist_with_reason",
            "_selected_action": [alice_product.pk],
            "apply": "1",
            "reason": "假冒品牌",
        },
    )
    assert done.status_code == 302
    product = Product.objects.get(pk=alice_product.pk)
    assert product.status == "delisted" and product.moderation_reason == "假冒品牌"
    client.post(CHANGELIST, {"action": "publish_products", "_selected_action": [alice_product.pk]})
    assert Product.objects.get(pk=alice_product.pk).status == "published"


def test_admin_lists_and_searches_and_filters(people, operator, alice_product):
    operator.is_superuser = True
    operator.save()
    client = people["operator"]
    for url in (
        CHANGELIST,
        CHANGELIST + "?q=演出",
        CHANGELIST + "?province=37&status=published",
        "/admin/catalog/sku/?q=演出",
        "/admin/catalog/category/",
        f"/admin/catalog/product/{alice_product.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "丁楼演出服" in client.get(CHANGELIST + "?q=演出").content.decode()


def test_sellers_cannot_use_the_back_office(people, alice_product):
    response = people["alice"].post(
        CHANGELIST,
        {
            "action": "delist_with_reason",
            "_selected_action": [alice_product.pk],
            "apply": "1",
            "reason": "x",
        },
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Product.objects.get(pk=alice_product.pk).status == "published"
