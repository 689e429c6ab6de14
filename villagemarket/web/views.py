from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

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


def operator_only(view):
    """Pages for the platform's operators.

    TODO(merge): replace by accounts.permissions.operator_required once it lands (h/accounts);
    until then an operator is an active staff user, as in the back-office.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@operator_only
def operator_dashboard(request):
    """Queues that wait for an operator (shops to verify, held listings, refunds owed) and
    today's figures."""
    context = {
        "shops": dashboard.shops_to_verify(),
        "listings": dashboard.held_listings(),
        "refunds": dashboard.payments_to_refund(),
        "today": dashboard.today(),
    }
    return render(request, "web/operator_dashboard.html", context)
