"""Cheap hot counters: product page views and a shop's unique visitors, counted without a
database write per view (docs/insights.md, "Counters").

A page calls `record_product_view(request, product_id, shop_id)`. Where the count goes:

- Redis (`REDIS_URL` set): one pipelined round trip per view. `HINCRBY` on the day's hash of
  product views and of shop views, `PFADD` of the visitor into the day's HyperLogLog of that
  shop (unique visitors in 12 KB whatever their number), and `SADD` of the shop into the day's
  set of shops with visitors. The worker's sweep (`drain`) takes the view hashes away atomically
  (`HGETALL` + `DEL` in one MULTI), so two overlapping sweeps each get a disjoint part and
  nothing is counted twice or lost; the HyperLogLogs stay until they expire (3 days) and are
  read with `PFCOUNT` (a day's total so far, not an increment).
- No Redis (the SQLite demo, a trial): an in-process buffer under a lock. It is handed to the
  sink at most every `COUNTERS_FLUSH_SECONDS` (default 30) by the request that finds it due, and
  at process exit; a process killed with SIGKILL loses at most that many seconds of counts.

Days are the site time zone's (Asia/Shanghai). Core knows no app: the app that stores the
counts registers a sink (`set_sink`), and the app that knows visitors registers how to name one
(`set_visitor_resolver`; insights uses anti-brushing's device cookie).
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)
HLL_TTL_SECONDS = 3 * 24 * 3600
Key = tuple[dt.date, int]  # (day, product or shop id)


@dataclass
class Drained:
    """What a flush hands to the sink. Views are increments since the last flush; visitors are
    either the hashed ids seen (in-process buffer) or a day's whole count so far (Redis)."""

    product_views: Counter = field(default_factory=Counter)  # (day, product_id) -> views
    shop_views: Counter = field(default_factory=Counter)  # (day, shop_id) -> views
    visitor_ids: dict[Key, set[str]] = field(default_factory=dict)  # (day, shop_id) -> ids
    visitor_totals: dict[Key, int] = field(default_factory=dict)  # (day, shop_id) -> PFCOUNT

    def __bool__(self) -> bool:
        return bool(
            self.product_views or self.shop_views or self.visitor_ids or self.visitor_totals
        )


Sink = Callable[[Drained], None]
_sink: Sink | None = None
_visitor_resolver: Callable[[object], str] | None = None


def set_sink(sink: Sink) -> None:
    """The function that stores drained counts (insights registers it in its ready())."""
    global _sink
    _sink = sink


def set_visitor_resolver(resolver: Callable[[object], str]) -> None:
    """How to name the visitor of a request (a long-lived device id)."""
    global _visitor_resolver
    _visitor_resolver = resolver


def today() -> dt.date:
    return timezone.localdate()


def visitor_of(request) -> str:
    """A short, non-reversible id of the visitor: the registered resolver's answer (the device
    cookie), else the session, else "" (not counted as a visitor, the view still counts)."""
    raw = _visitor_resolver(request) if _visitor_resolver else ""
    if not raw:
        session = getattr(request, "session", None)
        raw = getattr(session, "session_key", None) or ""
    return hashlib.blake2b(raw.encode(), digest_size=8).hexdigest() if raw else ""


# --- Redis ---------------------------------------------------------------------------------
_redis_client = None
_redis_url = ""


def _redis():
    """One client per process for `REDIS_URL` (None without Redis)."""
    global _redis_client, _redis_url
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return None
    if _redis_client is None or url != _redis_url:
        import redis

        _redis_client, _redis_url = redis.Redis.from_url(url), url
    return _redis_client


def _prefix() -> str:
    return getattr(settings, "COUNTERS_KEY_PREFIX", "vm:counters")


def _keys(day: dt.date) -> dict[str, str]:
    p, d = _prefix(), day.isoformat()
    return {
        "product": f"{p}:pv:{d}",
        "shop": f"{p}:sv:{d}",
        "shops": f"{p}:uvshops:{d}",
        "visitors": f"{p}:uv:{d}:",  # + shop id
    }


def _record_redis(client, day: dt.date, product_id: int, shop_id: int, visitor: str) -> None:
    keys = _keys(day)
    pipe = client.pipeline(transaction=False)
    pipe.hincrby(keys["product"], product_id, 1)
    pipe.hincrby(keys["shop"], shop_id, 1)
    if visitor:
        hll = keys["visitors"] + str(shop_id)
        pipe.pfadd(hll, visitor)
        pipe.expire(hll, HLL_TTL_SECONDS)
        pipe.sadd(keys["shops"], shop_id)
        pipe.expire(keys["shops"], HLL_TTL_SECONDS)
    pipe.execute()


