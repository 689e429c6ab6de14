"""The observatory API keeps the one contract: schemas for every answer, PageNumber lists,
clear 422s for bad parameters."""

import pytest

PATHS = [
    "/api/v1/observatory/summary",
    "/api/v1/observatory/areas",
    "/api/v1/observatory/villages",
    "/api/v1/observatory/villages/{code}",
    "/api/v1/observatory/villages/{code}/shops",
    "/api/v1/observatory/clusters",
]


def test_every_observatory_answer_has_a_schema_with_a_unique_name(client):
    doc = client.get("/api/v1/openapi.json").json()
    for path in PATHS:
        responses = doc["paths"][path]["get"]["responses"]
        assert "$ref" in str(responses["200"]["content"]), path
        if path != "/api/v1/observatory/summary":  # the only one without parameters
            assert "422" in responses and "404" in responses, path
    shops = doc["paths"]["/api/v1/observatory/villages/{code}/shops"]["get"]["responses"]
    assert {"401", "403"} <= set(shops)
    schemas = doc["components"]["schemas"]
    ours = [name for name in schemas if "Observatory" in name]
    assert "PagedObservatoryVillageOut" in ours and "ObservatoryClusterOut" in ours


def test_lists_paginate_with_items_count_page_and_pages(computed, client, people):
    clusters = client.get("/api/v1/observatory/clusters", {"year": 2018, "size": 5}).json()
    assert set(clusters) == {"items", "count", "page", "pages"}
    shops = people["operator"].get(
        "/api/v1/observatory/villages/371721121227/shops", {"year": 2018}
    )
    body = shops.json()
    assert (body["count"], body["pages"]) == (1, 1)
    (shop,) = body["items"]
    assert (shop["name"], shop["sales_minor"], shop["currency"]) == (
        "dinglou-costumes",
        12963_00,
        "CNY",
    )


@pytest.mark.parametrize(
    "url, params, field",
    [
        ("/api/v1/observatory/villages", {"year": 2**70}, "year"),
        ("/api/v1/observatory/villages", {"year": 2018, "area": "37\x00"}, "area"),
        ("/api/v1/observatory/villages", {"year": 2018, "size": 1000}, "size"),
        ("/api/v1/observatory/villages", {"year": 2018, "page": 10**9}, "page"),
        ("/api/v1/observatory/areas", {"year": 2018, "code": "x" * 5000}, "code"),
        ("/api/v1/observatory/clusters", {"year": "٢٠١٨"}, "year"),
        ("/api/v1/observatory/villages/3717211212270", {}, "code"),
    ],
)
def test_bad_parameters_are_a_422_naming_the_field(computed, client, url, params, field):
    res = client.get(url, params)
    assert res.status_code == 422, res.content
    assert any(field in key for key in res.json()["fields"]), res.json()


def test_a_village_history_costs_the_same_queries_however_many_years(
    computed, client, django_assert_max_num_queries
):
    # two computed years: the village and rule set are not queried once per year
    with django_assert_max_num_queries(4):
        body = client.get("/api/v1/observatory/villages/371721121227").json()
    assert [y["year"] for y in body["history"]] == [2018, 2017]
    assert all(y["name"] == "丁楼村" and y["why"] for y in body["history"])
