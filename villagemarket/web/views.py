from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from villagemarket.accounts.permissions import operator_required
from villagemarket.catalog import storefront

from . import dashboard


@require_GET
def home(request):
    """Category strip, featured villages (with shop counts), featured shops, new products."""
    context = {
        "categories": storefront.root_categories(),
        "villages": storefront.featured_villages(),
        "shops": storefront.featured_shops(),
        "products": storefront.new_products(),
    }
    return render(request, "web/home.html", context)


def placeholder(request, *args, **kwargs):
    """Stands in for a page another slice has not built yet."""
    return render(request, "web/placeholder.html", {}, status=200)


def favicon(request):
    """/favicon.ico for pages that link none (JSON answers, downloads): the static icon."""
    return redirect(static("web/favicon.ico"))


@require_GET
@operator_required
def operator_dashboard(request):
    """Queues that wait for an operator (shops to verify, held listings, refunds owed) and
    today's figures."""
    context = {
        "shops": dashboard.shops_to_verify(),
        "cases": dashboard.moderation_cases(),
        "refunds": dashboard.payments_to_refund(),
        "today": dashboard.today(),
    }
    return render(request, "web/operator_dashboard.html", context)
