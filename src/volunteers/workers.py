"""Worker processes that go when their server goes.

A process-pool worker waits on a pipe whose writing end it holds itself, so it never
sees its server stop or die (SIGKILL, a crash): it would live on as an orphan, holding
its memory (a solver's problem, a renderer's fonts). Each pool's initializer calls
`follow_parent`, which ends the worker once its parent is gone.
"""

from __future__ import annotations

import os
import threading
import time


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def follow_parent() -> None:
    """In a worker process: exit as soon as the process that started it is gone."""
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True, name="parent-watch").start()
