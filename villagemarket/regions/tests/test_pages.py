"""Public region pages, the picker endpoint, and the operator-only import page."""

import io

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from villagemarket.regions.forms import RegionPickerField
from villagemarket.regions.models import Region
from villagemarket.testing import make_product, make_shop, make_user

HEADER = "code,name,township_code,households,is_rural,lat,lon\n"


@pytest.fixture
def marketplace(shop_a, shop_b, alice):
    make_product(shop_a, title="演出服")
    make_product(shop_a, title="汉服")
    make_product(shop_a, title="草稿", status="draft")
    hulou = Region.objects.get(code="371721121206")
    make_shop(alice, hulou, name="Pending 胡楼", slug="pending-hulou", status="pending")
    return shop_a, shop_b


def test_index_lists_provinces_with_their_shop_counts(client, marketplace):
    response = client.get(reverse("regions:index"))

    assert response.status_code == 200
    assert response.context["provinces"][0].short_name == "山东省"
    assert response.context["provinces"][0].shop_count == 2  # the pending shop is not counted
    assert "山东省" in response.text


@pytest.mark.parametrize("code", ["37", "3717", "371721", "371721121", "371721121227"])
def test_every_level_lists_the_active_shops_under_it(client, marketplace, code):
    response = client.get(reverse("regions:detail", args=[code]))

    assert response.status_code == 200
    assert reverse("shops:detail", args=["alice-costumes"]) in response.text
    assert "Bob 羽绒被" in response.text
    assert "Pending 胡楼" not in response.text


def test_breadcrumb_and_children_with_shop_counts(client, marketplace):
    response = client.get(reverse("regions:detail", args=["371721121"]))

    crumbs = [a.short_name for a in response.context["ancestors"]]
    assert crumbs == ["山东省", "菏泽市", "曹县"]
    counts = {c.code: c.shop_count for c in response.context["children"]}
    assert counts == {"371721121001": 0, "371721121206": 0, "371721121227": 2}


def test_village_page_shows_households_kind_township_and_products(client, marketplace):
    response = client.get(reverse("regions:detail", args=["371721121227"]))

    assert response.context["township"].township_kind == "town"
    assert response.context["product_total"] == 2  # drafts are not on sale
    text = response.text
    assert "370" in text and "大集镇" in text
    assert "rural village" in text or "行政村" in text or "村" in text


def test_region_pages_keep_queries_bounded(
    client, marketplace, django_assert_max_num_queries, alice
):
    for n in range(12):
        shop = make_shop(
            alice, Region.objects.get(code="371721121227"), name=f"店{n}", slug=f"s{n}"
        )
        make_product(shop)
    with django_assert_max_num_queries(12):
        client.get(reverse("regions:detail", args=["371721121227"]))
    with django_assert_max_num_queries(12):
        client.get(reverse("regions:detail", args=["37"]))


def test_children_are_paginated(client, village):
    daji = Region.objects.get(code="371721121")
    Region.objects.bulk_create(
        Region(
            code=f"371721121{n:03d}",
            name=f"村{n}",
            short_name=f"村{n}",
            level=5,
            parent=daji,
            province_code="37",
            prefecture_code="3717",
            county_code="371721",
            township_code="371721121",
        )
        for n in range(300, 400)
    )
    first = client.get(reverse("regions:detail", args=["371721121"]))
    second = client.get(reverse("regions:detail", args=["371721121"]), {"page": 2})

    assert len(first.context["children"].object_list) == 60
    assert first.context["children"].paginator.count == 103
    assert second.context["children"].object_list[0].code == "371721121357"


def test_unknown_region_is_404(client, village):
    assert client.get(reverse("regions:detail", args=["99"])).status_code == 404


def test_region_search_page_finds_by_pinyin(client, village):
    Region.objects.filter(code="371721121227").update(name_pinyin="dingloucun")
    response = client.get(reverse("regions:search"), {"q": "dinglou"})
    assert [r.code for r in response.context["results"]] == ["371721121227"]


# --- picker -------------------------------------------------------------------------------------


def test_picker_endpoint_offers_the_next_level(client, village):
    response = client.get(reverse("regions:picker"), {"code": "371721", "field": "village"})

    assert response.status_code == 200
    assert 'name="village"' in response.text
    assert 'value="371721121"' in response.text  # 大集镇 offered in the township box
    assert "大集镇" in response.text and "丁楼村" not in response.text


def test_picker_endpoint_reads_the_changed_select_by_field_name(client, village):
    response = client.get(
        reverse("regions:picker"), {"field": "village", "village": "371721121", "min_level": 5}
    )
    assert "丁楼村" in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"field": "<script>"},
        {"min_level": "9"},
        {"min_level": "5", "max_level": "4"},
        {"min_level": "²"},  # isdigit() but not int(): was a 500
        {"max_level": "٣"},
        {"min_level": "9" * 5000},
    ],
)
def test_picker_endpoint_refuses_bad_parameters(client, village, params):
    assert client.get(reverse("regions:picker"), params).status_code == 400


