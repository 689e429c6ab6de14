"""Import use-cases: upload a file (start_import) and run it (run_import).

A file is checked in full first; any error and nothing is written. Then every product is saved
through the catalog's services in one transaction: a failure anywhere, or a worker killed
mid-way, leaves the catalog as it was. Small files run during the upload; larger ones in the
worker (tasks.import_file), with progress on the job page.
"""

from __future__ import annotations

import functools
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.catalog import services as catalog
from villagemarket.core.errors import DomainError, Invalid, NotFound
from villagemarket.shops.permissions import membership

from . import planning
from .columns import INLINE_ROWS, MAX_ERRORS, MAX_FILE_BYTES, RowError, check_header, parse_row
from .models import ImportJob, JobPhase, JobStatus, ProductHandle
from .progress import Progress
from .reading import UnreadableFile, check_size, detect_format, read_sheet

logger = logging.getLogger(__name__)

MAX_FILENAME = 200


class ImportFailed(Exception):
    """Raised inside the write transaction to roll it back; carries the row errors."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def require_shop_staff(user, shop) -> None:
    """The shop's owner or staff; others get NotFound (they learn nothing about the shop)."""
    if membership(user, shop) is None:
        raise NotFound(_("No such shop."))


def refuse_oversized(size: int) -> None:
    """Refuse an upload by its declared size, before reading it into memory."""
    if size > MAX_FILE_BYTES:
        message = _("at most %(max)d MB") % {"max": MAX_FILE_BYTES // 1024 // 1024}
        raise Invalid(message, fields={"file": [message]})


def start_import(user, shop, *, filename: str, content: bytes) -> ImportJob:
    """Shop staff upload a product file. Returns its job: already done or failed for a small
    file, queued for the worker otherwise. A file that cannot be read at all is refused here
    (Invalid naming `file`) and no job is kept."""
    require_shop_staff(user, shop)
    try:
        check_size(content)
        file_format = detect_format(filename, content)
        rows = len(read_sheet(file_format, content).rows)
    except UnreadableFile as exc:
        raise Invalid(exc.error.message, fields={"file": [exc.error.message]}) from None
    job = ImportJob.objects.create(
        shop=shop,
        created_by=user,
        filename=(filename or "products")[-MAX_FILENAME:],
        file_format=file_format,
        content=content,
        total_rows=rows,
    )
    if rows <= INLINE_ROWS:
        return run_import(job.pk)
    from .tasks import import_file

    transaction.on_commit(functools.partial(import_file.enqueue, job.pk))
    return job


def run_import(job_id: int, *, progress: Progress | None = None) -> ImportJob:
    """Check and then save one uploaded file. Idempotent: a finished job is left as it is; a
    job that was running when its worker died starts again from the first row (its earlier
    transaction was rolled back with the worker)."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
    ).update(
        status=JobStatus.RUNNING,
        phase=JobPhase.CHECKING,
        rows_checked=0,
        rows_written=0,
        errors=[],
        started_at=timezone.now(),
    )
    job = ImportJob.objects.select_related("shop", "created_by").get(pk=job_id)
    if not claimed:
        return job
    progress = progress or Progress(job.pk)
    try:
        plans, errors = check_file(job, progress)
        if errors:
            return _finish(job, JobStatus.FAILED, errors=errors)
        ImportJob.objects.filter(pk=job.pk).update(phase=JobPhase.WRITING)
        try:
            with transaction.atomic():
                summary = write_plans(job, plans, progress)
                return _finish(job, JobStatus.DONE, summary=summary)
        except ImportFailed as exc:
            return _finish(job, JobStatus.FAILED, errors=exc.errors)
        except IntegrityError:
            logger.warning("import %s: conflict while saving", job.pk, exc_info=True)
            message = _("another change to these products happened at the same time; try again")
            return _finish(job, JobStatus.FAILED, errors=[RowError(0, "file", message)])
    except Exception:
        # A bug or a lost database: the transaction is rolled back; say so, and let the worker
        # log it (a killed worker never gets here: the job is re-run by orphan recovery).
        message = _("an unexpected error stopped the import; nothing was changed")
        _finish(job, JobStatus.FAILED, errors=[RowError(0, "file", message)])
        raise
    finally:
        progress.close()


def check_file(job: ImportJob, progress: Progress) -> tuple[list, list[RowError]]:
    """Read and check every row; the plans are what would be saved."""
    try:
        sheet = read_sheet(job.file_format, bytes(job.content))
    except UnreadableFile as exc:
        return [], [exc.error]
    if job.total_rows != len(sheet.rows):
        job.total_rows = len(sheet.rows)
        ImportJob.objects.filter(pk=job.pk).update(total_rows=job.total_rows)
    errors = check_header(sheet.header)
    if errors:
        return [], errors
    rows, broken = [], set()
    for i, (number, cells) in enumerate(sheet.rows, start=1):
        named = {
            name: cell.strip()
            for name, cell in zip(sheet.header, cells, strict=False)
            if name and name not in ("image_urls",)
        }
        row, row_errors = parse_row(number, named)
        errors += row_errors
        if row is None:
            broken.add(named.get("product_ref", ""))
        else:
            rows.append(row)
        progress.checked(i)
    # Products whose every row reads are checked as wholes too, so one upload lists as many
    # mistakes as it can; a product with a broken row is left to its row errors.
    plans, plan_errors = planning.plan_products(
        job.shop, [row for row in rows if row.ref not in broken]
    )
    progress.checked(len(sheet.rows), final=True)
    errors += plan_errors
    return ([], errors) if errors else (plans, [])


def write_plans(job: ImportJob, plans: list, progress: Progress) -> dict:
    """Save every product through the catalog's services, inside the caller's transaction.
    Each product in its own savepoint, so all its errors are collected before rolling back."""
    user, shop = job.created_by, job.shop
    summary = {"created": 0, "updated": 0, "unchanged": 0}
    errors: list[RowError] = []
    written = 0
    for plan in plans:
        try:
            with transaction.atomic():
                outcome = save_product(user, shop, plan)
            summary[outcome] += 1
        except DomainError as exc:
            errors += planning.row_errors(plan, exc)
        written += len(plan.rows)
        progress.written(written)
    if errors:
        raise ImportFailed(errors)
    progress.written(written, final=True)
    return summary


def save_product(user, shop, plan: planning.ProductPlan) -> str:
    """One product of the file: create it, or change what differs. "created", "updated" or
    "unchanged"."""
    changes = planning.product_changes(plan)
    if plan.product is None:
        product = catalog.create_product(user, shop, changes)
        if plan.handle:
            ProductHandle.objects.create(shop=shop, handle=plan.handle, product=product)
        if plan.matrix:
            catalog.set_sku_matrix(user, product.pk, plan.specs, plan.matrix)
        if plan.status == "published":
            catalog.publish_product(user, product.pk)
        return "created"
    product = plan.product
    changed = False
    if changes:
        catalog.update_product(user, product.pk, changes)
        changed = True
    if planning.matrix_changed(plan):
        catalog.set_sku_matrix(user, product.pk, plan.specs, plan.matrix)
        changed = True
    if plan.status and plan.status != product.status:
        if plan.status == "published":
            catalog.publish_product(user, product.pk)
        elif plan.status == "delisted":
            catalog.delist_product(user, product.pk)
        changed = True
    return "updated" if changed else "unchanged"


def _finish(job: ImportJob, status: str, *, errors=(), summary=None) -> ImportJob:
    listed = [e.as_dict() for e in sorted(errors, key=lambda e: (e.row, e.column))[:MAX_ERRORS]]
    if len(errors) > MAX_ERRORS:
        more = len(errors) - MAX_ERRORS
        listed.append(
            {"row": 0, "column": "file", "message": _("and %(n)d more errors") % {"n": more}}
        )
    fields = {
        "status": status,
        "phase": JobPhase.FINISHED,
        "errors": listed,
        "summary": summary or {},
        "finished_at": timezone.now(),
    }
    if status == JobStatus.DONE:
        fields["rows_written"] = job.total_rows
        fields["rows_checked"] = job.total_rows
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job
