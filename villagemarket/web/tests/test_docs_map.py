"""docs/map.md's generated part matches the code (a stale map sends readers to code that moved)."""

from __future__ import annotations

from villagemarket.web import docs_map


def test_docs_map_is_up_to_date():
    # given the map as committed
    current = docs_map.DOC.read_text(encoding="utf-8")
    # then regenerating it changes nothing
    assert docs_map.BEGIN in current, "docs/map.md lost its generated part: run the command below"
    assert current == docs_map.updated(current), (
        "docs/map.md is stale (a use-case, page or endpoint changed): "
        "run `.venv/bin/villagemarket docs_map` and commit docs/map.md"
    )


def test_the_map_names_a_use_case_a_page_and_an_endpoint_of_each_kind():
    # given the generated section
    section = docs_map.render()
    # then a reader finds each kind of question answered by file:function
    assert "| `orders/services/checkout.py:place_order` |" in section
    assert "| `/orders/checkout/` | `orders:checkout` | `orders/views.py:" in section
    assert "| POST | `/api/v1/orders/checkout` |" in section
    # and nothing under /admin/ or /api/ is listed as a page
    pages = [page.path for page in docs_map.pages()]
    assert not [path for path in pages if path.startswith(("/admin/", "/api/"))]


def test_every_use_case_has_a_docstring():
    # STYLE.md: a docstring on every service; the map shows its first line
    missing = [case.location for case in docs_map.use_cases() if case.summary == "(no docstring)"]
    assert not missing, f"services without a docstring: {missing}"


def test_updating_keeps_the_hand_written_part():
    # given a document with hand-written text around an old generated part
    document = f"# Map\n\nlayers by hand\n\n{docs_map.BEGIN}\nold\n{docs_map.END}\n\nafter\n"
    # when it is updated
    result = docs_map.updated(document)
    # then the hand-written text stays and the old part is gone
    assert result.startswith("# Map\n\nlayers by hand\n\n" + docs_map.BEGIN)
    assert "\nold\n" not in result and result.endswith("after\n")
