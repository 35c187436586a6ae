"""Fixed-window rate limits for log-in, registration and certificate look-ups.

Counters live in the process; behind a load balancer each instance counts on its own,
which still bounds guessing to (instances x limit) per window.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from volunteers.errors import TooManyRequests


class RateLimiter:
    """Counts hits per (bucket, key) in windows of `window_seconds`."""

    def __init__(self, clock: Callable[[], Any], window_seconds: int = 60):
        self.clock = clock
        self.window = window_seconds
        self._hits: dict[tuple[str, str, int], int] = {}

    def hit(self, bucket: str, key: str, limit: int) -> None:
        """Count a hit; raise TooManyRequests past `limit` in the current window."""
        now = self.clock().timestamp()
        window = int(now // self.window)
        if len(self._hits) > 50_000:  # forget old windows
            self._hits = {k: v for k, v in self._hits.items() if k[2] >= window}
        k = (bucket, key, window)
        self._hits[k] = self._hits.get(k, 0) + 1
        if self._hits[k] > limit:
            retry = math.ceil((window + 1) * self.window - now)
            raise TooManyRequests(f"too many requests; try again in {retry} s", retry_after=retry)


def client_key(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    client = connection.client
    return client.host if client else "unknown"


def rate_limited(bucket: str, per_minute: int | None = None) -> Callable[..., Awaitable[None]]:
    """A guard that limits calls to a route per client address."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        state = connection.app.state
        limit = per_minute or state.settings.rate_limit_per_minute
        state.rate_limiter.hit(bucket, client_key(connection), limit)

    return guard
