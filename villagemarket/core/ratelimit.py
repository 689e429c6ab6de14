"""A small fixed-window counter on Django's cache (Redis in production, else the database cache).

Used for failed sign-ins: `hit()` after each failure, `wait_seconds()` before checking a password.
State lives in the shared cache, never in process memory, so every app server sees the same count.

Atomicity: on Redis and the local-memory cache `incr` is atomic, so a window's counter is
`add(key, 0)` then `incr(key)`. Django's database cache implements `incr` as get-then-set, which
loses updates when two failures race; there each failure instead claims the next numbered slot with
`add`, an INSERT on a unique key, so concurrent failures can never share a count.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import BaseCache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache


@dataclass(frozen=True)
class FixedWindow:
    """At most `limit` hits per `window` seconds for one identity in one scope."""

    scope: str
    limit: int
    window: int
    cache_alias: str = "default"

    @property
    def cache(self) -> BaseCache:
        return caches[self.cache_alias]

    def _window_start(self, now: float) -> int:
        return int(now // self.window) * self.window

    def _key(self, identity: str, now: float) -> str:
        # Hash the identity: keys stay short and never hold an email or address in clear text.
        digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
        return f"rl:{self.scope}:{digest}:{self._window_start(now)}"

    def _seconds_left(self, now: float) -> int:
        return max(1, math.ceil(self._window_start(now) + self.window - now))

    def _atomic_incr(self) -> bool:
        return isinstance(self.cache, RedisCache | LocMemCache)

    def hit(self, identity: str, *, now: float | None = None) -> int:
        """Count one hit for `identity` in the current window; return the count so far."""
        now = time.time() if now is None else now
        key = self._key(identity, now)
        # A little past the window's end, so a key never expires while still in use.
        timeout = self._seconds_left(now) + 5
        if self._atomic_incr():
            self.cache.add(key, 0, timeout)
            try:
                return self.cache.incr(key)
            except ValueError:  # expired between add and incr: this hit starts the count
                self.cache.add(key, 1, timeout)
                return 1
        # Past the limit the count no longer matters, so the slots stop there.
        for slot in range(1, self.limit + 1):
            if self.cache.add(f"{key}:{slot}", 1, timeout):
                return slot
        return self.limit + 1

    def count(self, identity: str, *, now: float | None = None) -> int:
        """Hits for `identity` in the current window (capped at limit + 1 on the database cache)."""
        now = time.time() if now is None else now
        key = self._key(identity, now)
        if self._atomic_incr():
            return int(self.cache.get(key, 0))
        slots = self.cache.get_many([f"{key}:{slot}" for slot in range(1, self.limit + 1)])
        return len(slots)

    def wait_seconds(self, identity: str, *, now: float | None = None) -> int:
        """0 if `identity` may go on; otherwise the seconds until the window ends."""
        now = time.time() if now is None else now
        if self.count(identity, now=now) >= self.limit:
            return self._seconds_left(now)
        return 0

    def reset(self, identity: str, *, now: float | None = None) -> None:
        """Forget the current window's hits for `identity` (e.g. after a successful sign-in)."""
        now = time.time() if now is None else now
        key = self._key(identity, now)
        self.cache.delete_many([key, *(f"{key}:{slot}" for slot in range(1, self.limit + 1))])
