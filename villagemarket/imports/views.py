"""Seller-center import/export pages, under /seller/imports/<shop_slug>/.

Thin: the upload goes to services.start_import, downloads come from selectors; the job page
polls itself with htmx while the job runs (and refreshes itself without JavaScript).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from villagemarket.core.errors import DomainError
from villagemarket.core.forms import apply_domain_error
from villagemarket.shops.permissions import shop_member_required

from . import downloads, selectors, services
from .columns import COLUMNS, INLINE_ROWS, MAX_FILE_BYTES, MAX_ROWS
from .forms import UploadForm

POLL_SECONDS = 2
FORMATS = ("csv", "xlsx")


@shop_member_required()
@require_http_methods(["GET", "POST"])
def job_list(request: HttpRequest) -> HttpResponse:
    """Upload form, template and export downloads, and the shop's past imports."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.refuse_oversized(upload.size)
            content = upload.read()
            job = services.start_import(
                request.user, request.shop, filename=upload.name, content=content
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return redirect("seller_imports:job", shop_slug=request.shop.slug, pk=job.pk)
    page = Paginator(selectors.shop_jobs(request.shop), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/list.html",
        {
            "shop": request.shop,
            "form": form,
            "page": page,
            "columns": COLUMNS,
            "max_mb": MAX_FILE_BYTES // 1024 // 1024,
            "max_rows": MAX_ROWS,
            "inline_rows": INLINE_ROWS,
        },
    )


@shop_member_required()
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One import: progress while it runs (polled by htmx, or refreshed), then its result."""
    job = selectors.shop_job(request.shop, pk)
    if job is None:
        raise Http404
    context = {"shop": request.shop, "job": job, "poll_seconds": POLL_SECONDS}
    if request.htmx:
        return render(request, "imports/_progress.html", context)
    response = render(request, "imports/job.html", context)
    if not job.is_finished:
        response["Refresh"] = str(POLL_SECONDS * 2)  # without JavaScript the page reloads itself
    return response


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@shop_member_required()
@require_GET
def export(request: HttpRequest, file_format: str) -> HttpResponse:
    """All the shop's products, one row per SKU, as CSV or XLSX."""
    if file_format not in FORMATS:
        raise Http404
    stamp = timezone.localdate().isoformat()
    content, content_type = downloads.export_file(request.shop, file_format)
    return _download(content, content_type, f"{request.shop.slug}-products-{stamp}.{file_format}")


@shop_member_required()
@require_GET
def template(request: HttpRequest, file_format: str) -> HttpResponse:
    """The header row and one example product, as CSV or XLSX."""
    if file_format not in FORMATS:
        raise Http404
    content, content_type = downloads.template_file(file_format)
    return _download(content, content_type, f"products-template.{file_format}")
