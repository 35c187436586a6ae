"""The app on a real uvicorn server on loopback, for tests whose requests must really run at once."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any


def serve(app: Any) -> Iterator[str]:
    """Serve `app` on a free loopback port and yield its base URL (a generator for a fixture)."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)
