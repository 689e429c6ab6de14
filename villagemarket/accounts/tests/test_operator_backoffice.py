"""Operators (is_staff) can run the back-office of every marketplace app; buyers cannot."""

import pytest

ADMIN_PAGES = [
    "/admin/shops/shop/",
    "/admin/catalog/product/",
    "/admin/catalog/category/",
    "/admin/regions/region/",
    "/admin/orders/shoporder/",
    "/admin/payments/payment/",
    "/admin/observatory/ruleset/",
    "/admin/accounts/user/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_operator_sees_every_marketplace_admin_page(people, url):
    assert people["operator"].get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "buyer", "alice"])
@pytest.mark.parametrize("url", ADMIN_PAGES[:3])
def test_non_operators_are_sent_to_the_admin_sign_in(people, who, url):
    response = people[who].get(url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_operator_may_not_delete_but_may_change(operator):
    assert operator.has_perm("catalog.change_product")
    assert operator.has_perm("shops.view_shop")
    assert not operator.has_perm("catalog.delete_product")
    assert not operator.has_perm("auth.change_permission")


def test_plain_user_has_no_back_office_permissions(buyer):
    assert not buyer.has_perm("catalog.change_product")
    assert not buyer.has_module_perms("shops")
