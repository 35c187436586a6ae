"""SIGKILL in the middle of a plan publication or a bulk certificate issue: after a restart nothing is half-written.

A real `samverka serve` runs on the test's database (SQLite and PostgreSQL) seeded with
the demo partnership.

Publication: a match run is computed, its publication is started and the server is
killed with SIGKILL at several moments. After each restart the run is either fully
published (every proposal written) or not at all, everything committed before is still
there, and publishing again then succeeds.

Bulk certificates: a bulk issue is started and the server killed as soon as the first
certificates are committed. After a restart every stored certificate is whole (snapshot,
signed credential, a PDF that verifies offline), each has exactly one audit entry and
every audit entry its certificate, and issuing again for the same volunteers completes
the rest without issuing anyone a second certificate.

Erasure: a volunteer erases herself and the server is killed meanwhile. After a restart a
search of every table finds either all of her, exactly where she was, or nothing of her;
erasing again then completes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest
from seeds.demo import seed_demo
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import undefer

from certificates import KeySet, verify_pdf
from privacy_support import find_in_every_table
from service_support import run_db
from volunteers.db.engine import create_engine
from volunteers.db.models import (
    Assignment,
    AssignmentStatus,
    Attendance,
    AuditEntry,
    Certificate,
    CertificateStatus,
    MatchRun,
    MatchRunStatus,
    User,
    VolunteerProfile,
)

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


def worker_processes(pid: int) -> list[int]:
    """The server's child processes (its solver and render workers), from /proc."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def assert_workers_follow(pids: list[int], seconds: float = 15) -> None:
    """Worker processes end once their server is gone: none lives on as an orphan."""
    deadline = time.monotonic() + seconds
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [p for p in alive if Path(f"/proc/{p}").exists() and "zombie" not in _state(p)]
    assert not alive, f"worker processes {alive} outlived their killed server"


def _state(pid: int) -> str:
    try:
        return next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("State"))
    except (FileNotFoundError, StopIteration):
        return "zombie"


def coordinator(url: str) -> httpx.Client:
    c = httpx.Client(base_url=url, timeout=60)
    c.get("/health")  # the CSRF cookie: every write needs it, log-in included
    c.headers["x-csrftoken"] = c.cookies["csrftoken"]
    c.post("/api/auth/login", json={"email": "samordnare@demo.samverka.se", "password": PASSWORD}).raise_for_status()
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
        workers = worker_processes(proc.pid)
        assert workers  # the solver's worker ran the plan
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        publisher.join(60)
        assert_workers_follow(workers)

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


BULK_VOLUNTEERS = 30


def volunteers_with_hours(settings) -> list[str]:
    async def q(db):
        rows = await db.execute(
            select(distinct(Assignment.volunteer_id))
            .join(Attendance, Attendance.assignment_id == Assignment.id)
            .where(Assignment.status == AssignmentStatus.COMPLETED, Attendance.attended.is_(True))
        )
        return sorted(str(v) for v in rows.scalars())

    return run_db(settings, q)


async def first_certificate_committed(settings, proc) -> None:
    """Return as soon as a certificate is in the database (polled on one connection, every 20 ms)."""
    engine = create_engine(settings)
    deadline = time.monotonic() + 120
    try:
        async with engine.connect() as conn:
            while not await conn.scalar(select(func.count()).select_from(Certificate)):
                assert proc.poll() is None and time.monotonic() < deadline, "no certificate was committed"
                await conn.rollback()  # a fresh snapshot for the next look
                await asyncio.sleep(0.02)
    finally:
        await engine.dispose()


def stored_certificates(settings) -> tuple[list[Certificate], list[AuditEntry]]:
    async def q(db):
        certs = (await db.execute(select(Certificate).options(undefer(Certificate.pdf)))).scalars().all()
        audits = (await db.execute(select(AuditEntry).where(AuditEntry.action == "certificate.issued"))).scalars().all()
        return list(certs), list(audits)

    return run_db(settings, q)


def assert_whole(certs, audits, keys: KeySet) -> None:
    """Every certificate complete and verifiable, and the audit log saying exactly that."""
    for cert in certs:
        assert cert.snapshot and cert.credential and cert.pdf, cert.public_id
        assert hashlib.sha256(cert.pdf).hexdigest() == cert.content_sha256
        result = verify_pdf(cert.pdf, keys)
        assert result.ok and result.certificate_id == cert.public_id, result.reason
    audited = Counter(a.subject_id for a in audits)
    assert audited == Counter(c.public_id for c in certs)  # one entry each, none without its certificate
    assert all(n == 1 for n in audited.values())


