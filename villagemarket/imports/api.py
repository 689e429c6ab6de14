"""The import/export API (/api/v1/imports/): shop staff upload a product file, follow its job
and read its errors, and download the shop's products as CSV or XLSX. Same permissions as the
catalog's seller endpoints: the shop's owner and staff; anyone else gets 404."""

# No `from __future__ import annotations`: @paginate rebuilds the signature.
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from villagemarket.accounts.auth import user_auth
from villagemarket.core.errors import NotFound
from villagemarket.core.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from villagemarket.core.idempotency import idempotent
from villagemarket.core.pagination import PageNumber
from villagemarket.core.validation import DbId
from villagemarket.shops.permissions import shop_for_member

from . import downloads, selectors, services
from .columns import COLUMNS

router = Router(tags=["imports"])


class ImportErrorOut(Schema):
    row: int = Field(..., description="Spreadsheet row (the header is row 1); 0 = the whole file.")
    column: str
    message: str


class ImportJobOut(Schema):
    id: int
    filename: str
    file_format: str
    status: str = Field(..., description="queued, running, done or failed.")
    phase: str = Field(..., description="waiting, checking, writing or finished.")
    total_rows: int
    rows_checked: int
    rows_written: int
    percent: int
    error_count: int
    summary: dict[str, int] = Field(..., description="Products created, updated, unchanged.")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def resolve_error_count(obj) -> int:
        return len(obj.errors or [])


def _job(shop, job_id: int):
    job = selectors.shop_job(shop, job_id)
    if job is None:
        raise NotFound(_("No such import."))
    return job


@router.post("/shops/{slug}/jobs", response={201: ImportJobOut}, auth=user_auth)
@idempotent
def upload(request: HttpRequest, slug: str, file: File[UploadedFile]):
    """Upload a product file (CSV or XLSX, multipart field `file`). Small files are imported
    at once (the answer is done or failed); larger ones are queued (poll the job). A failed job
    lists its errors and changed nothing. Send `Idempotency-Key` so a retry is not a second
    import."""
    shop = shop_for_member(request.auth, slug)
    services.refuse_oversized(file.size)
    job = services.start_import(request.auth, shop, filename=file.name, content=file.read())
    return Status(201, _job(shop, job.pk))


@router.get("/shops/{slug}/jobs", response=list[ImportJobOut], auth=user_auth)
@paginate(PageNumber)
def jobs(request: HttpRequest, slug: str):
    """The shop's imports, newest first."""
    return selectors.shop_jobs(shop_for_member(request.auth, slug))


@router.get("/shops/{slug}/jobs/{job_id}", response=ImportJobOut, auth=user_auth)
def job(request: HttpRequest, slug: str, job_id: DbId):
    """One import's status and progress (rows checked, rows saved)."""
    return _job(shop_for_member(request.auth, slug), job_id)


@router.get("/shops/{slug}/jobs/{job_id}/errors", response=list[ImportErrorOut], auth=user_auth)
@paginate(PageNumber)
def job_errors(request: HttpRequest, slug: str, job_id: DbId):
    """A failed import's errors by row and column."""
    return _job(shop_for_member(request.auth, slug), job_id).errors


def _file_response(description: str, content_type: str) -> dict:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


@router.get(
    "/shops/{slug}/export.csv",
    response={200: None},
    auth=user_auth,
    summary="The shop's products as CSV (UTF-8 with BOM), one row per SKU",
    openapi_extra=_file_response("Columns: " + ", ".join(COLUMNS), "text/csv"),
)
def export_csv(request: HttpRequest, slug: str):
    return _export(shop_for_member(request.auth, slug), "csv")


@router.get(
    "/shops/{slug}/export.xlsx",
    response={200: None},
    auth=user_auth,
    summary="The shop's products as XLSX, one row per SKU",
    openapi_extra=_file_response("Columns: " + ", ".join(COLUMNS), XLSX_CONTENT_TYPE),
)
def export_xlsx(request: HttpRequest, slug: str):
    return _export(shop_for_member(request.auth, slug), "xlsx")


def _export(shop, file_format: str) -> HttpResponse:
    content, content_type = downloads.export_file(shop, file_format)
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="{shop.slug}-products-{stamp}.{file_format}"'
    )
    return response


__all__ = ["router", "CSV_CONTENT_TYPE"]
