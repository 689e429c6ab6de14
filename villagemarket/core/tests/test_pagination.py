import pytest
from ninja import NinjaAPI, Schema
from ninja.pagination import paginate
from ninja.testing import TestClient

from villagemarket.core.pagination import MAX_PAGE, PageNumber


class NumberOut(Schema):
    n: int


def make_client(total: int) -> TestClient:
    api = NinjaAPI(urls_namespace=f"pagination-test-{total}")

    @api.get("/numbers", response=list[NumberOut])
    @paginate(PageNumber)
    def numbers(request):
        return [{"n": i} for i in range(total)]

    return TestClient(api)


def test_pages_have_items_count_page_and_pages():
    body = make_client(45).get("/numbers?page=2&size=20").json()
    assert body["count"] == 45 and body["page"] == 2 and body["pages"] == 3
    assert [row["n"] for row in body["items"]] == list(range(20, 40))


def test_default_size_is_twenty():
    body = make_client(45).get("/numbers").json()
    assert len(body["items"]) == 20 and body["page"] == 1


def test_a_page_past_the_end_is_empty_with_the_true_count():
    body = make_client(45).get("/numbers?page=9").json()
    assert body == {"items": [], "count": 45, "page": 9, "pages": 3}


def test_an_empty_list_has_one_empty_page():
    assert make_client(0).get("/numbers").json() == {
        "items": [],
        "count": 0,
        "page": 1,
        "pages": 1,
    }


@pytest.mark.parametrize(
    "query",
    ["page=0", f"page={MAX_PAGE + 1}", "page=" + "9" * 5000, "size=0", "size=101", "page=x"],
)
def test_out_of_bounds_pages_and_sizes_are_refused(query):
    response = make_client(3).get(f"/numbers?{query}")
    assert response.status_code == 422
