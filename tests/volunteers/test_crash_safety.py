"""SIGKILL in the middle of a plan publication: after a restart nothing is half-written.

A real `samverka serve` runs on the test's database (SQLite and PostgreSQL) seeded with
the demo partnership; a match run is computed, its publication is started and the
server is killed with SIGKILL at several moments. After each restart the run is either
fully published (every proposal written) or not at all, everything committed before is
still there, and publishing again then succeeds.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
from seeds.demo import seed_demo
from sqlalchemy import func, select

from service_support import run_db
from volunteers.db.models import Assignment, MatchRun, MatchRunStatus

PASSWORD = "pettersberg-demo-2026"
TODAY = dt.date(2026, 11, 26)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(settings) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "SAMVERKA_DATA_DIR": str(settings.data_dir),
        "DATABASE_URL": settings.database_url,
        "SAMVERKA_SECRET_KEY": "crash-test",
        "SAMVERKA_RATE_LIMIT_PER_MINUTE": "1000",
        "SAMVERKA_JOBS_INTERVAL": "0",
    }
    samverka = Path(sys.executable).parent / "samverka"
    proc = subprocess.Popen(
        [str(samverka), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        assert proc.poll() is None, "server exited"
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.1)


def coordinator(url: str) -> httpx.Client:
    c = httpx.Client(base_url=url, timeout=60)
    c.post("/api/auth/login", json={"email": "samordnare@demo.samverka.se", "password": PASSWORD}).raise_for_status()
    c.get("/health")
    c.headers["x-csrftoken"] = c.cookies["csrftoken"]
    return c


def run_state(settings, run_id):
    async def q(db):
        run = await db.get(MatchRun, run_id)
        written = (
            await db.execute(select(func.count()).select_from(Assignment).where(Assignment.match_run_id == run_id))
        ).scalar_one()
        total = (await db.execute(select(func.count()).select_from(Assignment))).scalar_one()
        return run.status, written, total, len(run.plan["assignments"])

    return run_db(settings, q)


@pytest.mark.parametrize("delay", [0.3, 0.8])
def test_sigkill_during_publication_leaves_all_or_nothing(settings, delay):
    asyncio.run(seed_demo(settings, today=TODAY, weeks=1))
    proc, url = start_server(settings)
    try:
        c = coordinator(url)
        partnership = next(m["partnership_id"] for m in c.get("/api/auth/me").json()["memberships"])
        r = c.post("/api/match-runs", json={"partnership_id": partnership, "start": "2026-11-26", "end": "2026-12-06"})
        run_id = r.json()["id"]
        review = c.get(f"/api/match-runs/{run_id}?wait=60").json()
        assert review["run"]["status"] == "done", review["run"]
        rid = uuid.UUID(run_id)
        _, _, before_total, planned = run_state(settings, rid)
        assert planned > 20

        # Start the publication and kill the server while it works.
        def publish() -> None:
            try:
                c.post(f"/api/match-runs/{run_id}/publish")
            except httpx.HTTPError:
                pass  # the server died under it: expected

        publisher = threading.Thread(target=publish)
        publisher.start()
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        publisher.join(60)

        status, written, total, _ = run_state(settings, rid)
        if status == MatchRunStatus.PUBLISHED:
            assert written >= 1 and total >= before_total
        else:
            assert status == MatchRunStatus.DONE
            assert written == 0 and total == before_total  # nothing half-written

        # After a restart the service answers and the plan can (still) be published.
        proc, url = start_server(settings)
        c = coordinator(url)
        if status != MatchRunStatus.PUBLISHED:
            assert c.post(f"/api/match-runs/{run_id}/publish").status_code == 201
        status, written, total, _ = run_state(settings, rid)
        assert status == MatchRunStatus.PUBLISHED and written >= 1
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(10)
