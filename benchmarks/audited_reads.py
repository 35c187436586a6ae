"""Volunteers saving availability while a coordinator reads audited records; /health under the largest availability.

    python benchmarks/audited_reads.py [--volunteers 20] [--seconds 20] [--database-url URL]

Issue 15's targets: 20 volunteers saving availability while a coordinator reads
background checks, exports and the page /volunteers/{id} (each read writes an audit
entry) for 20 s: 0 errors. Then one volunteer saves the largest availability the
limits allow and expands a year of it, again and again, while /health is asked every
20 ms: its latency should stay under 100 ms. Prints the figures (nothing is asserted
here; tests/volunteers/test_audited_reads_load.py runs it at CI's smoke size).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from _server import login, percentile, prepare, serve, server_cpu_seconds

RULES = 100  # volunteers.limits.MAX_RULES
EXCEPTIONS = 400  # volunteers.limits.MAX_EXCEPTIONS
READ_MS: dict[str, list[float]] = {}  # the coordinator's audited reads: how long each took


async def register(c: httpx.AsyncClient, n: int) -> str:
    await c.get("/health")  # the CSRF cookie: every write needs it, registration and log-in included
    c.headers["x-csrftoken"] = c.cookies.get("csrftoken", "")
    email = f"audit-load{n}-{time.time_ns()}@example.org"
    r = await c.post(
        "/api/auth/register",
        json={
            "partnership": "pettersberg",
            "email": email,
            "password": "load-test-passphrase",
            "first_name": "Load",
            "last_name": f"Volunteer {n}",
            "birth_date": "1990-01-01",
            "consent": True,
        },
    )
    r.raise_for_status()
    # Registration answers alike for new and known addresses, so it does not log in.
    r = await c.post("/api/auth/login", json={"email": email, "password": "load-test-passphrase"})
    r.raise_for_status()
    return str(r.json()["volunteer_profile_id"])


async def volunteer(
    url: str, n: int, go: asyncio.Event, stop: asyncio.Event, counts: dict[str, int], errors: list[str]
) -> None:
    rng = random.Random(n)
    async with httpx.AsyncClient(base_url=url, timeout=60) as c:
        pid = await register(c, n)
        counts["registered"] += 1
        await go.wait()
        while not stop.is_set():
            rules = [
                {"weekday": rng.randrange(7), "start_time": f"{rng.choice([16, 17, 18])}:00:00", "end_time": "21:00:00"}
                for _ in range(rng.randint(1, 10))
            ]
            r = await c.put(f"/api/volunteers/{pid}/availability", json={"rules": rules})
            counts["availability"] += 1
            if r.status_code != 200:
                errors.append(f"availability: {r.status_code} {r.text[:120]}")


async def coordinator(url: str, ids: list[str], stop: asyncio.Event, counts: dict[str, int], errors: list[str]) -> None:
    rng = random.Random(0)
    async with httpx.AsyncClient(base_url=url, timeout=60) as c:
        await login(c, "samordnare@demo.samverka.se")
        while not stop.is_set():
            vid = rng.choice(ids)
            for name, path in (
                ("background-checks", f"/api/volunteers/{vid}/background-checks"),
                ("export", f"/api/volunteers/{vid}/export"),
                ("page", f"/volunteers/{vid}"),
            ):
                t = time.perf_counter()
                r = await c.get(path)
                READ_MS.setdefault(name, []).append((time.perf_counter() - t) * 1000)
                counts[name] += 1
                if r.status_code != 200:
                    errors.append(f"{name}: {r.status_code} {r.text[:120]}")


async def audited_reads(url: str, volunteers: int, seconds: float) -> tuple[dict[str, int], list[str]]:
    counts = {"registered": 0, "availability": 0, "background-checks": 0, "export": 0, "page": 0}
    errors: list[str] = []
    go, stop = asyncio.Event(), asyncio.Event()
    async with httpx.AsyncClient(base_url=url, timeout=60) as c:
        await login(c, "samordnare@demo.samverka.se")
        listed = (await c.get("/api/volunteers", params={"limit": 50})).json()
        ids = [v["id"] for v in (listed["items"] if isinstance(listed, dict) else listed)]
    tasks = [asyncio.create_task(volunteer(url, n, go, stop, counts, errors)) for n in range(volunteers)]
    while counts["registered"] < volunteers and not any(t.done() for t in tasks):  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    go.set()  # the timed part starts once every volunteer has an account
    tasks.append(asyncio.create_task(coordinator(url, ids, stop, counts, errors)))
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.gather(*tasks)
    return counts, errors


async def health_alone(url: str, seconds: float) -> list[float]:
    """/health every 20 ms with nothing else going on: what this machine gives at best."""
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=url, timeout=30) as c:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            t = time.perf_counter()
            await c.get("/health")
            latencies.append((time.perf_counter() - t) * 1000)
            await asyncio.sleep(0.02)
    return latencies


def largest_availability() -> dict[str, list[dict[str, object]]]:
    """The most a volunteer may send, and the dearest to expand: every exception spans the whole year."""
    rules = [{"weekday": i % 7, "start_time": f"{6 + i % 14:02d}:00:00", "end_time": "23:00:00"} for i in range(RULES)]
    exceptions = [
        {
            "kind": "away" if i % 2 else "available",
            "date_from": "2027-01-01",
            "date_to": "2027-12-31",
            "start_time": f"{i % 23:02d}:{i % 60:02d}:00",
            "end_time": f"{i % 23 + 1:02d}:00:00",
        }
        for i in range(EXCEPTIONS)
    ]
    return {"rules": rules, "exceptions": exceptions}


async def save_and_expand(url: str, stop: Any, rounds: Any, errors: Any) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=120) as c:
        pid = await register(c, 10_000)
        body = largest_availability()
        while not stop.is_set():
            r = await c.put(f"/api/volunteers/{pid}/availability", json=body)
            if r.status_code != 200:
                errors.put(f"largest availability: {r.status_code} {r.text[:120]}")
            r = await c.get(
                f"/api/volunteers/{pid}/availability/expanded", params={"start": "2027-01-01", "end": "2027-12-31"}
            )
            if r.status_code != 200:
                errors.put(f"expanded year: {r.status_code} {r.text[:120]}")
            with rounds.get_lock():
                rounds.value += 1


def saver_process(url: str, stop: Any, rounds: Any, errors: Any) -> None:
    asyncio.run(save_and_expand(url, stop, rounds, errors))


def health_under_largest(url: str, seconds: float) -> tuple[list[float], int, list[str]]:
    """/health every 20 ms while one volunteer saves and expands the largest availability.

    The volunteer runs in a process of her own: sharing the prober's event loop, her
    client's work (encoding 60 kB, decoding the year's intervals) was counted as the
    server's latency.
    """
    ctx = multiprocessing.get_context("spawn")
    stop, rounds, queue = ctx.Event(), ctx.Value("i", 0), ctx.Queue()
    saver = ctx.Process(target=saver_process, args=(url, stop, rounds, queue))
    saver.start()
    latencies: list[float] = []
    errors: list[str] = []
    with httpx.Client(base_url=url, timeout=30) as c:
        while rounds.value == 0 and saver.is_alive():  # registered, saved and expanded once
            time.sleep(0.05)
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            t = time.perf_counter()
            r = c.get("/health")
            latencies.append((time.perf_counter() - t) * 1000)
            if r.status_code != 200:
                errors.append(f"health: {r.status_code}")
            time.sleep(0.02)
    stop.set()
    saver.join(180)
    while not queue.empty():
        errors.append(queue.get())
    if saver.exitcode != 0:
        errors.append(f"saver process ended with {saver.exitcode}")
    return latencies, rounds.value, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--volunteers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = prepare(Path(tmp), args.database_url)
        with serve(env) as url:
            counts, errors = asyncio.run(audited_reads(url, args.volunteers, args.seconds))
            alone = asyncio.run(health_alone(url, min(args.seconds, 5)))
            cpu_before, wall_before = server_cpu_seconds(url), time.perf_counter()
            latencies, saves, health_errors = health_under_largest(url, args.seconds)
            cpu_after, wall_after = server_cpu_seconds(url), time.perf_counter()
    load = os.getloadavg()
    db = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"{db}: {args.volunteers} volunteers saving availability, "
        f"a coordinator reading audited records, {args.seconds:.0f} s"
    )
    for name, n in counts.items():
        ms = READ_MS.get(name)
        timing = f"  p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms" if ms else ""
        print(f"  {name:18} {n:>6} requests{timing}")
    print(f"errors: {len(errors)}")
    for e in sorted(set(errors))[:10]:
        print(f"  {e}")
    print(
        f"/health while one volunteer saves {RULES} rules and {EXCEPTIONS} year-long exceptions and expands a year "
        f"({saves} rounds): p50 {percentile(latencies, 50):.1f} ms, p95 {percentile(latencies, 95):.1f} ms, "
        f"max {max(latencies):.1f} ms ({len(latencies)} probes)"
    )
    print(
        f"/health alone, for comparison: p50 {percentile(alone, 50):.1f} ms, "
        f"p95 {percentile(alone, 95):.1f} ms, max {max(alone):.1f} ms"
    )
    if cpu_before is not None and cpu_after is not None:
        # The machine may be shared: the server's CPU time and the load say how busy it was.
        print(
            f"server CPU (its workers included) during the /health phase: {cpu_after - cpu_before:.1f} s "
            f"in {wall_after - wall_before:.1f} s; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
            f"on {os.cpu_count()} cores"
        )
    print(f"health errors: {len(health_errors)}")
    for e in sorted(set(health_errors))[:10]:
        print(f"  {e}")


if __name__ == "__main__":
    main()
