"""Bench-only settings for bench/search.py: the site's settings with bench/search_urls.py as
the URLconf (the site plus the pre-index LIKE search at /bench/like-search). Used as
DJANGO_SETTINGS_MODULE=bench.search_site by the gunicorn the bench starts; never imported by the
application.
"""

import copy as _copy
import os as _os

from villagemarket.config import settings as _site

globals().update({name: getattr(_site, name) for name in dir(_site) if name.isupper()})
ROOT_URLCONF = "bench.search_urls"
if "VM_BENCH_CACHE_PREFIX" in _os.environ:
    # The machine's Redis is shared: this run's keys only (bench/search.py sets a fresh prefix).
    CACHES = _copy.deepcopy(_site.CACHES)
    CACHES["default"]["KEY_PREFIX"] = _os.environ["VM_BENCH_CACHE_PREFIX"]
