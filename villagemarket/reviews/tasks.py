"""Periodic sweep: the default rating for lines left unreviewed past the window."""

from __future__ import annotations

from django.tasks import task

from . import services


@task
def give_default_ratings() -> int:
    """Rate every line whose review window closed without a review (idempotent)."""
    return services.give_default_ratings()


PERIODIC = [give_default_ratings]
