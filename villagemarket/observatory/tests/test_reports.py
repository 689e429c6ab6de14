"""Reports: public aggregates, operator-only shop figures, shares and growth, exports."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from villagemarket.accounts.models import ApiToken
from villagemarket.observatory.figures import growth_pct, rank, share_pct
from villagemarket.observatory.models import ImportBatch, VillageDesignation
from villagemarket.shops.models import Shop

HEADER = "village_code,year,online_shops,active_shops,households,annual_sales_yuan\n"
PEOPLE = ["anonymous", "buyer", "alice", "bob", "operator"]


def test_shares_growth_and_ranks_are_exact():
    assert share_pct(1, 3) == Decimal("33.3") and share_pct(2, 3) == Decimal("66.7")
    assert share_pct(5, 0) is None
    assert growth_pct(267, 168) == Decimal("58.9")  # Heze 2017 -> 2018
    assert growth_pct(3, 0) is None and growth_pct(0, 4) == Decimal("-100.0")
    ranked = rank([{"code": "a", "n": 2}, {"code": "b", "n": 5}, {"code": "c", "n": 2}], "n")
    assert [(r["code"], r["rank"]) for r in ranked] == [("b", 1), ("a", 2), ("c", 2)]


def test_the_national_summary_shows_computed_and_published_counts_with_the_difference(
    computed, client
):
    body = client.get("/api/v1/observatory/summary").json()
    row = next(r for r in body["years"] if r["year"] == 2018)
    assert (row["villages"], row["published_villages"], row["villages_diff"]) == (2, 3202, -3200)
    assert row["growth_pct"] == 100.0
    page = client.get("/observatory/?year=2018")
    assert page.status_code == 200 and b"<svg" in page.content and b"-3,200" in page.content


def test_the_county_view_gives_counts_shares_and_growth(computed, client):
    body = client.get("/api/v1/observatory/areas", {"year": 2018, "code": "3717"}).json()
    (cao,) = body["rows"]
    assert (
        cao["code"],
        cao["villages"],
        cao["villages_before"],
        cao["share_pct"],
        cao["growth_pct"],
    ) == ("371721", 2, 1, 100.0, 100.0)
    towns = client.get("/api/v1/observatory/areas", {"year": 2018, "code": "371721"}).json()["rows"]
    assert {r["code"]: r["villages"] for r in towns} == {"371721121": 2}
    assert client.get("/observatory/area/3717/?year=2018").status_code == 200
    assert client.get("/observatory/area/371721/?year=2018").status_code == 200


def test_a_village_profile_says_why_and_shows_both_sources(computed, client):
    body = client.get("/api/v1/observatory/villages/371721121227").json()
    y2018 = body["history"][0]
    assert y2018["qualified"] and y2018["source"] == "import" and y2018["platform"]["shops"] == 1
    assert any("Sales of ¥25,000,000.50" in w["text"] and w["ok"] for w in y2018["why"])
    page = client.get("/observatory/village/371721121227/?year=2018")
    assert "Sales of ¥25,000,000.50".encode() in page.content


def test_the_village_list_is_paginated(computed, client):
    body = client.get("/api/v1/observatory/villages", {"year": 2018, "size": 1, "page": 2}).json()
    assert (body["count"], body["page"], body["pages"], len(body["items"])) == (2, 2, 2, 1)
    assert body["items"][0]["currency"] == "CNY"
    assert client.get("/observatory/villages/?year=2018&area=371721").status_code == 200


@pytest.mark.parametrize(
    "person, sees",
    [("anonymous", False), ("buyer", False), ("alice", False), ("bob", False), ("operator", True)],
)
def test_only_operators_see_which_shops_sold_how_much(computed, people, person, sees):
    page = people[person].get("/observatory/village/371721121227/?year=2018")
    assert page.status_code == 200
    assert (b"dinglou-costumes" in page.content) is sees
    assert (b"shop-row" in page.content) is sees
    api = people[person].get("/api/v1/observatory/villages/371721121227/shops", {"year": 2018})
    assert api.status_code == (200 if sees else 401 if person == "anonymous" else 403)
    export = people[person].get("/observatory/export/shops.csv?year=2018&area=371721121227")
    assert export.status_code == (200 if sees else 404)


def test_a_token_holder_who_is_not_staff_is_refused_shop_figures(computed, alice, client):
    token = ApiToken.new_secret()
    ApiToken.objects.create(
        user=alice, name="t", prefix=token[:8], token_hash=ApiToken.hash_secret(token)
    )
    res = client.get(
        "/api/v1/observatory/villages/371721121227/shops?year=2018",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert res.status_code == 403


def test_csv_and_xlsx_exports_open_and_contain_the_rows(computed, client):
    csv_res = client.get("/observatory/export/villages.csv?year=2018")
    text = csv_res.content.decode("utf-8-sig")
    assert (
        csv_res["Content-Type"].startswith("text/csv")
        and "371721121227" in text
        and "25000000.50" in text
    )
    xlsx = client.get("/observatory/export/villages.xlsx?year=2018")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[0][1] == "village_code" and len(rows) == 4
    for table in ("summary", "areas", "towns", "clusters"):
        for fmt in ("csv", "xlsx"):
            assert client.get(f"/observatory/export/{table}.{fmt}?year=2018").status_code == 200
    assert client.get("/observatory/export/villages.csv").status_code == 422  # year missing


@pytest.mark.parametrize("person, allowed", [(p, p == "operator") for p in PEOPLE])
def test_only_operators_import_remove_and_recompute(computed, people, person, allowed, village):
    client = people[person]
    assert (client.get("/observatory/operator/").status_code == 200) is allowed
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "x.csv", (HEADER + f"{village.code},2016,100,60,370,11000000\n").encode()
    )
    client.post("/observatory/operator/import/", {"source": "web", "file": upload})
    assert ImportBatch.objects.filter(source="web").exists() is allowed
    client.post("/observatory/operator/compute/", {"year": "2016"})
    assert VillageDesignation.objects.filter(year=2016).exists() is allowed
    client.post("/observatory/operator/remove/", {"source": "county", "year": "2017"})
    assert ImportBatch.objects.filter(source="county", year=2017).exists() is not allowed


def test_a_bad_upload_shows_the_line_and_imports_nothing(computed, people, village):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("x.csv", (HEADER + f"{village.code},2016,1,2,370,1\n").encode())
    res = people["operator"].post(
        "/observatory/operator/import/", {"source": "web", "file": upload}, follow=True
    )
    assert "line 2: active_shops cannot exceed online_shops" in res.content.decode()
    assert not ImportBatch.objects.filter(source="web").exists()


def test_operator_forms_refuse_a_missing_csrf_token(computed, operator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)
    assert client.post("/observatory/operator/compute/", {"year": "2016"}).status_code == 403
    assert not VillageDesignation.objects.filter(year=2016).exists()


def test_a_formula_in_a_shop_name_comes_out_inert_in_both_exports(computed, people):
    # given a seller who named the shop like a spreadsheet formula
    attack = '=HYPERLINK("http://evil.example","click")'
    Shop.objects.filter(pk=computed.pk).update(name=attack)
    url = "/observatory/export/shops.{}?year=2018&area=371721121227"
    # when an operator exports the village's shops
    operator = people["operator"]
    text = operator.get(url.format("csv")).content.decode("utf-8-sig")
    book = load_workbook(io.BytesIO(operator.get(url.format("xlsx")).content))
    # then the name is text with an apostrophe, and the amounts are numbers
    assert f'"\'{attack.replace(chr(34), chr(34) * 2)}"' in text
    header, row = list(book.active.iter_rows())[:2]
    assert row[1].value == "'" + attack and row[1].data_type == "s"
    assert (
        row[4].data_type == "n" and row[4].value == 12963 and row[4].number_format.startswith('"¥"')
    )
