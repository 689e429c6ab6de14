"""The shipping slice's API router, mounted by villagemarket.api.api under /api/v1/."""

from ninja import Router

router = Router(tags=["shipping"])
