"""Template context shared by every page."""

from django.conf import settings

from villagemarket.accounts.permissions import is_operator


def site(request):
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": "VillageMarket",
        "LANGUAGES": settings.LANGUAGES,
        "is_operator": is_operator(user),
    }
