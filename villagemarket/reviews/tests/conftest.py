import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _no_cached_figures():
    """Reputation and category averages are cached; the local-memory cache outlives a test."""
    cache.clear()
    yield
    cache.clear()
