"""Large product files are imported by the worker (`villagemarket worker`)."""

from __future__ import annotations

from django.tasks import task

from .services import run_import


@task
def import_file(job_id: int) -> dict:
    """Run one import job. Idempotent: a finished job is not run again; a job whose worker died
    mid-way starts again (its transaction was rolled back, nothing was half-imported)."""
    job = run_import(job_id)
    return {"job": job.pk, "status": job.status}
