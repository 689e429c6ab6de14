"""Background recompute, so the operator's button returns at once on a national dataset."""

from __future__ import annotations

from django.tasks import task

from villagemarket.observatory.services.designations import compute_year


@task
def compute_year_task(year: int, rules: str | None = None) -> dict:
    """Recompute one year's designations (idempotent: a retried task does the same again)."""
    result = compute_year(year, rules)
    return {"year": result.year, "taobao_villages": result.taobao_villages, "towns": result.towns}
