"""Rendering off the event loop: one thread for single certificates, a process pool for bulk.

The credential is signed in the service's own process; renderers only lay out the page
around it, so worker processes never hold the private key, and the stored credential is
by construction the one embedded in the PDF.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from certificates import CertificateData

if TYPE_CHECKING:
    from certificates import CertificateRenderer

# Rendering is CPU-bound Python: one thread is enough to keep the event loop free.
_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="certificate-render")
_local = threading.local()
_worker: CertificateRenderer | None = None


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
    from certificates import CertificateRenderer

    _worker = CertificateRenderer()


def _render_in_worker(job: tuple[CertificateData, dict[str, Any]]) -> bytes:
    assert _worker is not None, "worker not initialised"
    return _worker.render_with_credential(job[0], job[1])


def pool_size() -> int:
    """Worker processes for bulk rendering: the cores there are, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


def render_in_pool(jobs: Sequence[tuple[CertificateData, dict[str, Any]]], processes: int | None = None) -> list[bytes]:
    """Render many signed certificates in a 'spawn' process pool (safe from a threaded server)."""
    if not jobs:
        return []
    workers = min(processes or pool_size(), len(jobs))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker) as pool:
        return list(pool.map(_render_in_worker, jobs, chunksize=max(1, min(8, len(jobs) // (workers * 4)))))
