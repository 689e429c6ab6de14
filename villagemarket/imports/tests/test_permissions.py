"""Who may use the import/export pages and API: the shop's staff only; a refused request
changes nothing (no job, no product)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from villagemarket.catalog.models import Product
from villagemarket.imports.models import ImportJob
from villagemarket.testing.personas import make_product

from .helpers import csv_content, new_product_rows

pytestmark = pytest.mark.django_db

SHOP = "alice-costumes"
PAGES = [
    f"/seller/imports/{SHOP}/",
    f"/seller/imports/{SHOP}/export.csv",
    f"/seller/imports/{SHOP}/export.xlsx",
    f"/seller/imports/{SHOP}/template.csv",
    f"/seller/imports/{SHOP}/template.xlsx",
]
API_READS = [
    f"/api/v1/imports/shops/{SHOP}/jobs",
    f"/api/v1/imports/shops/{SHOP}/export.csv",
    f"/api/v1/imports/shops/{SHOP}/export.xlsx",
]
ALLOWED = {"alice"}
WHO = ["anonymous", "buyer", "bob", "operator", "alice"]


@pytest.fixture
def shop(shop_a):
    make_product(shop_a, title="演出服")
    return shop_a


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("url", PAGES)
def test_pages_are_for_the_shop_staff_only(people, shop, who, url):
    response = people[who].get(url)
    if who in ALLOWED:
        assert response.status_code == 200
    elif who == "anonymous":
        assert response.status_code == 302 and "/accounts/" in response["Location"]
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("url", API_READS)
def test_api_reads_are_for_the_shop_staff_only(people, shop, who, url):
    response = people[who].get(url)
    expected = 200 if who in ALLOWED else (401 if who == "anonymous" else 404)
    assert response.status_code == expected


def _upload_page(client):
    upload = SimpleUploadedFile("p.csv", csv_content(new_product_rows()), "text/csv")
    return client.post(f"/seller/imports/{SHOP}/", {"file": upload})


def _upload_api(client):
    upload = SimpleUploadedFile("p.csv", csv_content(new_product_rows()), "text/csv")
    return client.post(f"/api/v1/imports/shops/{SHOP}/jobs", {"file": upload})


@pytest.mark.parametrize("upload", [_upload_page, _upload_api], ids=["page", "api"])
@pytest.mark.parametrize("who", WHO)
def test_uploads_by_others_change_nothing(people, shop, who, upload):
    products = Product.objects.count()
    response = upload(people[who])
    if who in ALLOWED:
        assert response.status_code in (201, 302)
        assert ImportJob.objects.get().status == "done"
        assert Product.objects.count() == products + 1
    else:
        assert response.status_code in (302, 401, 404)
        assert not ImportJob.objects.exists()
        assert Product.objects.count() == products


def test_a_job_of_another_shop_is_not_found(people, shop, shop_b, bob):
    from villagemarket.imports import services

    job = services.start_import(
        bob, shop_b, filename="p.csv", content=csv_content(new_product_rows(category="costumes"))
    )
    for url in (
        f"/seller/imports/{SHOP}/jobs/{job.pk}/",
        f"/api/v1/imports/shops/{SHOP}/jobs/{job.pk}",
        f"/api/v1/imports/shops/{SHOP}/jobs/{job.pk}/errors",
    ):
        assert people["alice"].get(url).status_code == 404
    assert people["bob"].get(f"/seller/imports/bob-quilts/jobs/{job.pk}/").status_code == 200


def test_api_upload_lists_errors_by_row_and_column(people, shop):
    rows = new_product_rows()
    rows[1]["price"] = "12,50元"
    upload = SimpleUploadedFile("p.csv", csv_content(rows), "text/csv")
    response = people["alice"].post(
        f"/api/v1/imports/shops/{SHOP}/jobs", {"file": upload}, headers={"Idempotency-Key": "k1"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "failed" and body["error_count"] == 1
    errors = people["alice"].get(f"/api/v1/imports/shops/{SHOP}/jobs/{body['id']}/errors").json()
    assert errors["items"] == [
        {"row": 3, "column": "price", "message": errors["items"][0]["message"]}
    ]


def test_the_job_page_shows_errors_by_row(people, shop):
    rows = new_product_rows()
    rows[0]["stock"] = "many"
    response = _upload_page(people["alice"])  # a good file first
    assert response.status_code == 302
    upload = SimpleUploadedFile("bad.csv", csv_content(rows), "text/csv")
    response = people["alice"].post(f"/seller/imports/{SHOP}/", {"file": upload}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was changed" in page or "没有任何改动" in page
    assert '<td class="col">stock</td>' in page
