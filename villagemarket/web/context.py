"""Template context shared by every page."""

from django.conf import settings


def site(request):
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": "VillageMarket",
        "LANGUAGES": settings.LANGUAGES,
        "is_operator": bool(user and user.is_authenticated and user.is_staff),
    }
