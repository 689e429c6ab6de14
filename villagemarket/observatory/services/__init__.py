"""Observatory use-cases that change state, one module per concern:

- `sales`: record_sale / record_refund — count a completed order or a paid refund into the shop's
  daily rollup (idempotent per reference; the orders slice calls them).
- `statistics_import`: import_statistics / remove_import — imported village statistics, all or
  nothing, with row errors.
- `designations`: compute_year — a year's Taobao villages, towns and clusters from the rollups
  and the imports, under the rule set of that year.
"""

from villagemarket.observatory.services.designations import (
    ComputeResult,
    compute_year,
    rule_set_for,
)
from villagemarket.observatory.services.sales import record_refund, record_sale
from villagemarket.observatory.services.statistics_import import (
    import_statistics,
    parse_statistics,
    remove_import,
)

__all__ = [
    "ComputeResult",
    "compute_year",
    "import_statistics",
    "parse_statistics",
    "record_refund",
    "record_sale",
    "remove_import",
    "rule_set_for",
]
