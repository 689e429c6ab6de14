"""Models of core: only what every API write shares (remembered idempotent answers)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """The first successful answer to a write sent with an `Idempotency-Key`.

    One row per (caller, key), claimed inside the write's own transaction, so a concurrent
    duplicate waits on the unique index and then replays this answer instead of acting twice.
    """

    owner = models.CharField(
        max_length=64, verbose_name=_("owner")
    )  # "user:<id>" or "session:<key>"
    key = models.CharField(max_length=100, verbose_name=_("key"))
    # sha256 of method, path and body: the same key with another request is a client bug.
    fingerprint = models.CharField(max_length=64, verbose_name=_("fingerprint"))
    status_code = models.PositiveSmallIntegerField(null=True, verbose_name=_("status code"))
    content_type = models.CharField(max_length=100, blank=True, verbose_name=_("content type"))
    body = models.BinaryField(default=b"", verbose_name=_("body"))
    created_at = models.DateTimeField(
        auto_now_add=True, db_index=True, verbose_name=_("created at")
    )

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_key_once_per_owner")
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.key} → {self.status_code}"
