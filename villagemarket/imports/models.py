"""Import jobs (one uploaded file each) and the sellers' own product handles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class JobPhase(models.TextChoices):
    WAITING = "waiting", _("waiting")
    CHECKING = "checking", _("checking rows")
    WRITING = "writing", _("saving products")
    FINISHED = "finished", _("finished")


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ImportJob(models.Model):
    """One uploaded product file, checked in full and then written in one transaction.

    The file itself is kept in the row (at most imports.columns.MAX_FILE_BYTES), so a worker on
    another machine reads it without a shared disk, and nothing of it is ever served as media.
    """

    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("shop")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    filename = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(_("format"), max_length=4, choices=FileFormat.choices)
    content = models.BinaryField(_("file"), editable=False)
    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    phase = models.CharField(
        _("step"), max_length=8, choices=JobPhase.choices, default=JobPhase.WAITING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_written = models.PositiveIntegerField(_("rows saved"), default=0)
    # [{"row": 7, "column": "price", "message": "not a number"}, ...]; row 0 = the whole file.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # {"created": n, "updated": n, "unchanged": n} products, once done.
    summary = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["shop", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        """Overall progress: checking is the first half, saving the second."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        done = self.rows_checked + self.rows_written
        return min(99, done * 50 // self.total_rows)


class ProductHandle(models.Model):
    """A seller's own name for a product in import files (e.g. "hanfu-red"), unique per shop.

    A file's product_ref is either a product id of the shop or such a handle; a new handle
    creates a product and is recorded here, so the next file with it updates that product.
    """

    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="+", verbose_name=_("shop")
    )
    handle = models.CharField(_("handle"), max_length=80)
    product = models.OneToOneField(
        "catalog.Product",
        on_delete=models.CASCADE,
        related_name="import_handle",
        verbose_name=_("product"),
    )

    class Meta:
        verbose_name = _("product handle")
        verbose_name_plural = _("product handles")
        constraints = [
            models.UniqueConstraint(fields=["shop", "handle"], name="unique_handle_per_shop")
        ]

    def __str__(self) -> str:
        return self.handle
