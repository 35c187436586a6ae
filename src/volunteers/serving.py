"""uvicorn's HTTP protocol with each response's writes joined into one.

uvicorn (httptools) writes a response's head as soon as the app starts the response and
its body when the body comes: two system calls, two TCP segments (it sets TCP_NODELAY)
and two wake-ups of the client, for every response. On this service's small JSON
answers the two writes were about a third of the server's CPU per request (py-spy on
`samverka serve`). The app sends head and body in the same turn of the event loop, so
holding writes until the end of that turn sends them as one.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from volunteers.settings import Settings


class JoinedWrites:
    """A transport whose writes in one turn of the event loop leave as one write."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop):
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(bytes(data))

    def writelines(self, lines: Any) -> None:
        for data in lines:
            self.write(data)

    def flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(map(len, self._pending))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class Protocol(HttpToolsProtocol):
    """`samverka serve`'s HTTP protocol: uvicorn's httptools protocol with joined writes."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(JoinedWrites(transport, self.loop))  # type: ignore[arg-type]


def uvicorn_options(settings: Settings, host: str, port: int, workers: int = 1) -> dict[str, Any]:
    """How `samverka serve` runs uvicorn.

    X-Forwarded-For and -Proto are believed only from SAMVERKA_TRUSTED_PROXIES (uvicorn's
    own default believes 127.0.0.1, so anything on the same host could choose its address).
    The access log leaves out query strings that carry account links' secrets.
    """
    install_access_log_redaction()
    return {
        "host": host,
        "port": port,
        "workers": workers,
        "http": Protocol,  # httptools, each response in one write
        "log_level": "info",
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": list(settings.trusted_proxies),
    }


_SECRET_IN_QUERY = re.compile(r"(token=)[^&\s]+")


class RedactLinkSecrets(logging.Filter):
    """Blank the secret of account links (`?token=`) in access-log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _SECRET_IN_QUERY.sub(r"\1[redacted]", a) if isinstance(a, str) else a for a in record.args
            )
        elif isinstance(record.msg, str):
            record.msg = _SECRET_IN_QUERY.sub(r"\1[redacted]", record.msg)
        return True


def install_access_log_redaction() -> None:
    """Put the filter on uvicorn's access log (once per process; every worker builds the app)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactLinkSecrets) for f in access.filters):
        access.addFilter(RedactLinkSecrets())
