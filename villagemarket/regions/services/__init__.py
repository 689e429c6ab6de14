"""Use-cases that change regions: load the NBS tree, load the demo's regions, import villages.

Other slices import from here: `from villagemarket.regions.services import load_demo_regions`.
"""

from villagemarket.regions.services.loading import (
    LoadResult,
    load_demo_regions,
    load_regions,
    parse_levels,
)
from villagemarket.regions.services.village_import import ImportResult, import_villages

__all__ = [
    "ImportResult",
    "LoadResult",
    "import_villages",
    "load_demo_regions",
    "load_regions",
    "parse_levels",
]
