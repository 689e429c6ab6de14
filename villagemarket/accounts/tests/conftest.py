import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    """Assert on English messages (the msgids); zh-Hans is covered by the translation work."""
    settings.LANGUAGE_CODE = "en"
