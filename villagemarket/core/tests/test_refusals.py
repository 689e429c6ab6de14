"""Malformed requests are refused before any view: a clear 4xx naming the field, nothing changed."""

import json

import pytest
from django.test import Client, override_settings

from villagemarket.accounts.models import User
from villagemarket.core.middleware import DEFAULT_REQUEST_MAX_BYTES


def signup(client, **fields):
    data = {
        "display_name": "Wang",
        "email": "wang@example.com",
        "password1": "a long enough passphrase 1",
        "password2": "a long enough passphrase 1",
        **fields,
    }
    return client.post("/accounts/signup/", data)


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["Wang\x00", "\x1b[31mWang", "Wa\x7fng"])
def test_a_form_field_with_a_control_character_is_422_naming_it_and_changes_nothing(bad):
    response = signup(Client(), display_name=bad)
    assert response.status_code == 422
    assert "display_name" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_newlines_and_tabs_in_a_form_body_are_kept():
    response = signup(Client(), display_name="Wang\tof Dinglou")
    assert response.status_code != 422


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, field",
    [
        ("/api/v1/catalog/products?q=a%00b", "q"),
        ("/api/v1/regions/search?q=%01", "q"),
        ("/api/v1/regions/37%00", "path"),
        ("/api/v1/catalog/products?a%00=1", "?"),
    ],
)
def test_control_characters_in_api_query_or_path_are_422_json(url, field):
    response = Client().get(url)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and field in body["fields"]


@pytest.mark.django_db
def test_control_characters_in_a_page_query_get_a_plain_422_page():
    response = Client().get("/search/?q=%00")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    assert "q" in response.content.decode()


@pytest.mark.django_db
def test_a_json_string_with_nul_is_422_naming_its_path(people):
    response = people["alice"].post(
        "/api/v1/orders/addresses",
        json.dumps(
            {"region_code": "371721121", "detail": "村\x00东", "recipient": "王", "mobile": "1"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "detail" in response.json()["fields"]


@pytest.mark.django_db
def test_nested_json_strings_are_checked_and_newlines_are_kept(people):
    response = people["buyer"].post(
        "/api/v1/orders/checkout",
        json.dumps({"address_id": 1, "items": [{"sku_id": 1, "quantity": 1, "note": "a\x00"}]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "items.0.note" in response.json()["fields"]


@pytest.mark.django_db
def test_a_json_number_with_thousands_of_digits_is_400_not_500(people):
    response = people["buyer"].post(
        "/api/v1/cart/lines",
        '{"sku_id": 1, "quantity": ' + "9" * 5000 + "}",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/orders/99999999999999999999",
        "/api/v1/orders/9223372036854775808",
        "/api/v1/catalog/products/" + "9" * 5000,
    ],
)
def test_api_ids_beyond_a_bigint_are_404(people, url):
    response = people["buyer"].get(url)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/orders/99999999999999999999/", "/p/9223372036854775808/", "/p/0/", "/p/" + "1" * 40 + "/"],
)
def test_page_ids_beyond_a_bigint_are_404(people, url):
    assert people["buyer"].get(url).status_code == 404


@pytest.mark.django_db
def test_the_largest_id_still_reaches_the_view(people):
    # 2**63-1 is a valid id: the view answers (404 because no such order), not the router
    assert people["buyer"].get("/api/v1/orders/9223372036854775807").status_code == 404


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_api_body_over_the_limit_is_413_json(people):
    response = people["buyer"].post(
        "/api/v1/cart/lines",
        json.dumps({"sku_id": 1, "quantity": 1, "pad": "x" * 2000}),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


@pytest.mark.django_db
def test_a_declared_length_over_the_request_limit_is_413_before_reading():
    response = Client().generic(
        "POST",
        "/api/v1/cart/lines",
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(DEFAULT_REQUEST_MAX_BYTES + 1),
    )
    assert response.status_code == 413


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/cart/lines", "/accounts/signup/"])
@pytest.mark.parametrize("boundary", ["", "; boundary=", "; boundary=" + "x" * 80 + "\x00"])
def test_a_malformed_multipart_body_is_400_not_500(url, boundary):
    response = Client().generic(
        "POST",
        url,
        b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--\r\n',
        content_type="multipart/form-data" + boundary,
    )
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["code"] == "bad_request"


@pytest.mark.django_db
def test_a_multipart_body_sent_to_a_json_endpoint_is_a_4xx_not_500(people):
    response = people["buyer"].post("/api/v1/cart/lines", {"sku_id": "1", "quantity": "1"})
    assert 400 <= response.status_code < 500


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5)
def test_too_many_form_fields_is_413():
    response = Client().post("/api/v1/cart/lines", {f"f{i}": "1" for i in range(10)})
    assert response.status_code == 413
