"""Freight templates: seller pages and API, validation, permission tables."""

from __future__ import annotations

import pytest
from django.test import Client

from villagemarket.regions.models import Region
from villagemarket.shipping import services
from villagemarket.shipping.models import FreightRule, FreightTemplate

pytestmark = pytest.mark.django_db
API = "/api/v1/shipping/shops/alice-costumes/templates"


@pytest.fixture
def provinces(village):
    Region.objects.update_or_create(
        code="54",
        defaults={"name": "西藏自治区", "short_name": "西藏", "level": 1, "province_code": "54"},
    )
    Region.objects.update_or_create(
        code="65",
        defaults={
            "name": "新疆维吾尔自治区",
            "short_name": "新疆",
            "level": 1,
            "province_code": "65",
        },
    )


BODY = {
    "name": "全国包邮外",
    "basis": "piece",
    "excluded_provinces": ["54"],
    "rules": [
        {"provinces": [], "first_minor": 800, "additional_minor": 200, "free_above_minor": 9900},
        {"provinces": ["37"], "first_minor": 500, "additional_minor": 100},
    ],
}


def test_the_first_template_becomes_the_default(shop_a, provinces):
    template = services.save_template(shop=shop_a, **BODY)
    assert template.is_default and template.rules.count() == 2


def test_making_another_default_undefaults_the_first(shop_a, provinces):
    first = services.save_template(shop=shop_a, **BODY)
    second = services.save_template(shop=shop_a, **{**BODY, "name": "新"}, is_default=True)
    assert list(FreightTemplate.objects.filter(is_default=True)) == [second]
    assert not FreightTemplate.objects.get(pk=first.pk).is_default


@pytest.mark.parametrize(
    "change, field",
    [
        ({"name": ""}, "name"),
        ({"name": "\u200b \u3000"}, "name"),
        ({"name": "普通\x00快递"}, "name"),
        ({"name": "x" * 61}, "name"),
        ({"excluded_provinces": ["37"] * 50 + [str(n) for n in range(50)]}, "excluded_provinces"),
        ({"basis": "by_camel"}, "basis"),
        ({"excluded_provinces": ["99"]}, "excluded_provinces"),
        ({"rules": []}, "rules"),
        (
            {"rules": [{"provinces": [], "first_minor": -1, "additional_minor": 0}]},
            "rules.0.first_minor",
        ),
        ({"rules": [{"provinces": [], "first_minor": 1, "additional_minor": 0}] * 2}, "rules"),
        (
            {"rules": [{"provinces": ["37"], "first_minor": 1, "additional_minor": 0}] * 2},
            "rules.1.provinces",
        ),
    ],
)
def test_bad_templates_are_refused_naming_the_field(shop_a, provinces, change, field):
    with pytest.raises(services.Invalid) as refused:
        services.save_template(shop=shop_a, **{**BODY, **change})
    assert field in refused.value.fields
    assert not FreightTemplate.objects.exists()


def test_api_create_list_replace_delete(people, shop_a, provinces):
    created = people["alice"].post(API, BODY, content_type="application/json")
    assert created.status_code == 201 and created.json()["is_default"]
    pk = created.json()["id"]
    replaced = people["alice"].put(
        f"{API}/{pk}", {**BODY, "rules": BODY["rules"][:1]}, content_type="application/json"
    )
    assert len(replaced.json()["rules"]) == 1 and FreightRule.objects.count() == 1
    assert [t["id"] for t in people["alice"].get(API).json()["items"]] == [pk]
    assert people["alice"].delete(f"{API}/{pk}").status_code == 204
    assert not FreightTemplate.objects.exists()


@pytest.mark.parametrize(
    "who, status", [("anonymous", 401), ("buyer", 404), ("bob", 404), ("operator", 404)]
)
def test_only_shop_staff_manage_templates_through_the_api(people, shop_a, provinces, who, status):
    template = services.save_template(shop=shop_a, **BODY)
    assert people[who].get(API).status_code == status
    assert people[who].post(API, BODY, content_type="application/json").status_code == status
    assert people[who].delete(f"{API}/{template.pk}").status_code == status
    assert list(FreightTemplate.objects.all()) == [template]


