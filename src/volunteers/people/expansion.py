"""Availability expanded in a worker process, so the server's event loop never waits for it.

The largest availability the limits allow (100 weekly rules, 400 exceptions of up to a
year each) takes about a second of CPU to expand over a year. In a thread (as before)
that second still held the interpreter lock: every time the event loop let go of it (each
socket write, each SQLite call) it waited up to the switch interval (5 ms) to get it back,
so a `/health` of a handful of such calls took tens of milliseconds while one volunteer
asked for her year. A process of its own shares no lock with the loop.

One pool per server process, shared by every app it builds, made on first use; its
worker ends with the server (`workers.follow_parent`) and runs at a lower priority
(nice 10), so on a machine short of cores the server's event loop comes first.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import multiprocessing
import os
import threading
import uuid
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from zoneinfo import ZoneInfo

from volunteers.people.availability import DatedException, Interval, WeeklyRule, expand_availability
from volunteers.workers import follow_parent

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _lower_priority() -> None:
    """In the worker: follow the server, and give way to it when both want a core."""
    follow_parent()
    with contextlib.suppress(OSError):
        os.nice(10)  # a second of expansion must not push the event loop off a busy machine's cores


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            spawn = multiprocessing.get_context("spawn")  # as workers.worker_pool, whose reasons hold here
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=spawn, initializer=_lower_priority)
        return _pool


def _discard(broken: ProcessPoolExecutor) -> None:
    global _pool
    with _pool_lock:
        if _pool is broken:
            _pool = None
    broken.shutdown(wait=False, cancel_futures=True)


def expand_local(
    rules: Mapping[uuid.UUID, Sequence[WeeklyRule]],
    exceptions: Mapping[uuid.UUID, Sequence[DatedException]],
    start: dt.date,
    end: dt.date,
    tz: str,
) -> dict[uuid.UUID, list[Interval]]:
    """In the worker: each volunteer's intervals for start..end, in the partnership's local time."""
    zone = ZoneInfo(tz)
    out: dict[uuid.UUID, list[Interval]] = {}
    for p, own in rules.items():
        intervals = expand_availability(own, exceptions[p], start, end, zone)
        out[p] = [(s.astimezone(zone), e.astimezone(zone)) for s, e in intervals]
    return out


async def expand_in_worker(
    rules: Mapping[uuid.UUID, Sequence[WeeklyRule]],
    exceptions: Mapping[uuid.UUID, Sequence[DatedException]],
    start: dt.date,
    end: dt.date,
    tz: str,
) -> dict[uuid.UUID, list[Interval]]:
    """`expand_local` run in the expansion worker; a worker that died is replaced once."""
    loop = asyncio.get_running_loop()
    for attempt in (1, 2):
        pool = _executor()
        try:
            return await loop.run_in_executor(pool, expand_local, rules, exceptions, start, end, tz)
        except BrokenProcessPool:
            _discard(pool)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
