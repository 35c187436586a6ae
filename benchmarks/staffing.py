"""Match runs through the HTTP API: request to reviewable plan, with /health polled during the run.

    python benchmarks/staffing.py                 # the seeded partnership and a city-sized run
    python benchmarks/staffing.py --only demo
    python benchmarks/staffing.py --data-dir /tmp/bench --repeat 3   # seed once, run each case 3 times
    SAMVERKA_JOBS_INTERVAL=5 python benchmarks/staffing.py --only city   # periodic jobs ticking during the runs

Each case starts a server and first runs one day (a warm-up, printed apart; --cold skips
it). Prints, for each case: sessions and volunteers in the run, seconds from the POST to a
reviewable plan, plan status, filled and missing slots, and /health latency (p50, p95,
max) sampled every 50 ms while the run was going, and the machine's load average (1 min)
when the run ended: on a shared machine the wall-clock figures mean little without it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import tempfile
import time
from pathlib import Path

import httpx
from _server import login, percentile, prepare, serve


async def one_run(url: str, start: dt.date, end: dt.date) -> dict[str, object]:
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        await login(client, "samordnare@demo.samverka.se")
        me = (await client.get("/api/auth/me")).json()
        partnership = next(m["partnership_id"] for m in me["memberships"] if m["role"] == "coordinator")
        health: list[float] = []
        done = asyncio.Event()

        # The probe's client is made (and its connection opened) before the clock starts:
        # making an httpx client costs the benchmark's own loop ~0.1 s (its SSL context).
        probe = httpx.AsyncClient(base_url=url, timeout=10)
        await probe.get("/health")

        async def poll_health() -> None:
            while not done.is_set():
                t = time.perf_counter()
                r = await probe.get("/health")
                health.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200
                await asyncio.sleep(0.05)

        poller = asyncio.create_task(poll_health())
        t0 = time.perf_counter()
        r = await client.post(
            "/api/match-runs", json={"partnership_id": partnership, "start": start.isoformat(), "end": end.isoformat()}
        )
        r.raise_for_status()
        run_id = r.json()["id"]
        while True:
            review = (await client.get(f"/api/match-runs/{run_id}?wait=10")).json()
            if review["run"]["status"] in ("done", "failed"):
                break
        seconds = time.perf_counter() - t0
        done.set()
        await poller
        await probe.aclose()
        run = review["run"]
        return {
            "sessions": len(run["session_ids"]),
            "seconds": seconds,
            "status": run["status"],
            "plan": run["plan_status"],
            "filled": run["filled"],
            "missing": run["missing"],
            "solver_s": (run["stats"] or {}).get("seconds"),
            "health_p50": percentile(health, 50),
            "health_p95": percentile(health, 95),
            "health_max": max(health) if health else float("nan"),
            "error": run["error"],
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["demo", "city"])
    parser.add_argument(
        "--city-weeks", type=int, default=4, help="weeks of the city run (~270 sessions a week: 4 pass 1,000)"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="keep the seeded databases here (one folder per case) and reuse them on the next call",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per case, on the same server")
    parser.add_argument(
        "--cold", action="store_true", help="no warm-up run: the first measured run includes the worker's start-up"
    )
    args = parser.parse_args()
    today = dt.date.today()
    monday = today + dt.timedelta(days=7 - today.weekday())
    cases = []
    if args.only in (None, "demo"):
        cases.append(("partnership: 150 volunteers, 8 weeks", None, 8, monday, monday + dt.timedelta(weeks=8, days=-1)))
    if args.only in (None, "city"):
        cases.append(
            (
                "city: 2,000 volunteers",
                2000,
                args.city_weeks,
                monday,
                monday + dt.timedelta(weeks=args.city_weeks, days=-1),
            )
        )
    print(
        f"{'case':40} {'sessions':>8} {'wall s':>7} {'solver s':>8} {'plan':>8} {'filled':>6} {'missing':>7} "
        f"{'health p50':>10} {'p95':>6} {'max ms':>7} {'load':>5}"
    )
    for name, volunteers, weeks, start, end in cases:
        with contextlib.ExitStack() as stack:
            if args.data_dir:
                folder = args.data_dir / f"{volunteers or 'demo'}-{weeks}w"
                env = prepared(folder, volunteers, weeks)
            else:
                tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
                env = prepare(tmp, volunteers=volunteers, weeks=weeks)
            url = stack.enter_context(serve(env))
            if not args.cold:
                # The server answers before its solver's worker has imported the matcher and
                # the database layer (2-3 s): a first run would measure that start-up too.
                warm = asyncio.run(one_run(url, start, start))
                label = "  (warm-up: one day, first after start)"
                print(f"{label:40} {warm['sessions']:>8} {warm['seconds']:>7.2f}", flush=True)
            for _ in range(args.repeat):
                res = asyncio.run(one_run(url, start, end))
                print(
                    f"{name:40} {res['sessions']:>8} {res['seconds']:>7.2f} {res['solver_s'] or 0:>8.2f} "
                    f"{res['plan']!s:>8} {res['filled']:>6} {res['missing']:>7} {res['health_p50']:>10.1f} "
                    f"{res['health_p95']:>6.1f} {res['health_max']:>7.1f} {os.getloadavg()[0]:>5.1f}",
                    flush=True,
                )
                if res["error"]:
                    print("  error:", res["error"])


def prepared(folder: Path, volunteers: int | None, weeks: int) -> dict[str, str]:
    """A seeded data folder, made on first use (runs are never published, so it can be reused)."""
    marker = folder / "seeded"
    if not marker.exists():
        folder.mkdir(parents=True, exist_ok=True)
        env = prepare(folder, volunteers=volunteers, weeks=weeks)
        marker.write_text("seeded\n")
        return env
    return {**os.environ, "SAMVERKA_DATA_DIR": str(folder), "SAMVERKA_RATE_LIMIT_PER_MINUTE": "100000"}


if __name__ == "__main__":
    main()