def test_sigkill_during_bulk_certificate_issue_keeps_whole_certificates_and_resumes(settings):
    asyncio.run(seed_demo(settings, today=TODAY, weeks=2))
    ids = volunteers_with_hours(settings)[:BULK_VOLUNTEERS]
    assert len(ids) == BULK_VOLUNTEERS
    proc, url = start_server(settings)
    try:
        c = coordinator(url)
        r = c.post("/api/certificates/bulk", json={"volunteer_ids": ids, "language": "sv"})
        assert r.status_code == 202, r.text
        # Kill the server as soon as the first certificates are committed, mid-issue.
        asyncio.run(first_certificate_committed(settings, proc))
        workers = worker_processes(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        assert_workers_follow(workers)

        certs, audits = stored_certificates(settings)
        assert 0 < len(certs) < BULK_VOLUNTEERS  # cut short: some issued, not all
        proc, url = start_server(settings)
        c = coordinator(url)
        keys = KeySet.loads(c.get("/.well-known/samverka-keys.json").content)
        assert_whole(certs, audits, keys)
        for cert in certs:  # what was committed downloads again, byte for byte
            download = c.get(f"/api/certificates/{cert.public_id}.pdf")
            assert download.status_code == 200 and download.content == cert.pdf

        # Issuing again completes the rest; those who got one are skipped, naming it.
        r = c.post("/api/certificates/bulk", json={"volunteer_ids": ids, "language": "sv"})
        job = c.get(f"/api/certificates/bulk/{r.json()['id']}?wait=120").json()
        assert job["status"] == "done", job
        before = {str(cert.volunteer_id): cert.public_id for cert in certs}
        resumed = {s["volunteer_id"]: s["public_id"] for s in job["skipped"] if s["code"] == "certificate_up_to_date"}
        assert resumed == before
        issued = {i["volunteer_id"] for i in job["issued"]}
        refused = {s["volunteer_id"] for s in job["skipped"]} - set(resumed)
        assert issued.isdisjoint(before) and issued | refused | set(before) == set(ids)

        after, audits = stored_certificates(settings)
        assert len(after) == len(certs) + len(issued)
        assert all(cert.status == CertificateStatus.VALID for cert in after)
        assert len({cert.volunteer_id for cert in after}) == len(after)  # nobody holds two
        assert_whole(after, audits, keys)
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(10)


def her_needles(settings, profile_id: uuid.UUID) -> list[str]:
    async def q(db):
        profile = await db.get(VolunteerProfile, profile_id)
        user = await db.get(User, profile.user_id)
        return [f"{profile.first_name} {profile.last_name}", user.email, profile.phone]

    return [n for n in run_db(settings, q) if n]


def found(settings, needles):
    return run_db(settings, lambda db: find_in_every_table(db, needles))


@pytest.mark.parametrize("delay", [0.2])  # an erasure of the demo volunteer takes ~0.4 s: killed midway
def test_sigkill_during_erasure_leaves_all_or_nothing(settings, delay):
    asyncio.run(seed_demo(settings, today=TODAY, weeks=1))
    proc, url = start_server(settings)
    try:
        amina = httpx.Client(base_url=url, timeout=60)
        login = {"email": "volontar@demo.samverka.se", "password": PASSWORD}
        amina.get("/health")  # the CSRF cookie: every write needs it, log-in included
        amina.headers["x-csrftoken"] = amina.cookies["csrftoken"]
        amina.post("/api/auth/login", json=login).raise_for_status()
        amina.get("/health")
        amina.headers["x-csrftoken"] = amina.cookies["csrftoken"]
        pid = uuid.UUID(amina.get("/api/auth/me").json()["volunteer_profile_id"])
        needles = her_needles(settings, pid)
        before = found(settings, needles)
        assert {t for t, _, _ in before} >= {"volunteer_profile", "user_account"}

        def erase() -> None:
            try:
                amina.post(f"/api/volunteers/{pid}/erase", json={"confirm": "ERASE"})
            except httpx.HTTPError:
                pass  # the server died under it: expected

        eraser = threading.Thread(target=erase)
        eraser.start()
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        eraser.join(60)

        after = found(settings, needles)
        assert after == [] or after == before  # all of her erased, or nothing touched

        proc, url = start_server(settings)
        if after:  # not erased: she can still log in, and erasing now completes
            amina = httpx.Client(base_url=url, timeout=60)
            amina.get("/health")
            amina.headers["x-csrftoken"] = amina.cookies["csrftoken"]
            amina.post("/api/auth/login", json=login).raise_for_status()
            amina.get("/health")
            amina.headers["x-csrftoken"] = amina.cookies["csrftoken"]
            assert amina.post(f"/api/volunteers/{pid}/erase", json={"confirm": "ERASE"}).status_code == 204
        assert found(settings, needles) == []
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(10)
