"""Panels reviews adds to product, shop and order pages (core.panels slots)."""

from __future__ import annotations


def connect() -> None:
    """Register the panels (filled in with the pages)."""