def test_seller_page_adds_a_template_in_yuan(people, shop_a, provinces):
    response = people["alice"].post(
        "/seller/shipping/alice-costumes/",
        {
            "name": "普通快递",
            "basis": "piece",
            "first": "8",
            "additional": "2.50",
            "free_above": "99",
            "excluded_provinces": ["54"],
            "rules-TOTAL_FORMS": "1",
            "rules-INITIAL_FORMS": "0",
            "rules-0-provinces": ["37"],
            "rules-0-first": "5",
            "rules-0-additional": "1",
        },
    )
    assert response.status_code == 302
    template = FreightTemplate.objects.get()
    rules = {
        tuple(r.provinces): (r.first_minor, r.additional_minor, r.free_above_minor)
        for r in template.rules.all()
    }
    assert rules == {(): (800, 250, 9900), ("37",): (500, 100, None)}
    assert template.excluded_provinces == ["54"]
    page = people["alice"].get("/seller/shipping/alice-costumes/").content.decode()
    assert "普通快递" in page and "¥8.00" in page


def test_seller_page_rejects_bad_amounts(people, shop_a, provinces):
    response = people["alice"].post(
        "/seller/shipping/alice-costumes/",
        {
            "name": "x",
            "basis": "piece",
            "first": "8.123",
            "additional": "abc",
            "rules-TOTAL_FORMS": "0",
            "rules-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 422 and not FreightTemplate.objects.exists()


@pytest.mark.parametrize(
    "who, status", [("anonymous", 302), ("buyer", 404), ("bob", 404), ("alice", 200)]
)
def test_seller_shipping_pages_permission_table(people, shop_a, provinces, who, status):
    template = services.save_template(shop=shop_a, **BODY)
    assert people[who].get("/seller/shipping/alice-costumes/").status_code == status
    assert people[who].get(f"/seller/shipping/alice-costumes/{template.pk}/").status_code == status
    deleted = people[who].post(f"/seller/shipping/alice-costumes/{template.pk}/delete/")
    assert FreightTemplate.objects.exists() is (who != "alice")
    assert deleted.status_code == (302 if who == "alice" else status)


def test_template_forms_refuse_a_missing_csrf_token(alice, shop_a, provinces):
    template = services.save_template(shop=shop_a, **BODY)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(f"/seller/shipping/alice-costumes/{template.pk}/delete/").status_code == 403
    assert FreightTemplate.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"name": "普通\x00快递"}, "name"),
        ({"name": "\u200b"}, "name"),
        ({"is_default": "true"}, "is_default"),
        (
            {"rules": [{"provinces": [], "first_minor": True, "additional_minor": 0}]},
            "rules.0.first_minor",
        ),
        (
            {"rules": [{"provinces": [], "first_minor": 8.0, "additional_minor": 0}]},
            "rules.0.first_minor",
        ),
        (
            {"rules": [{"provinces": [], "first_minor": "800", "additional_minor": 0}]},
            "rules.0.first_minor",
        ),
        (
            {"rules": [{"provinces": [], "first_minor": 10**30, "additional_minor": 0}]},
            "rules.0.first_minor",
        ),
        ({"excluded_provinces": ["３７"]}, "excluded_provinces.0"),
    ],
)
def test_the_api_refuses_odd_input_with_a_422_naming_the_field(
    people, shop_a, provinces, change, field
):
    response = people["alice"].post(API, {**BODY, **change}, content_type="application/json")
    assert response.status_code == 422, response.content
    assert any(key.endswith(field) for key in response.json()["fields"]), response.json()
    assert not FreightTemplate.objects.exists()


@pytest.mark.parametrize("amount", ["1e999990", "1e999999", "9" * 5000, "８", "NaN"])
def test_seller_page_refuses_absurd_amounts_at_once(people, shop_a, provinces, amount):
    response = people["alice"].post(
        "/seller/shipping/alice-costumes/",
        {
            "name": "x",
            "basis": "piece",
            "first": amount,
            "additional": "1",
            "rules-TOTAL_FORMS": "0",
            "rules-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 422 and not FreightTemplate.objects.exists()


def test_a_retried_api_create_makes_one_template(people, shop_a, provinces):
    first = people["alice"].post(
        API, BODY, content_type="application/json", HTTP_IDEMPOTENCY_KEY="t1"
    )
    again = people["alice"].post(
        API, BODY, content_type="application/json", HTTP_IDEMPOTENCY_KEY="t1"
    )
    assert first.status_code == again.status_code == 201 and first.content == again.content
    assert FreightTemplate.objects.count() == 1
