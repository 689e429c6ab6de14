from django.shortcuts import render


def home(request):
    return render(request, "web/home.html", {})


def placeholder(request, *args, **kwargs):
    """Stands in for a page another slice has not built yet."""
    return render(request, "web/placeholder.html", {}, status=200)