def _drain_redis(client, days: list[dt.date]) -> Drained:
    drained = Drained()
    for day in days:
        keys = _keys(day)
        pipe = client.pipeline(transaction=True)  # MULTI/EXEC: read and delete as one step
        pipe.hgetall(keys["product"])
        pipe.delete(keys["product"])
        pipe.hgetall(keys["shop"])
        pipe.delete(keys["shop"])
        pipe.smembers(keys["shops"])
        products, _d1, shops, _d2, visited = pipe.execute()
        for pid, n in products.items():
            drained.product_views[(day, int(pid))] += int(n)
        for sid, n in shops.items():
            drained.shop_views[(day, int(sid))] += int(n)
        ids = sorted(int(s) for s in visited)
        if ids:
            counts = client.pipeline(transaction=False)
            for sid in ids:
                counts.pfcount(keys["visitors"] + str(sid))
            for sid, total in zip(ids, counts.execute(), strict=True):
                drained.visitor_totals[(day, sid)] = int(total)
    return drained


# --- in-process buffer ---------------------------------------------------------------------
class Buffer:
    """Counts of this process since its last flush (used when there is no Redis)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending = Drained()
        self.last_flush = time.monotonic()

    def add(self, day: dt.date, product_id: int, shop_id: int, visitor: str) -> bool:
        """Count one view; True when a flush is due."""
        with self.lock:
            self.pending.product_views[(day, product_id)] += 1
            self.pending.shop_views[(day, shop_id)] += 1
            if visitor:
                self.pending.visitor_ids.setdefault((day, shop_id), set()).add(visitor)
            due = time.monotonic() - self.last_flush >= flush_seconds()
        return due

    def put_back(self, drained: Drained) -> None:
        """Counts a failed flush could not store: they wait for the next one."""
        with self.lock:
            self.pending.product_views.update(drained.product_views)
            self.pending.shop_views.update(drained.shop_views)
            for key, ids in drained.visitor_ids.items():
                self.pending.visitor_ids.setdefault(key, set()).update(ids)

    def take(self) -> Drained:
        with self.lock:
            taken, self.pending = self.pending, Drained()
            self.last_flush = time.monotonic()
        return taken


_buffer = Buffer()


def flush_seconds() -> float:
    return float(getattr(settings, "COUNTERS_FLUSH_SECONDS", 30))


def record_product_view(request, product_id: int, shop_id: int) -> None:
    """Count one view of a product page (and the shop's visitor). Never writes the database
    here, except the in-process buffer's flush every COUNTERS_FLUSH_SECONDS; never fails the
    page (a counter that cannot count is not worth a broken product page)."""
    visitor = visitor_of(request)
    day = today()
    client = _redis()
    if client is not None:
        try:
            _record_redis(client, day, product_id, shop_id, visitor)
        except Exception:  # noqa: BLE001 - Redis down: the page is served, the view is lost
            return
        return
    if _buffer.add(day, product_id, shop_id, visitor):
        try:
            flush_buffer()
        except Exception:  # noqa: BLE001 - the database is busy: the counts wait, the page is served
            logger.warning("view counters: flush failed, kept for the next one", exc_info=True)


def flush_buffer() -> Drained:
    """Hand this process's buffered counts to the sink now; returns what was handed. When the
    sink fails the counts go back into the buffer (and the error is raised)."""
    taken = _buffer.take()
    if taken and _sink is not None:
        try:
            _sink(taken)
        except Exception:
            _buffer.put_back(taken)
            raise
    return taken


def drain() -> Drained:
    """Take what is counted so far (Redis: today's and yesterday's keys; else this process's
    buffer) and hand it to the sink. The worker's periodic sweep calls it."""
    client = _redis()
    if client is None:
        return flush_buffer()
    day = today()
    drained = _drain_redis(client, [day - dt.timedelta(days=1), day])
    if drained and _sink is not None:
        try:
            _sink(drained)
        except Exception:
            _put_back_redis(client, drained)
            raise
    return drained


def _put_back_redis(client, drained: Drained) -> None:
    """Views a failed flush took from Redis go back (HINCRBY), so the next sweep stores them."""
    pipe = client.pipeline(transaction=False)
    for (day, pid), n in drained.product_views.items():
        pipe.hincrby(_keys(day)["product"], pid, n)
    for (day, sid), n in drained.shop_views.items():
        pipe.hincrby(_keys(day)["shop"], sid, n)
    pipe.execute()


def _flush_at_exit() -> None:
    try:
        if _redis() is None:
            flush_buffer()
    except Exception:  # noqa: BLE001, S110 - the process is ending: nothing left to tell
        pass


atexit.register(_flush_at_exit)
