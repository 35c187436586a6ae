"""Export and erasure of one volunteer, and the retention job, on a partnership with stored match runs.

    python benchmarks/erasure.py [--volunteers 2000] [--runs 12] [--database-url URL]

Seeds the demo partnership (with `--volunteers` of them) in a fresh SQLite file (or the
PostgreSQL database given, which must be empty and migrated), stores `--runs` match runs
whose problem holds every volunteer (a month of sessions each, as a year of monthly runs
would), then prints the seconds for the demo volunteer's export, her erasure, and a
retention sweep that erases 50 more. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from seeds.demo import seed_demo  # noqa: E402
from sqlalchemy import ColumnElement, select, update  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker  # noqa: E402

from volunteers.accounts.actor import Actor, MembershipInfo  # noqa: E402
from volunteers.catalogue import load_catalogue  # noqa: E402
from volunteers.db import migrate  # noqa: E402
from volunteers.db.engine import create_engine  # noqa: E402
from volunteers.db.models import (  # noqa: E402
    Assignment,
    MatchRun,
    MatchRunStatus,
    Membership,
    Partnership,
    Role,
    User,
    VolunteerProfile,
)
from volunteers.privacy.services import erase, export, retention_sweep  # noqa: E402
from volunteers.settings import Settings  # noqa: E402
from volunteers.staffing.problem import build_problem, target_sessions  # noqa: E402


async def _volunteer(db: AsyncSession, which: ColumnElement[bool]) -> tuple[VolunteerProfile, Actor]:
    """A volunteer's profile, and her acting for herself."""
    profile, user = (
        await db.execute(select(VolunteerProfile, User).join(User, User.id == VolunteerProfile.user_id).where(which))
    ).one()
    roles = (await db.execute(select(Membership).where(Membership.user_id == user.id))).scalars()
    memberships = tuple(MembershipInfo(m.partnership_id, m.role, m.partner_id) for m in roles)
    assert any(m.role == Role.VOLUNTEER for m in memberships)
    return profile, Actor(user.id, user.email, user.display_name, user.locale, memberships, profile.id)


async def main(settings: Settings, volunteers: int, runs: int) -> None:
    today = dt.date.today()
    t = time.perf_counter()
    await seed_demo(settings, volunteers=volunteers, weeks=4, today=today)
    print(f"seeded {volunteers} volunteers in {time.perf_counter() - t:.1f} s")
    engine = create_engine(settings)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with sessions() as db:
            partnership = (await db.execute(select(Partnership))).scalars().first()
            assert partnership is not None
            start = dt.datetime.combine(today, dt.time(), dt.UTC)
            targets = await target_sessions(db, partnership.id, start, start + dt.timedelta(days=28))
            built = await build_problem(db, partnership, targets, check_pins=False)
            # One volunteer joined after the runs: in none of them (her export searches every run's text).
            newcomer = built.problem["volunteers"][-1]["id"]
            problem = {**built.problem, "volunteers": built.problem["volunteers"][:-1]}
            ids = [v["id"] for v in problem["volunteers"]]
            plan = {
                "format": "matching-plan/1",
                "status": "optimal",
                "assignments": [
                    {"volunteer": ids[i % len(ids)], "shift": t.session_id, "role": "x"} for i, t in enumerate(targets)
                ],
                "shortages": [],
            }
            for _ in range(runs):
                db.add(
                    MatchRun(
                        partnership_id=partnership.id,
                        period_start=today,
                        period_end=today + dt.timedelta(days=27),
                        session_ids=[t.session_id for t in targets],
                        status=MatchRunStatus.PUBLISHED,
                        problem=problem,
                        plan=plan,
                    )
                )
            await db.commit()
            size = len(str(problem))
            print(
                f"stored {runs} runs of {len(targets)} sessions and {len(ids)} volunteers (~{size / 1e6:.1f} MB each)"
            )

            profile, actor = await _volunteer(db, User.email == "volontar@demo.samverka.se")
            newcomer_profile, newcomer_actor = await _volunteer(db, VolunteerProfile.id == uuid.UUID(newcomer))
        now = dt.datetime.now(dt.UTC)
        async with sessions() as db:
            t = time.perf_counter()
            body = await export(db, actor, profile.id, now)
            await db.commit()
            print(f"export of the demo volunteer: {time.perf_counter() - t:.2f} s, {len(body) / 1e3:.0f} kB")
            t = time.perf_counter()
            await export(db, newcomer_actor, newcomer_profile.id, now)
            await db.commit()
            print(f"export of a volunteer in none of the runs: {time.perf_counter() - t:.2f} s")
            print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        async with sessions() as db:
            t = time.perf_counter()
            await erase(db, actor, profile.id, now)
            await db.commit()
            print(f"erasure of the demo volunteer: {time.perf_counter() - t:.2f} s")
        async with sessions() as db:
            # 50 volunteers who have never worked and have not been seen for three years.
            idle = (
                select(VolunteerProfile.user_id)
                .outerjoin(Assignment, Assignment.volunteer_id == VolunteerProfile.id)
                .where(Assignment.id.is_(None))
                .limit(50)
            )
            chosen = list((await db.execute(idle)).scalars())
            long_ago = now - dt.timedelta(days=3 * 365)
            await db.execute(
                update(User).where(User.id.in_(chosen)).values(created_at=long_ago, last_login_at=long_ago)
            )
            await db.commit()
        async with sessions() as db:
            t = time.perf_counter()
            count = await retention_sweep(db, now, inactive_days=730)
            await db.commit()
            print(f"retention sweep: {count} volunteers erased in {time.perf_counter() - t:.2f} s")
    finally:
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=12)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=args.database_url)
        migrate.upgrade(settings)
        asyncio.run(load_catalogue(settings))
        asyncio.run(main(settings, args.volunteers, args.runs))
