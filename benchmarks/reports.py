"""The impact report on a city-sized history: 2,000 volunteers and three years of sessions.

    python benchmarks/reports.py                      # SQLite, and PostgreSQL when a URL is set
    SAMVERKA_TEST_POSTGRES_URL=postgresql+asyncpg://samverka@127.0.0.1:55432/postgres python benchmarks/reports.py

Seeds the demo partnership with 2,000 volunteers, then adds the sessions, assignments and
attendance of three years back with bulk Core inserts (the seed's own history is 12 weeks;
each activity keeps a pool of regulars, as in the seed), and a published match run a
month. Prints the rows, then the seconds the report takes (cold, then the median of
five), its headline figures, and the CSV and PDF times.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from seeds.demo import seed_demo  # noqa: E402
from seeds.history import uuid7  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402
from sqlalchemy.exc import OperationalError, ProgrammingError  # noqa: E402
from sqlalchemy.ext.asyncio import async_sessionmaker  # noqa: E402

from volunteers.catalogue import load_catalogue  # noqa: E402
from volunteers.db import migrate  # noqa: E402
from volunteers.db.engine import create_engine  # noqa: E402
from volunteers.db.models import (  # noqa: E402
    Activity,
    Assignment,
    AssignmentEvent,
    Attendance,
    FollowUp,
    JobSeekingStatus,
    MatchRun,
    Partnership,
    Session,
    StaffingNeed,
    VolunteerProfile,
)
from volunteers.reports import Period, build_report, impact_csv, impact_pdf  # noqa: E402
from volunteers.settings import Settings  # noqa: E402

YEARS = 3
SITUATIONS = ["working", "supported_employment", "internship", "studying", "looking_for_work", "other"]


async def add_history(settings: Settings, today: dt.date, seed: int = 7) -> dict[str, int]:
    """Weekly sessions of every activity back to three years before `today`, staffed and attended."""
    rng = random.Random(seed)
    engine = create_engine(settings)
    counts: dict[str, int] = defaultdict(int)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as db:
            pid = await db.scalar(select(Partnership.id))
            volunteers = list((await db.scalars(select(VolunteerProfile.id))).all())
            first = {
                aid: (s, e)
                for aid, s, e in (
                    await db.execute(
                        select(Session.activity_id, func.min(Session.starts_at), func.min(Session.ends_at)).group_by(
                            Session.activity_id
                        )
                    )
                ).all()
            }
            needs: dict[uuid.UUID, list[tuple[str, int]]] = defaultdict(list)
            for aid, role, n in await db.execute(
                select(StaffingNeed.activity_id, StaffingNeed.role, StaffingNeed.count).where(
                    StaffingNeed.session_id.is_(None)
                )
            ):
                needs[aid].append((role, n))
            activities = (await db.scalars(select(Activity.id).where(Activity.partnership_id == pid))).all()
            rows: dict[type, list[dict[str, Any]]] = defaultdict(list)
            now = dt.datetime.now(dt.UTC)
            months: dict[str, list[str]] = defaultdict(list)
            # Like the seed's own history, each activity keeps a pool of regulars (three per place).
            regulars = {
                aid: rng.sample(volunteers, min(len(volunteers), 3 * sum(n for _, n in needs[aid]) + 3))
                for aid in activities
            }
            for aid in activities:
                if aid not in first:
                    continue
                s0, e0 = first[aid]
                for week in range(1, YEARS * 52 - 11):
                    starts, ends = s0 - dt.timedelta(weeks=week), e0 - dt.timedelta(weeks=week)
                    sid = uuid7()
                    rows[Session].append(
                        {
                            "id": sid,
                            "activity_id": aid,
                            "starts_at": starts,
                            "ends_at": ends,
                            "status": "scheduled",
                            "note": "",
                            "created_at": starts,
                            "updated_at": starts,
                        }
                    )
                    months[starts.strftime("%Y-%m")].append(str(sid))
                    minutes = round((ends - starts).total_seconds() / 60)
                    slots = [role for role, n in needs[aid] for _ in range(n)]
                    people = rng.sample(regulars[aid], min(len(regulars[aid]), len(slots)))
                    for role, vid in zip(slots, people, strict=False):
                        status = rng.choices(["completed", "no_show", "declined", "empty"], [80, 4, 8, 8])[0]
                        if status == "empty":
                            continue
                        a_id = uuid7()
                        rows[Assignment].append(
                            {
                                "id": a_id,
                                "session_id": sid,
                                "volunteer_id": vid,
                                "role": role,
                                "status": status,
                                "reason": "",
                                "excludes": False,
                                "starts_at": starts,
                                "ends_at": ends,
                                "created_at": starts,
                                "updated_at": starts,
                            }
                        )
                        said_yes = starts - dt.timedelta(days=rng.randint(1, 14))
                        rows[AssignmentEvent].append(
                            {
                                "id": uuid7(),
                                "assignment_id": a_id,
                                "from_status": "proposed",
                                "to_status": "declined" if status == "declined" else "accepted",
                                "reason": "",
                                "created_at": said_yes,
                                "updated_at": said_yes,
                            }
                        )
                        if status in ("completed", "no_show"):
                            rows[Attendance].append(
                                {
                                    "id": uuid7(),
                                    "assignment_id": a_id,
                                    "attended": status == "completed",
                                    "minutes": minutes if status == "completed" else 0,
                                    "confirmed_at": ends,
                                    "created_at": ends,
                                    "updated_at": ends,
                                }
                            )
            for vid in rng.sample(volunteers, len(volunteers) // 3):
                days = {today - dt.timedelta(days=rng.randint(0, YEARS * 365)) for _ in range(rng.randint(1, 6))}
                for day in sorted(days):
                    situation = rng.choice(SITUATIONS)
                    rows[JobSeekingStatus].append(
                        {
                            "id": uuid7(),
                            "volunteer_id": vid,
                            "since": day,
                            "seeking": situation == "looking_for_work",
                            "source": "follow_up",
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                    rows[FollowUp].append(
                        {
                            "id": uuid7(),
                            "volunteer_id": vid,
                            "answered_on": day,
                            "situation": situation,
                            "helped": rng.sample(["skills", "reference", "contact", "certificate"], rng.randint(0, 2)),
                            "comment": "",
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
            for month, sids in months.items():
                day = dt.date.fromisoformat(f"{month}-01")
                picked = rng.sample(sids, min(40, len(sids)))
                shortages = [
                    {
                        "shift": sid,
                        "role": "x",
                        "missing": rng.randint(1, 2),
                        "reasons": [
                            {
                                "code": rng.choice(["no_valid_check", "not_available", "weekly_cap"]),
                                "count": rng.randint(1, 9),
                                "message": "-",
                            }
                        ],
                    }
                    for sid in picked
                ]
                rows[MatchRun].append(
                    {
                        "id": uuid7(),
                        "partnership_id": pid,
                        "kind": "coordinator",
                        "period_start": day,
                        "period_end": day + dt.timedelta(days=27),
                        "activity_ids": [],
                        "session_ids": sids,
                        "warnings": [],
                        "status": "published",
                        "time_limit_seconds": 60.0,
                        "plan": {"assignments": [], "shortages": shortages},
                        "published_at": dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC),
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            for model in (Session, Assignment, AssignmentEvent, Attendance, FollowUp, JobSeekingStatus, MatchRun):
                values = rows[model]
                for i in range(0, len(values), 5000):
                    await db.execute(insert(model.__table__), values[i : i + 5000])
                counts[model.__tablename__] = len(values)
            await db.commit()
            for model in (Session, Assignment, Attendance):
                counts[f"{model.__tablename__} (all)"] = int(await db.scalar(select(func.count()).select_from(model)))
    finally:
        await engine.dispose()
    return dict(counts)


async def time_report(settings: Settings, today: dt.date, repeat: int) -> None:
    engine = create_engine(settings)
    try:
        maker = async_sessionmaker(engine, expire_on_commit=False)
        async with maker() as db:
            p = (await db.scalars(select(Partnership))).one()
        period = Period.of(today - dt.timedelta(days=YEARS * 365), today, p.timezone)
        now = dt.datetime.now(dt.UTC)
        times, cpu = [], []
        for _ in range(repeat + 1):
            async with maker() as db:
                t, c = time.perf_counter(), time.process_time()
                report = await build_report(db, p, period, now, "sv")
                times.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
        # CPU time of this process (all its threads): on SQLite that is the queries themselves,
        # on PostgreSQL only the client's share. Wall-clock time on a busy machine is noisy.
        print(
            f"  report {period.start}..{period.end}: cold {times[0]:.3f} s, median of {repeat} "
            f"{statistics.median(times[1:]):.3f} s (max {max(times[1:]):.3f} s); "
            f"process CPU median {statistics.median(cpu[1:]):.3f} s; load average {os.getloadavg()[0]:.1f}"
        )
        v, h, s, j = report.volunteers, report.hours, report.sessions, report.job_seekers
        print(
            f"  active {v.active.value}, new {v.new.value}, hours {h.total_hours}, sessions held {s.held}, "
            f"fill rate {s.fill_rate}, unfilled {report.unfilled_demand.missing_slots} in "
            f"{report.unfilled_demand.published_runs} runs, looking for work {j.looking_for_work.value}"
            f" -> later work/studies {j.later_working_or_studying.value} ({j.share})"
        )
        t = time.perf_counter()
        impact_csv(report)
        print(f"  csv {time.perf_counter() - t:.3f} s")
        pdfs = []
        for _ in range(3):  # the first loads matplotlib, WeasyPrint and the fonts; the charts are cached after it
            t = time.perf_counter()
            pdf = impact_pdf(report, "sv")
            pdfs.append(time.perf_counter() - t)
        print(f"  pdf {pdfs[0]:.2f} s first, then {min(pdfs[1:]):.2f} s ({len(pdf) // 1024} KiB, two charts included)")
    finally:
        await engine.dispose()


async def pg(url: str, sql: str, exists_ok: bool = False) -> None:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(sql)
    except asyncpg.DuplicateDatabaseError:
        if not exists_ok:
            raise
    finally:
        await conn.close()


async def prepared(settings: Settings) -> bool:
    """Whether the database already holds a prepared history (from an earlier `--keep` run)."""
    engine = create_engine(settings)
    try:
        async with async_sessionmaker(engine)() as db:
            return int(await db.scalar(select(func.count()).select_from(MatchRun)) or 0) > 0
    except (OperationalError, ProgrammingError):  # no schema yet
        return False
    finally:
        await engine.dispose()


def bench(name: str, settings: Settings, volunteers: int, repeat: int) -> None:
    today = dt.date.today()
    print(f"{name}:")
    if asyncio.run(prepared(settings)):
        print("  reusing the prepared database")
        migrate.upgrade(settings)  # new indexes since it was prepared
        asyncio.run(time_report(settings, today, repeat))
        return
    t = time.perf_counter()
    migrate.upgrade(settings)
    asyncio.run(load_catalogue(settings))
    asyncio.run(seed_demo(settings, volunteers=volunteers, weeks=4, today=today))
    counts = asyncio.run(add_history(settings, today))
    if not settings.is_sqlite:  # as autovacuum would after a bulk load; SQLite plans without statistics
        asyncio.run(pg(settings.database_url, "ANALYZE"))
    print(
        f"  prepared in {time.perf_counter() - t:.0f} s: {volunteers} volunteers, "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
    )
    asyncio.run(time_report(settings, today, repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument(
        "--keep",
        metavar="DIR",
        type=Path,
        help="prepare the SQLite database in DIR and a PostgreSQL database (--keep-db) once, "
        "keep them, and time the report on them again on later runs",
    )
    parser.add_argument(
        "--keep-db",
        default="samverka_bench_keep",
        help="name of the kept PostgreSQL database (one per engineer on a shared server)",
    )
    args = parser.parse_args()
    if args.only != "postgres":
        if args.keep:
            bench("SQLite", Settings(data_dir=args.keep), args.volunteers, args.repeat)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                bench("SQLite", Settings(data_dir=Path(tmp)), args.volunteers, args.repeat)
    url = os.environ.get("SAMVERKA_TEST_POSTGRES_URL", "")
    if args.only != "sqlite" and url and args.keep:
        name = args.keep_db
        asyncio.run(pg(url, f'CREATE DATABASE "{name}"', exists_ok=True))
        with tempfile.TemporaryDirectory() as tmp:
            base = url.rpartition("/")[0]
            settings = Settings(data_dir=Path(tmp), database_url=f"{base}/{name}")
            bench("PostgreSQL", settings, args.volunteers, args.repeat)
    elif args.only != "sqlite" and url:
        name = f"samverka_bench_{uuid.uuid4().hex[:8]}"
        asyncio.run(pg(url, f'CREATE DATABASE "{name}"'))
        try:
            with tempfile.TemporaryDirectory() as tmp:
                base = url.rpartition("/")[0]
                bench(
                    "PostgreSQL",
                    Settings(data_dir=Path(tmp), database_url=f"{base}/{name}"),
                    args.volunteers,
                    args.repeat,
                )
        finally:
            asyncio.run(pg(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    elif args.only == "postgres":
        print("PostgreSQL: set SAMVERKA_TEST_POSTGRES_URL")


if __name__ == "__main__":
    main()
