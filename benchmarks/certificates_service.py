"""Certificates through the service: bulk issue of many, then downloads, over loopback.

    python benchmarks/certificates_service.py [--volunteers 2000] [--bulk 500] [--downloads 300]
                                              [--clients 4] [--database-url URL] [--data-dir DIR]

Seeds the demo partnership with `samverka seed --volunteers N` (twelve weeks of past,
confirmed work), serves it with `samverka serve`, logs in as the demo coordinator, picks
the volunteers with verified hours, issues certificates for `--bulk` of them with
POST /api/certificates/bulk and follows the job, then downloads issued PDFs as the
coordinator and prints latency percentiles. Targets: bulk 500 in <= 20 s on 2 cores,
download p95 <= 150 ms. Besides wall time it prints the CPU time the server and its
render workers spent on the bulk issue, which a shared machine's load does not inflate
as much.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

import httpx
from _server import login, percentile, prepare, serve
from sqlalchemy import distinct, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from volunteers.db.engine import create_engine
from volunteers.db.models import Assignment, AssignmentStatus, Attendance
from volunteers.settings import Settings

COORDINATOR = "samordnare@demo.samverka.se"


async def volunteers_with_hours(env: dict[str, str]) -> list[str]:
    settings = Settings.from_env(env)
    engine = create_engine(settings)
    try:
        async with async_sessionmaker(engine)() as db:
            rows = await db.execute(
                select(distinct(Assignment.volunteer_id))
                .join(Attendance, Attendance.assignment_id == Assignment.id)
                .where(Assignment.status == AssignmentStatus.COMPLETED, Attendance.attended.is_(True))
            )
            return sorted(str(v) for v in rows.scalars())
    finally:
        await engine.dispose()


async def bulk(url: str, ids: list[str]) -> tuple[dict[str, object], float]:
    async with httpx.AsyncClient(base_url=url, timeout=600) as c:
        await login(c, COORDINATOR)
        started = time.perf_counter()
        r = await c.post("/api/certificates/bulk", json={"volunteer_ids": ids})
        r.raise_for_status()
        job: dict[str, object] = r.json()
        while job["status"] not in ("done", "failed"):
            job = (await c.get(f"/api/certificates/bulk/{job['id']}", params={"wait": 60})).json()
        return job, time.perf_counter() - started


async def downloads(url: str, public_ids: list[str], total: int, clients: int) -> tuple[list[float], int]:
    timings: list[float] = []
    sizes: set[int] = set()

    async def one_client(n: int) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=30) as c:
            await login(c, COORDINATOR)
            for i in range(n, total, clients):
                start = time.perf_counter()
                r = await c.get(f"/api/certificates/{public_ids[i % len(public_ids)]}.pdf")
                timings.append(time.perf_counter() - start)
                r.raise_for_status()
                sizes.add(len(r.content))

    await asyncio.gather(*(one_client(n) for n in range(clients)))
    return timings, max(sizes)


def descendants_cpu_seconds() -> float:
    """CPU time (user + system) used so far by this script's child processes and theirs, living ones."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [os.getpid()]
    while todo:
        parent = todo.pop()
        for pid, ppid in parents.items():
            if ppid == parent:
                total += times[pid]
                todo.append(pid)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--volunteers", type=int, default=2000)
    parser.add_argument("--bulk", type=int, default=500)
    parser.add_argument("--downloads", type=int, default=300)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--data-dir", default="", help="reuse a seeded data directory")
    args = parser.parse_args()
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="samverka-cert-bench-"))
    t0 = time.perf_counter()
    env = prepare(data_dir, args.database_url, volunteers=args.volunteers)
    env["SAMVERKA_JOBS_INTERVAL"] = "0"  # reminders and mail are not what is measured here
    print(f"seeded {args.volunteers} volunteers in {time.perf_counter() - t0:.1f} s ({data_dir})")
    ids = asyncio.run(volunteers_with_hours(env))
    print(f"{len(ids)} volunteers have verified hours; issuing for {min(len(ids), args.bulk)}; cores: {os.cpu_count()}")
    with serve(env) as url:
        cpu_before, load_before = descendants_cpu_seconds(), os.getloadavg()[0]
        job, wall = asyncio.run(bulk(url, ids[: args.bulk]))
        cpu = descendants_cpu_seconds() - cpu_before
        issued = [str(i["public_id"]) for i in job["issued"]]  # type: ignore[attr-defined, union-attr]
        print(
            f"bulk issue: {len(issued)} issued, {len(job['skipped'])} skipped, status {job['status']}, "  # type: ignore[arg-type]
            f"{wall:.1f} s wall; job {job['seconds']} s, phases {job['timings']}"
        )
        print(f"  load average before/after: {load_before:.2f}/{os.getloadavg()[0]:.2f}")
        if issued:
            print(
                f"  {wall / len(issued) * 1000:.0f} ms per certificate; CPU of the server and its render workers"
                f" {cpu:.1f} s ({cpu / len(issued) * 1000:.0f} ms per certificate, worker start-up included),"
                f" so about {cpu / (os.cpu_count() or 1):.1f} s on {os.cpu_count()} idle cores"
            )
        skipped: dict[str, int] = {}
        for s in job["skipped"]:  # type: ignore[attr-defined]
            skipped[s["code"]] = skipped.get(s["code"], 0) + 1
        if skipped:
            print(f"  skipped by rule: {skipped}")
        if issued:
            timings, size = asyncio.run(downloads(url, issued, args.downloads, args.clients))
            ms = [t * 1000 for t in timings]
            print(
                f"download: {len(ms)} GETs by {args.clients} clients, PDF up to {size / 1024:.0f} KiB: "
                f"p50 {percentile(ms, 50):.1f} ms, p95 {percentile(ms, 95):.1f} ms, max {max(ms):.1f} ms"
            )


if __name__ == "__main__":
    main()
