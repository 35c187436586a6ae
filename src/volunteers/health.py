"""GET /health: is the service and its database answering.

The answer never waits on the database when it can help it. A probe (`SELECT 1` on a
connection of the pool) runs at most once at a time, in the background, when the last
one is more than `REFRESH` seconds old; `/health` answers from the last probe while that
is under `MAX_AGE` seconds old, and awaits a probe (up to `TIMEOUT`) only when there is
none that recent. Probing inline on every call, `/health` queued for a pool connection
and, on PostgreSQL, made four round trips (ping, BEGIN, SELECT, ROLLBACK), each a turn
of an event loop that other requests kept busy: p95 209 ms while one volunteer saved and
expanded the largest availability. A database that stops answering still turns
`/health` to 503 within `MAX_AGE` + `TIMEOUT` seconds.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from litestar import Response, get
from litestar.datastructures import State
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

REFRESH = 1.0  # seconds: a probe older than this is renewed in the background
MAX_AGE = 5.0  # seconds: an older probe is not believed; /health waits for a new one
TIMEOUT = 2.0  # seconds a probe may take before the database counts as unavailable


@dataclass
class DatabaseProbe:
    """The last answer of the database to `SELECT 1`, renewed in the background."""

    sessionmaker: async_sessionmaker[AsyncSession]
    ok: bool = False
    checked: float | None = None  # monotonic seconds of the last probe's end
    _running: asyncio.Task[bool] | None = field(default=None, repr=False)

    async def _probe(self) -> bool:
        try:
            async with asyncio.timeout(TIMEOUT):
                async with self.sessionmaker() as db:
                    await db.execute(text("SELECT 1"))
            ok = True
        except Exception:
            ok = False
        self.ok, self.checked = ok, time.monotonic()
        return ok

    def _start(self) -> asyncio.Task[bool]:
        loop = asyncio.get_running_loop()
        # A probe of another event loop (a test client's, gone) never finishes in this one.
        if self._running is None or self._running.done() or self._running.get_loop() is not loop:
            self._running = loop.create_task(self._probe())
        return self._running

    async def database_ok(self) -> bool:
        """The last probe's answer if recent enough (renewing it when due), else a new probe's."""
        age = None if self.checked is None else time.monotonic() - self.checked
        if age is not None and age < MAX_AGE:
            if age >= REFRESH:
                self._start()  # the next caller gets the new answer; this one does not wait
            return self.ok
        return await asyncio.shield(self._start())


@get(
    "/health",
    opt={"public": True},
    tags=["system"],
    summary="Service and database health",
    description=f"The database's answer is at most {MAX_AGE:.0f} s old; it is asked again every {REFRESH:.0f} s.",
    cache=False,
)
async def health(state: State) -> Response[dict[str, str]]:
    probe: DatabaseProbe | None = state.get("database_probe")
    if probe is None:
        probe = state.database_probe = DatabaseProbe(state.sessionmaker)
    if not await probe.database_ok():
        return Response({"status": "degraded", "database": "unavailable"}, status_code=503)
    return Response({"status": "ok", "database": "ok"})
