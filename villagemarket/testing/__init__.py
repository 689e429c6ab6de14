"""Test helpers that know many apps (so they cannot live in core): personas and factories,
one thread-barrier runner for concurrency tests, one Chromium launcher for browser tests.

    from villagemarket.testing import make_product, make_user, client_for, PASSWORD
    from villagemarket.testing.threads import run_together
    from villagemarket.testing.browser import launch_chromium

Only tests, benchmarks and the root conftest import this package; application code never does
(the layer test in api/tests/test_layers.py checks it).
"""

from villagemarket.testing.personas import (
    PASSWORD,
    client_for,
    make_product,
    make_region_tree,
    make_shop,
    make_user,
)

__all__ = ["PASSWORD", "client_for", "make_product", "make_region_tree", "make_shop", "make_user"]
