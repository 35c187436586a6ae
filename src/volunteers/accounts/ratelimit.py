"""Fixed-window rate limits for log-in, registration, account mail and certificate look-ups.

Counters live in the process; behind a load balancer each instance counts on its own,
which still bounds guessing to (instances x limit) per window.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Awaitable, Callable, Iterable
from functools import cache
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from volunteers.errors import TooManyRequests

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class RateLimiter:
    """Counts hits per (bucket, key) in windows of `window_seconds`."""

    def __init__(self, clock: Callable[[], Any], window_seconds: int = 60):
        self.clock = clock
        self.window = window_seconds
        self._hits: dict[tuple[str, str, int], int] = {}

    def hit(self, bucket: str, key: str, limit: int) -> None:
        """Count a hit; raise TooManyRequests past `limit` in the current window."""
        if not self.allow(bucket, key, limit):
            now = self.clock().timestamp()
            retry = math.ceil((int(now // self.window) + 1) * self.window - now)
            raise TooManyRequests(f"too many requests; try again in {retry} s", retry_after=retry)

    def allow(self, bucket: str, key: str, limit: int) -> bool:
        """Count a hit; whether it is within `limit` in the current window."""
        now = self.clock().timestamp()
        window = int(now // self.window)
        if len(self._hits) > 50_000:  # forget old windows
            self._hits = {k: v for k, v in self._hits.items() if k[2] >= window}
        k = (bucket, key, window)
        self._hits[k] = self._hits.get(k, 0) + 1
        return self._hits[k] <= limit


@cache
def _networks(proxies: tuple[str, ...]) -> tuple[Network | str, ...]:
    """Addresses and networks; an entry that is neither (a unix socket's name) matches literally."""
    out: list[Network | str] = []
    for p in proxies:
        try:
            out.append(ipaddress.ip_network(p, strict=False))
        except ValueError:
            out.append(p)
    return tuple(out)


def _in(host: str, networks: Iterable[Network | str]) -> bool:
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(host)
    except ValueError:
        address = None
    return any(host == n if isinstance(n, str) else (address is not None and address in n) for n in networks)


def client_key(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The caller's address; X-Forwarded-For counts only when the peer is a configured proxy.

    Of the forwarded chain, the last address that is not itself a trusted proxy is the
    client (the ones before it are whatever the client wrote).
    """
    client = connection.client
    host = client.host if client else "unknown"
    networks = _networks(connection.app.state.settings.trusted_proxies)
    if not networks or not _in(host, networks):
        return host
    chain = [h.strip() for h in connection.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(chain):
        if not _in(hop, networks):
            return hop
    return host


def rate_limited(bucket: str, per_minute: int | None = None) -> Callable[..., Awaitable[None]]:
    """A guard that limits calls to a route per client address."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        state = connection.app.state
        limit = per_minute or state.settings.rate_limit_per_minute
        state.rate_limiter.hit(bucket, client_key(connection), limit)

    return guard
