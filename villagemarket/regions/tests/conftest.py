from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "package"


@pytest.fixture
def package_dir() -> Path:
    """The small package-format CSVs written for these tests (not the real package)."""
    return FIXTURES


@pytest.fixture
def loaded(db, package_dir):
    """The fixture tree loaded with villages."""
    from villagemarket.regions.services import load_regions

    return load_regions(package_dir, levels=(1, 2, 3, 4, 5))


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests read English messages; zh-Hans translations, added later, must not break them."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
