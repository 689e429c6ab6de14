"""URL path converters registered once (core's AppConfig.ready): `<id:pk>` for database ids."""

from __future__ import annotations

from django.urls import register_converter

from villagemarket.core.validation import MAX_DB_ID


class DbIdConverter:
    """1..2**63-1 written in at most 19 ASCII digits; anything else is a 404 before any query
    (Django's `<id:>` takes any number of digits, which overflows the database's bigint)."""

    regex = "[1-9][0-9]{0,18}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_DB_ID:
            raise ValueError("beyond a bigint")  # Django then tries the next pattern, or 404s
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def register() -> None:
    register_converter(DbIdConverter, "id")
