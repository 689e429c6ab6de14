import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    """Assert on English messages (the msgids); zh-Hans is covered by the translation work."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache, which the local-memory backend keeps across tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
