from django.shortcuts import render
from django.views.decorators.http import require_GET

from villagemarket.catalog import storefront


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
