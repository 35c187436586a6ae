"""The safety rules' cost: the check on moving a session with 20 held people, and the watch over a city.

    python benchmarks/rules.py                         # seeds a city in a temporary folder
    python benchmarks/rules.py --data-dir /tmp/rules-bench --repeat 20   # keep (and reuse) the city

Seeds the city (2,000 volunteers, 7 weeks ahead), keeps its first 1,000 future sessions
(cancels the later ones), adds a place to each activity's first need, solves it once with the matcher and
stores the plan as accepted places (about 4,000 held), then fills a role of 20 on
one session with people the rules allow there. Every held place keeps every rule (the
watch's count of breaking places says so). Prints, in server time (in process, no HTTP):

- move: applying a session's new time and the guard's check on it (`guard.enforce`, as
  inside PATCH /api/sessions/{id}), then a rollback; median and max over --repeat;
- watch: `watch` over the whole city (every future held assignment, one check), median and max.

Targets: move <= 50 ms, watch <= 5 s. Timings on a shared machine are noisy: the load
average is printed with them.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BIN = Path(sys.executable).parent
SESSIONS = 1000  # future sessions in the city
# benchmarks/matching.py would shadow the matcher's package: keep this folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]


def seed(folder: Path, volunteers: int, weeks: int) -> None:
    env = {**os.environ, "SAMVERKA_DATA_DIR": str(folder)}
    if (folder / "rules-bench-seeded").exists():
        return
    subprocess.run([str(BIN / "samverka"), "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [str(BIN / "samverka"), "seed", "--volunteers", str(volunteers), "--weeks", str(weeks)],
        env=env,
        check=True,
        capture_output=True,
    )


async def arrange(settings: object, now: dt.datetime) -> tuple[uuid.UUID, int, int]:
    """Solve the city once and hold the plan as accepted places; 20 held on one session. (session, held, sessions)"""
    from sqlalchemy import func, insert, select, update
    from sqlalchemy.ext.asyncio import async_sessionmaker

    import matching
    from volunteers.db.engine import create_engine
    from volunteers.db.models import (
        Assignment,
        AssignmentStatus,
        Partnership,
        Session,
        SessionStatus,
        StaffingNeed,
    )
    from volunteers.staffing.problem import build_problem, target_sessions
    from volunteers.staffing.rules import breaches_of_new_hold

    engine = create_engine(settings)  # type: ignore[arg-type]
    async with async_sessionmaker(engine, expire_on_commit=False)() as db:
        p = (await db.execute(select(Partnership).order_by(Partnership.created_at))).scalars().first()
        assert p is not None
        held = (
            await db.execute(
                select(func.count()).select_from(Assignment).where(Assignment.status == AssignmentStatus.ACCEPTED)
            )
        ).scalar_one()
        targets = await target_sessions(db, p.id, now, now + dt.timedelta(days=400))
        if held < 1000:
            # The city: 1,000 future sessions (the later ones cancelled, as if not planned yet), and a
            # place more on each activity's first need, so that about 4,000 places are held once the matcher
            # has filled them.
            later = [uuid.UUID(t.session_id) for t in targets[SESSIONS:]]
            for i in range(0, len(later), 500):
                await db.execute(
                    update(Session).where(Session.id.in_(later[i : i + 500])).values(status=SessionStatus.CANCELLED)
                )
            targets = targets[:SESSIONS]
            first_need: dict[uuid.UUID, uuid.UUID] = {}
            for nid, aid in (
                await db.execute(
                    select(StaffingNeed.id, StaffingNeed.activity_id)
                    .where(StaffingNeed.session_id.is_(None))
                    .order_by(StaffingNeed.activity_id, StaffingNeed.role)
                )
            ).all():
                first_need.setdefault(aid, nid)
            await db.execute(
                update(StaffingNeed)
                .where(StaffingNeed.id.in_(list(first_need.values())))
                .values(count=StaffingNeed.count + 1)
            )
            built = await build_problem(db, p, targets)
            plan = matching.solve(matching.parse_problem(built.problem), time_limit=60)
            starts = {t.session_id: (t.starts_at, t.ends_at) for t in targets}
            existing = {
                (str(sid), str(vid))
                for sid, vid in (await db.execute(select(Assignment.session_id, Assignment.volunteer_id))).all()
            }
            rows = [
                {
                    "id": uuid.uuid4(),
                    "session_id": uuid.UUID(a.shift),
                    "volunteer_id": uuid.UUID(a.volunteer),
                    "role": a.role,
                    "status": AssignmentStatus.ACCEPTED,
                    "starts_at": starts[a.shift][0],
                    "ends_at": starts[a.shift][1],
                }
                for a in plan.assignments
                if a.shift in starts and (a.shift, a.volunteer) not in existing
            ]
            for i in range(0, len(rows), 1000):
                await db.execute(insert(Assignment), rows[i : i + 1000])
            await db.flush()
            # One session with 20 people on it: a role of 20 (no skill asked) on an adults' session in the
            # middle of the period, filled one by one with volunteers the rules allow there (`breaches_of_new_hold`
            # on everything held so far), so that the city keeps every rule and the watch has nothing to find.
            for t in [t for t in targets[len(targets) // 3 : 2 * len(targets) // 3] if not t.children][:40]:
                sid = uuid.UUID(t.session_id)
                db.add(StaffingNeed(activity_id=uuid.UUID(t.activity_id), session_id=sid, role="bench", count=20))
                await db.flush()
                placed = 0
                # The matcher names who keeps rules 1-7 there; the rules' check adds overlaps, caps and counts.
                one = matching.parse_problem((await build_problem(db, p, [t], check_pins=False)).problem)
                for v in matching.eligible_volunteers(one, t.session_id, "bench"):
                    vid = uuid.UUID(v)
                    if await breaches_of_new_hold(db, p, vid, sid, "bench", now):
                        continue
                    db.add(
                        Assignment(
                            session_id=sid,
                            volunteer_id=vid,
                            role="bench",
                            status=AssignmentStatus.ACCEPTED,
                            starts_at=t.starts_at,
                            ends_at=t.ends_at,
                        )
                    )
                    await db.flush()
                    placed += 1
                    if placed == 20:
                        break
                if placed == 20:
                    break
            await db.commit()
        busiest = (
            await db.execute(
                select(Assignment.session_id, func.count())
                .where(Assignment.status == AssignmentStatus.ACCEPTED)
                .group_by(Assignment.session_id)
                .order_by(func.count().desc())
                .limit(1)
            )
        ).one()
        held = (
            await db.execute(
                select(func.count()).select_from(Assignment).where(Assignment.status == AssignmentStatus.ACCEPTED)
            )
        ).scalar_one()
    await engine.dispose()
    return busiest[0], held, len(targets)


async def measure(
    settings: object, session_id: uuid.UUID, now: dt.datetime, repeat: int
) -> tuple[list[float], list[float], int, int]:
    from sqlalchemy import select, update
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from volunteers.db.engine import create_engine
    from volunteers.db.models import Activity, Assignment, Partnership, Session
    from volunteers.staffing import guard
    from volunteers.staffing.watch import watch

    engine = create_engine(settings)  # type: ignore[arg-type]
    maker = async_sessionmaker(engine, expire_on_commit=False)
    moves: list[float] = []
    watches: list[float] = []
    found = on_session = 0
    for i in range(repeat + 1):  # the first round warms the caches and is not counted
        async with maker() as db:
            s = await db.get(Session, session_id)
            assert s is not None
            act = await db.get(Activity, s.activity_id)
            assert act is not None
            p = await db.get(Partnership, act.partnership_id)
            assert p is not None
            partnership_id = p.id
            on_session = len((await db.execute(select(Assignment.id).where(Assignment.session_id == s.id))).all())
            t0 = time.perf_counter()
            # What PATCH /api/sessions/{id} does for the rules: the change, then the guard's check.
            shift = dt.timedelta(minutes=15)
            await db.execute(
                update(Assignment)
                .where(Assignment.session_id == s.id)
                .values(starts_at=s.starts_at + shift, ends_at=s.ends_at + shift)
            )
            s.starts_at, s.ends_at = s.starts_at + shift, s.ends_at + shift
            await db.flush()
            try:
                await guard.enforce(db, p, now, None, confirm=False, sessions=[s.id])
            except guard.WouldRelease:
                pass  # a move that newly breaks something also asks what was broken before: counted too
            elapsed = time.perf_counter() - t0
            await db.rollback()
            if i:
                moves.append(elapsed * 1000)
        if i and i <= max(1, repeat // 5):
            async with maker() as db:
                city = await db.get(Partnership, partnership_id)
                assert city is not None
                t0 = time.perf_counter()
                report = await watch(db, city, now, release=False)
                watches.append(time.perf_counter() - t0)
                found = len(report.breaches)
                await db.rollback()
    await engine.dispose()
    return moves, watches, found, on_session


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, help="keep the seeded city here and reuse it")
    parser.add_argument("--volunteers", type=int, default=2000)
    # About 200-300 sessions a week for 2,000 volunteers (fewer over holidays): seven weeks make 1,000.
    parser.add_argument("--weeks", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data_dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["SAMVERKA_DATA_DIR"] = str(folder)
        t0 = time.perf_counter()
        seed(folder, args.volunteers, args.weeks)
        from volunteers.settings import Settings

        settings = Settings.from_env() if hasattr(Settings, "from_env") else Settings(data_dir=folder)
        now = dt.datetime.now(dt.UTC)
        session_id, held, sessions = asyncio.run(arrange(settings, now))
        (folder / "rules-bench-seeded").write_text("seeded\n")
        print(
            f"city: {args.volunteers} volunteers, {sessions} future sessions, {held} held; "
            f"prepared in {time.perf_counter() - t0:.0f} s"
        )
        moves, watches, found, on_session = asyncio.run(measure(settings, session_id, now, args.repeat))
        print(f"{'case':44} {'median':>9} {'max':>9} {'target':>8} {'load':>5}")
        print(
            f"{f'move check, {on_session} held on the session':44} {statistics.median(moves):>7.1f}ms "
            f"{max(moves):>7.1f}ms {'50 ms':>8} {os.getloadavg()[0]:>5.1f}"
        )
        print(
            f"{f'watch over the city ({found} breaking)':44} {statistics.median(watches):>8.2f}s "
            f"{max(watches):>8.2f}s {'5 s':>8} {os.getloadavg()[0]:>5.1f}"
        )


if __name__ == "__main__":
    main()