class ShopVillageForm(forms.Form):
    village = RegionPickerField(min_level=5)


class AddressForm(forms.Form):
    township = RegionPickerField(min_level=4, max_level=4)


def test_picker_field_takes_the_deepest_chosen_code(village):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.setlist("village", ["37", "3717", "371721", "371721121", "371721121227"])
    form = ShopVillageForm(data)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["village"].code == "371721121227"


def test_picker_field_accepts_a_typed_code(village):
    form = ShopVillageForm({"village": "37", "village_code": " 371721121227 "})
    assert form.is_valid() and form.cleaned_data["village"].short_name == "丁楼村"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"village": "371721121"}, "Choose down to the village"),
        ({"village_code": "371721121999"}, "no region with the code"),
        ({"village_code": "abc"}, "digits only"),
        ({}, "required"),
    ],
)
def test_picker_field_refuses_what_is_not_a_village(village, data, message):
    form = ShopVillageForm(data)
    assert not form.is_valid()
    assert message in str(form.errors["village"])


def test_township_picker_refuses_a_village(village):
    assert AddressForm({"township": "371721121"}).is_valid()
    form = AddressForm({"township": "371721121227"})
    assert not form.is_valid() and "not a village" in str(form.errors)


def test_picker_widget_renders_the_chain_of_an_initial_region(village):
    html = str(ShopVillageForm(initial={"village": Region.objects.get(code="371721121227")}))
    assert 'value="371721121227" selected' in html
    assert 'hx-get="/regions/picker/' in html and 'name="village_code"' in html


# --- import page: operators only -----------------------------------------------------------------


def upload(client, body, **extra):
    data = io.BytesIO((HEADER + body).encode())
    data.name = "villages.csv"
    return client.post(reverse("regions:import"), {"file": data}, **extra)


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("buyer", 403), ("alice", 403), ("bob", 403)]
)
def test_only_operators_may_import_and_a_refusal_imports_nothing(people, who, status):
    client = people[who]
    assert client.get(reverse("regions:import")).status_code == status

    response = upload(client, "371721121227,丁楼村民委员会,371721121,999,true,,\n")

    assert response.status_code == status
    assert Region.objects.get(code="371721121227").households == 370


def test_operator_imports_and_sees_the_counts(people):
    response = upload(people["operator"], "371721121227,丁楼村民委员会,371721121,999,true,,\n")

    assert response.status_code == 200
    assert "0 created, 1 updated" in response.text
    assert Region.objects.get(code="371721121227").households == 999


def test_operator_sees_every_bad_row_in_a_table_and_nothing_changes(people):
    response = upload(
        people["operator"],
        "371721121227,丁楼村民委员会,371721121,999,true,,\n371721121228,,371721121,-1,true,,\n",
    )

    assert "<table" in response.text and "must not be blank" in response.text
    assert response.context["result"].errors[0].row == 3
    assert Region.objects.get(code="371721121227").households == 370


def test_import_form_refuses_a_missing_csrf_token(operator, village):
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)

    response = upload(client, "371721121227,丁楼村民委员会,371721121,999,true,,\n")

    assert response.status_code == 403
    assert Region.objects.get(code="371721121227").households == 370


def test_a_non_operator_staff_flag_off_is_refused(db, village):
    user = make_user("clerk@example.com")
    client = Client()
    client.force_login(user)
    assert upload(client, "371721121227,丁楼村民委员会,371721121,1,true,,\n").status_code == 403


def test_index_picker_goes_to_the_deepest_chosen_region_without_javascript(client, village):
    response = client.get(reverse("regions:go"), {"region": ["37", "3717", "371721", ""]})
    assert response.status_code == 302
    assert response.url == reverse("regions:detail", args=["371721"])

    typed = client.get(reverse("regions:go"), {"region_code": "371721121227"})
    assert typed.url == reverse("regions:detail", args=["371721121227"])


def test_index_picker_with_an_unknown_code_says_so(client, village):
    response = client.get(reverse("regions:go"), {"region_code": "12345"}, follow=True)
    assert "no region with the code 12345" in response.text


@pytest.mark.parametrize(
    "row",
    [
        "371721121227,丁楼\x00村,371721121,370,true,,\n",
        "371721121227,丁楼村民委员会,371721121," + "9" * 5000 + ",true,,\n",
        "371721121227,丁楼村民委员会,371721121,²,true,,\n",
    ],
)
def test_a_hostile_file_gets_a_row_error_page_not_a_500(people, row):
    response = upload(people["operator"], row)

    assert response.status_code == 200
    assert "nothing was imported" in response.content.decode()
    assert Region.objects.get(code="371721121227").households == 370
