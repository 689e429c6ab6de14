from villagemarket.catalog.stock import release, reserve  # noqa: F401  (moved to catalog)
