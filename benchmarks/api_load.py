"""Load on the JSON API: concurrent volunteers read their profile, list a week's sessions and update availability.

    python benchmarks/api_load.py [--volunteers 2000] [--clients 50] [--seconds 20] [--think 0.5]
                                  [--workers 1] [--database-url URL] [--requests profile,week,availability]
                                  [--data-dir DIR]

Issue 2's target is the reads (`--requests profile,week`: p95 under 50 ms at 50 clients
on SQLite); issue 8's is the whole mix at 200 clients for 60 s (p95 under 200 ms).

Seeds a partnership of the given size (SQLite by default), serves it with
`samverka serve`, registers one account per client through the API, then runs the
clients for the given time and prints throughput and latency percentiles per request,
and the CPU time the server (all its workers) used per request. The load generator runs
on the same machine: on a busy machine latency says more about the machine than about
the server, CPU per request much less so.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

import httpx
from _server import percentile, prepare, serve, server_cpu_seconds


async def client_loop(
    url: str,
    n: int,
    stop_at: float,
    think: float,
    results: dict[str, list[float]],
    errors: list[str],
    gate: asyncio.Semaphore,
    kinds: tuple[str, ...],
) -> None:
    rng = random.Random(n)
    # Idle connections are dropped before uvicorn closes them (after 5 s), so a client that
    # thought for a while never reuses a connection the server is closing.
    limits = httpx.Limits(keepalive_expiry=4)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as c:
        async with gate:  # accounts are made a few at a time before the timed part
            await c.get("/health")  # the CSRF cookie: every write needs it, log-in included
            c.headers["x-csrftoken"] = c.cookies.get("csrftoken", "")
            email = f"load{n}-{time.time_ns()}@example.org"
            r = await c.post(
                "/api/auth/register",
                json={
                    "partnership": "pettersberg",
                    "email": email,
                    "password": "load-test-passphrase",
                    "first_name": "Load",
                    "last_name": f"Client {n}",
                    "birth_date": "1990-01-01",
                    "consent": True,
                },
            )
            r.raise_for_status()
            # Registration answers alike for new and known addresses, so it does not log in.
            r = await c.post("/api/auth/login", json={"email": email, "password": "load-test-passphrase"})
            r.raise_for_status()
        monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
        week = f"start={monday}T00:00:00%2B01:00&end={monday + dt.timedelta(days=7)}T00:00:00%2B01:00&limit=200"
        profile_id = r.json()["volunteer_profile_id"]
        registered[0] += 1
        await ready.wait()
        stop_at = ready.stop_at  # type: ignore[attr-defined]
        # Clients start at random points of one round (as people arrive), not all in the same
        # millisecond: otherwise every client's first request is one burst at the start, and
        # the figures measure that burst rather than the steady load.
        if think:
            await asyncio.sleep(rng.uniform(0, think * len(kinds)))
        while time.perf_counter() < stop_at:
            for name in kinds:
                t = time.perf_counter()
                if name == "profile":
                    resp = await c.get("/api/volunteers/me")
                elif name == "week":
                    resp = await c.get(f"/api/sessions?{week}")
                else:
                    start = rng.choice([16, 17, 18])
                    rules = [{"weekday": rng.randrange(7), "start_time": f"{start}:00:00", "end_time": "21:00:00"}]
                    resp = await c.put(f"/api/volunteers/{profile_id}/availability", json={"rules": rules})
                results[name].append((time.perf_counter() - t) * 1000)
                if resp.status_code != 200:
                    errors.append(f"{name}: {resp.status_code}")
                if think:
                    await asyncio.sleep(rng.uniform(0.5, 1.5) * think)


async def run(
    url: str, clients: int, seconds: float, think: float, kinds: tuple[str, ...]
) -> tuple[dict[str, list[float]], list[str], float, float | None]:
    results: dict[str, list[float]] = {name: [] for name in kinds}
    errors: list[str] = []
    gate = asyncio.Semaphore(4)
    tasks = [asyncio.create_task(client_loop(url, i, 0.0, think, results, errors, gate, kinds)) for i in range(clients)]
    while registered[0] < clients and not any(t.done() for t in tasks):  # noqa: ASYNC110 - polls tasks too
        await asyncio.sleep(0.05)
    start = time.perf_counter()
    cpu_start = server_cpu_seconds(url)
    ready.stop_at = start + seconds  # type: ignore[attr-defined]
    ready.set()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    cpu_end = server_cpu_seconds(url)
    cpu = cpu_end - cpu_start if cpu_start is not None and cpu_end is not None else None
    return results, errors, elapsed, cpu


ready = asyncio.Event()
registered = [0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--volunteers", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--think",
        type=float,
        default=0.5,
        help="mean seconds a client waits between requests (0: back to back, which measures capacity)",
    )
    parser.add_argument(
        "--requests",
        default="profile,week,availability",
        help="what each client does in turn (comma-separated: profile, week, availability)",
    )
    parser.add_argument(
        "--data-dir",
        default="",
        help="keep the SQLite database (seeded once) here for later runs, instead of a temporary directory",
    )
    args = parser.parse_args()
    kinds = tuple(k.strip() for k in args.requests.split(",") if k.strip())
    unknown = set(kinds) - {"profile", "week", "availability"}
    if not kinds or unknown:
        parser.error(f"--requests: unknown request kind(s) {sorted(unknown)}")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(args.data_dir or tmp)
        data_dir.mkdir(parents=True, exist_ok=True)
        env = prepare(data_dir, args.database_url, volunteers=args.volunteers, weeks=4)
        with serve(env, workers=args.workers) as url:
            results, errors, elapsed, cpu = asyncio.run(run(url, args.clients, args.seconds, args.think, kinds))
    db = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"{db}, {args.volunteers} volunteers, {args.clients} clients thinking {args.think} s, "
        f"{args.workers} worker(s), {elapsed:.0f} s"
    )
    print(f"{'request':10} {'count':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    for name, values in [*results.items(), ("all", [v for vs in results.values() for v in vs])]:
        print(
            f"{name:10} {len(values):>7} {len(values) / elapsed:>7.0f} {percentile(values, 50):>7.1f} "
            f"{percentile(values, 95):>7.1f} {percentile(values, 99):>7.1f} {max(values):>7.1f}"
        )
    count = sum(len(vs) for vs in results.values())
    if cpu is not None and count:
        # The server's own cost, which the machine's other load hardly changes (latency does).
        print(f"server CPU: {cpu:.1f} s, {1000 * cpu / count:.2f} ms per request")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    raise SystemExit(1 if errors else 0)


if __name__ == "__main__":
    main()
