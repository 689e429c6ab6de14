"""The one pagination of the API: `@paginate(PageNumber)` under a ninja list operation.

Query `page` (1..MAX_PAGE) and `size` (1..MAX_SIZE, default DEFAULT_SIZE); the body is
`{items, count, page, pages}`. A page past the end answers empty items with the true count and
page total (a client that races a deletion sees an empty page, not an error); a page number
over MAX_PAGE is refused with 422 before any query, so no absurd OFFSET reaches the database.
"""

from __future__ import annotations

import math
from typing import Any

from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_SIZE = 20
MAX_SIZE = 100
# 100,000 pages of 100 is ten million rows: beyond any list the API serves.
MAX_PAGE = 100_000


def page_count(count: int, size: int) -> int:
    """Pages needed for `count` items, at least 1 (an empty list still has its first page)."""
    return max(1, math.ceil(count / size))


class PageNumber(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
        size: int = Field(
            DEFAULT_SIZE, ge=1, le=MAX_SIZE, description=f"Items per page, 1 to {MAX_SIZE}."
        )

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        pages: int

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, request, **params: Any) -> dict:
        count = self._items_count(queryset)
        offset = (pagination.page - 1) * pagination.size
        return {
            "items": queryset[offset : offset + pagination.size] if offset < count else [],
            "count": count,
            "page": pagination.page,
            "pages": page_count(count, pagination.size),
        }
