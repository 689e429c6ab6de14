"""Public region API under /api/v1/regions/."""

import pytest

from villagemarket.regions.models import Region


@pytest.fixture
def api(client, loaded):
    return client


def test_provinces(api):
    response = api.get("/api/v1/regions/")
    assert response.status_code == 200
    body = response.json()
    assert [r["code"] for r in body["items"]] == ["11", "37", "41", "44"]
    assert (body["count"], body["page"], body["pages"]) == (4, 1, 1)


def test_region_detail_has_ancestors(api):
    body = api.get("/api/v1/regions/371721121227").json()

    assert body["short_name"] == "丁楼村"
    assert body["is_rural"] is True
    assert body["parent_code"] == "371721121"
    assert [a["code"] for a in body["ancestors"]] == ["37", "3717", "371721", "371721121"]
    assert body["children_count"] == 0


def test_children_are_paginated(api):
    body = api.get("/api/v1/regions/371721121/children", {"size": 3}).json()
    assert body["count"] == 9
    assert [r["code"] for r in body["items"]] == ["371721121001", "371721121150", "371721121200"]
    page3 = api.get("/api/v1/regions/371721121/children", {"size": 3, "page": 3}).json()
    assert [r["code"] for r in page3["items"]][-1] == "371721121300"


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("丁楼", "371721121227"),
        ("dinglou", "371721121227"),
        ("DingLou", "371721121227"),
        ("曹县", "371721"),
        ("3717211212", "371721121200"),
    ],
)
def test_search_by_name_pinyin_or_code(api, q, first):
    body = api.get("/api/v1/regions/search", {"q": q}).json()
    assert body["items"][0]["code"] == first


def test_search_is_paginated(api):
    body = api.get("/api/v1/regions/search", {"q": "37", "size": 5}).json()
    assert len(body["items"]) == 5 and body["count"] > 5
    assert api.get("/api/v1/regions/search", {"q": "37", "size": 500}).status_code == 422


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/regions/３７",  # full-width digits
        "/api/v1/regions/" + "3" * 5000,
        "/api/v1/regions/" + "3" * 5000 + "/children",
    ],
)
def test_odd_codes_are_404_not_errors(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("q", ["丁\x00楼", "x" * 51])
def test_bad_search_text_is_a_422_naming_q(api, q):
    response = api.get("/api/v1/regions/search", {"q": q})
    assert response.status_code == 422
    assert "q" in response.json()["fields"]


def test_unknown_region_is_a_json_404(api):
    response = api.get("/api/v1/regions/99")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert api.get("/api/v1/regions/abc/children").status_code == 404


def test_search_needs_q(api):
    response = api.get("/api/v1/regions/search")
    assert response.status_code == 422
    assert "q" in response.json()["fields"]


def test_api_is_public_and_read_only(api):
    assert api.post("/api/v1/regions/", {}).status_code == 405
    assert Region.objects.count() == 39
