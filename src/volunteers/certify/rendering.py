"""Rendering off the event loop: one thread for single certificates, a process pool for bulk.

The credential is signed in the service's own process; renderers only lay out the page
around it, so worker processes never hold the private key, and the stored credential is
by construction the one embedded in the PDF.

The bulk pool is shared by this process's bulk issues and kept warm between them (each
worker builds its renderer, fonts and stylesheet, once); it is shut down after
`POOL_IDLE_SECONDS` without a bulk issue, and made again when the next one starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import threading
from collections.abc import AsyncIterator, Mapping
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from certificates import CertificateData
from volunteers.workers import follow_parent

if TYPE_CHECKING:
    from certificates import CertificateRenderer

# Rendering is CPU-bound Python: one thread is enough to keep the event loop free.
_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="certificate-render")
_local = threading.local()
_worker: CertificateRenderer | None = None
POOL_IDLE_SECONDS = 300.0


def _renderer() -> CertificateRenderer:
    renderer: CertificateRenderer | None = getattr(_local, "renderer", None)
    if renderer is None:
        from certificates import CertificateRenderer

        renderer = _local.renderer = CertificateRenderer()
    return renderer


def render_now(data: CertificateData, credential: Mapping[str, Any]) -> bytes:
    """The PDF of one signed certificate, in the calling thread."""
    return _renderer().render_with_credential(data, credential)


async def render(data: CertificateData, credential: Mapping[str, Any]) -> bytes:
    """The PDF of one signed certificate, rendered in the render thread."""
    return await asyncio.get_running_loop().run_in_executor(_THREAD, render_now, data, credential)


def _init_worker() -> None:
    global _worker  # one renderer (fonts, stylesheet) per worker process is the point
    follow_parent()  # no orphans when the server stops or is killed
    from certificates import CertificateRenderer
    from certificates.render import settle_worker

    _worker = CertificateRenderer()
    # Warm WeasyPrint's caches (fonts, shaping) before the first real certificate, and
    # keep what the worker holds for good out of the garbage collector's scans.
    settle_worker(_worker)


def render_in_worker(data: CertificateData, credential: dict[str, Any]) -> bytes:
    """Run in a pool worker: the PDF of one signed certificate."""
    assert _worker is not None, "worker not initialised"
    return _worker.render_with_credential(data, credential)


def pool_size() -> int:
    """Worker processes for bulk rendering: the cores there are, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


class BulkPool:
    """A 'spawn' process pool (safe from a threaded server), shared and kept warm while in use."""

    def __init__(self, processes: int | None = None, idle_seconds: float = POOL_IDLE_SECONDS) -> None:
        self._processes = processes
        self._idle_seconds = idle_seconds
        self._executor: ProcessPoolExecutor | None = None
        self._users = 0
        self._idle: asyncio.TimerHandle | None = None

    @contextlib.asynccontextmanager
    async def acquired(self) -> AsyncIterator[Executor]:
        """The pool's executor, for the length of one bulk issue."""
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        if self._executor is None:
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(
                self._processes or pool_size(), mp_context=context, initializer=_init_worker
            )
        executor = self._executor
        self._users += 1
        try:
            yield executor
        except BrokenProcessPool:
            # A worker died (killed, out of memory): the next issue gets a fresh pool.
            if self._executor is executor:
                self._executor = None
            executor.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            self._users -= 1
            if self._users == 0 and self._executor is not None:
                self._idle = asyncio.get_running_loop().call_later(self._idle_seconds, self.shutdown)

    def shutdown(self) -> None:
        """Stop the worker processes (they are made again when needed)."""
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None


BULK_POOL = BulkPool()
