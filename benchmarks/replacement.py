"""From a volunteer's decline to the replacement offers, at city size (target: at most 1 s).

    python benchmarks/replacement.py                       # 2,000 volunteers, 4 weeks (~1,000 sessions), SQLite
    python benchmarks/replacement.py --database-url postgresql+asyncpg://... --repeat 10
    python benchmarks/replacement.py --data-dir /tmp/bench-city   # seed once, reuse

Seeds a city (or reuses a seeded folder), then, for --repeat accepted places on
sessions in the coming weeks, times the service call a decline makes
(`staffing.replacement.decline_and_replace`: the decline, the waiting list, the repair
solves of the session's week and the offers written and queued as messages), each in
its own transaction that is rolled back, so every decline meets the same data. Prints
each time (wall clock and this process's CPU: on a shared machine the wall clock
means little), the offers made, the event loop's longest stall meanwhile (what other
requests to the server would wait: the solve runs in a thread), the median and the
worst, with the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# This folder's matching.py (the matcher's benchmark) would shadow the matching package,
# so the service is imported only once the folder is off the path (in main).
HERE = Path(__file__).resolve().parent


async def _analyze(settings: Any) -> None:
    from sqlalchemy import text

    from volunteers.db.engine import create_engine

    engine = create_engine(settings)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("ANALYZE"))
            await conn.commit()
    finally:
        await engine.dispose()


def prepare(folder: Path, database_url: str, volunteers: int, weeks: int) -> Any:
    from seeds.demo import seed_demo

    from volunteers.catalogue import load_catalogue
    from volunteers.db import migrate
    from volunteers.settings import Settings

    settings = Settings(data_dir=folder, database_url=database_url)
    marker = folder / f"seeded-{volunteers}-{weeks}"
    if not marker.exists():
        migrate.upgrade(settings)
        asyncio.run(load_catalogue(settings))
        print(asyncio.run(seed_demo(settings, volunteers=volunteers, weeks=weeks)).splitlines()[0])
        if not settings.is_sqlite:
            # Fresh statistics, as autovacuum would give a live database: straight after the
            # bulk seed the planner guessed row counts and some declines waited 2 s on it.
            asyncio.run(_analyze(settings))
        marker.write_text("seeded\n")
    return settings


async def _loop_stalls(stalls: list[float], tick: float = 0.005) -> None:
    """How late the event loop wakes a sleeper: what a server's other requests would wait meanwhile."""
    loop = asyncio.get_running_loop()
    while True:
        t = loop.time()
        await asyncio.sleep(tick)
        stalls.append(loop.time() - t - tick)


async def measure(settings: Any, repeat: int) -> list[tuple[float, float, int]]:
    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from volunteers.accounts.actor import Actor
    from volunteers.activities.services import effective_needs
    from volunteers.db.engine import create_engine
    from volunteers.db.models import (
        Activity,
        Assignment,
        AssignmentStatus,
        Partnership,
        Session,
        SessionStatus,
        User,
        VolunteerProfile,
    )
    from volunteers.staffing.replacement import best_candidates, decline_and_replace
    from volunteers.staffing.signup import give_place

    engine = create_engine(settings)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    now = dt.datetime.now(dt.UTC)
    results = []
    try:
        async with maker() as db:
            p = (await db.execute(select(Partnership))).scalars().first()
            assert p is not None
            upcoming = (
                await db.execute(
                    select(Session, Activity)
                    .join(Activity, Activity.id == Session.activity_id)
                    .where(
                        Activity.partnership_id == p.id,
                        Session.status == SessionStatus.SCHEDULED,
                        Session.starts_at > now + dt.timedelta(days=2),
                        Session.starts_at < now + dt.timedelta(days=28),
                    )
                    .order_by(Session.starts_at)
                )
            ).all()
            total = len(upcoming)
        print(f"sessions in the coming four weeks: {total}")
        step = max(1, len(upcoming) // repeat)
        for s, act in upcoming[::step][:repeat]:
            async with maker() as db:
                if settings.is_sqlite:
                    await db.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
                p = await db.get(Partnership, act.partnership_id)
                assert p is not None
                held = (
                    (
                        await db.execute(
                            select(Assignment).where(
                                Assignment.session_id == s.id, Assignment.status == AssignmentStatus.ACCEPTED
                            )
                        )
                    )
                    .scalars()
                    .first()
                )
                if held is None:  # nobody accepted yet: the matcher's first choice accepts, for the measure
                    needs = await effective_needs(db, act.id, s.id)
                    if not needs:
                        await db.rollback()
                        continue
                    best = await best_candidates(db, p, s, act, needs[0].role, n=1)
                    if not best:
                        await db.rollback()
                        continue
                    held = await give_place(db, best[0], s, needs[0].role, None, "benchmark")
                v, u = (
                    await db.execute(
                        select(VolunteerProfile, User)
                        .join(User, User.id == VolunteerProfile.user_id)
                        .where(VolunteerProfile.id == held.volunteer_id)
                    )
                ).one()
                actor = Actor(u.id, u.email, u.display_name, u.locale, (), v.id)
                stalls: list[float] = []
                probe = asyncio.get_running_loop().create_task(_loop_stalls(stalls))
                t0, c0 = time.perf_counter(), time.process_time()
                _, offers = await decline_and_replace(db, actor, held.id, "benchmark", now)
                seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
                probe.cancel()
                await db.rollback()
            results.append((seconds, cpu, offers))
            print(
                f"  {s.starts_at:%Y-%m-%d %H:%M}  wall {seconds * 1000:7.0f} ms  "
                f"cpu {cpu * 1000:7.0f} ms  {offers} offers  "
                f"event loop's longest stall {max(stalls, default=0) * 1000:5.0f} ms",
                flush=True,
            )
    finally:
        await engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--volunteers", type=int, default=2000)
    parser.add_argument("--weeks", type=int, default=4, help="~270 sessions a week: 4 pass 1,000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    folder = args.data_dir or Path(tempfile.mkdtemp(prefix="samverka-replacement-"))
    folder.mkdir(parents=True, exist_ok=True)
    settings = prepare(folder, args.database_url, args.volunteers, args.weeks)
    results = asyncio.run(measure(settings, args.repeat))
    if not results:
        print("no accepted place to decline")
        return
    wall = [w for w, _, _ in results]
    cpu = [c for _, c, _ in results]
    print(
        f"decline -> offers over {len(wall)} declines ({args.volunteers} volunteers): "
        f"wall median {statistics.median(wall) * 1000:.0f} ms, worst {max(wall) * 1000:.0f} ms; "
        f"this process's CPU median {statistics.median(cpu) * 1000:.0f} ms (the database's own CPU too on SQLite); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
