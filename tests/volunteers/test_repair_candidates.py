"""The replacement's narrowed load loses nobody: its candidates are exactly the matcher's eligible.

`staffing.repair` loads only the people an SQL filter says might fill a freed place.
Here a crowd with random weekly rules (some to midnight, some dated), "available" and
"away" exceptions, stated and endorsed skills, and held slots elsewhere meets sessions
of every shape (evening, ending at midnight, past midnight, on a children's activity);
for each place the narrowed candidates must equal `matching.eligible_volunteers` run on
the whole partnership's problem, as a full match run builds it.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

from sqlalchemy import select

import matching
from choose_support import more_volunteers
from service_support import run_db
from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentStatus,
    AvailabilityException,
    AvailabilityRule,
    BackgroundCheck,
    Endorsement,
    ExceptionKind,
    Partnership,
    Session,
    Skill,
    StaffingNeed,
    VolunteerProfile,
    VolunteerSkill,
)
from volunteers.staffing.problem import build_problem, target_row
from volunteers.staffing.repair import repair_problem

ZONE = dt.timezone(dt.timedelta(hours=1))  # Stockholm in winter
# The sessions' own edges and a few others, so that rules meet sessions exactly as often as not.
STARTS = [dt.time(0), dt.time(8), dt.time(9), dt.time(17), dt.time(18), dt.time(18, 30), dt.time(21), dt.time(22)]
ENDS = [dt.time(3), dt.time(12), dt.time(19), dt.time(19, 30), dt.time(21), dt.time(23), dt.time(0)]


def _crowd(settings, world, rng: random.Random) -> list[uuid.UUID]:
    names = [f"crowd{i}" for i in range(60)]
    more_volunteers(settings, world, *names)

    async def arrange(db):
        codes = sorted((await db.execute(select(Skill.code))).scalars())[:4]
        for name in names:
            pid = world.profiles[name]
            # Ages on both sides of the background check's 15 years, on the sessions' days, and unknown.
            born = [dt.date(1990, 1, 1), dt.date(2011, 12, 2), dt.date(2011, 12, 7), dt.date(2012, 3, 1), None]
            profile = await db.get(VolunteerProfile, pid)
            profile.birth_date = rng.choice(born)
            # Most minors have their guardian's consent on record; the rest must be left out alike.
            consent = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
            profile.guardian_consent_at = rng.choice([consent, consent, consent, None])
            for _ in range(rng.randint(0, 4)):
                start = rng.choice(STARTS)
                end = rng.choice([t for t in ENDS if t > start or t == dt.time(0)])  # 00:00: to midnight
                db.add(
                    AvailabilityRule(
                        profile_id=pid,
                        weekday=rng.choice([0, 1, 2, 3, 4, 6]),  # the sessions' days
                        start_time=start,
                        end_time=end,
                        valid_from=rng.choice([None, dt.date(2026, 12, 3)]),
                        valid_until=rng.choice([None, None, dt.date(2026, 12, 1)]),
                    )
                )
            for _ in range(rng.randint(0, 2)):
                day = dt.date(2026, 11, 29) + dt.timedelta(days=rng.randint(0, 9))
                timed = rng.random() < 0.5
                db.add(
                    AvailabilityException(
                        profile_id=pid,
                        kind=rng.choice(list(ExceptionKind)),
                        date_from=day,
                        date_to=day + dt.timedelta(days=rng.randint(0, 2)),
                        start_time=dt.time(17) if timed else None,
                        end_time=dt.time(21) if timed else None,
                    )
                )
            for code in rng.sample(codes, rng.randint(0, len(codes))):
                db.add(
                    VolunteerSkill(profile_id=pid, skill_code=code)
                    if rng.random() < 0.6
                    else Endorsement(volunteer_id=pid, skill_code=code)
                )
            if rng.random() < 0.5:
                db.add(
                    BackgroundCheck(
                        profile_id=pid,
                        partnership_id=world.partnership_id,
                        seen_on=dt.date(2026, 6, 1),
                    )
                )
        shapes = [
            (dt.datetime(2026, 12, 2, 18, 0), dt.datetime(2026, 12, 2, 19, 30)),
            (dt.datetime(2026, 12, 3, 21, 0), dt.datetime(2026, 12, 4, 0, 0)),  # ends at midnight
            (dt.datetime(2026, 12, 4, 22, 0), dt.datetime(2026, 12, 5, 1, 0)),  # past midnight
            (dt.datetime(2026, 12, 6, 9, 0), dt.datetime(2026, 12, 6, 12, 0)),
            (dt.datetime(2026, 12, 1, 0, 0), dt.datetime(2026, 12, 1, 3, 0)),
        ]
        sessions = []
        for key in ("circle", "football"):
            aid = world.activities[key]
            db.add(StaffingNeed(activity_id=aid, role="host", count=2, skills=codes[:1], languages=[]))
            db.add(StaffingNeed(activity_id=aid, role="helper", count=3, skills=[], languages=[]))
            for start, end in shapes:
                s = Session(activity_id=aid, starts_at=start.replace(tzinfo=ZONE), ends_at=end.replace(tzinfo=ZONE))
                db.add(s)
                await db.flush()
                sessions.append(s.id)
                # Somebody from the crowd holds each session's helper place, one their host place.
                for name in rng.sample(names, 2):
                    db.add(
                        Assignment(
                            session_id=s.id,
                            volunteer_id=world.profiles[name],
                            role=rng.choice(["helper", "host"]),
                            status=rng.choice([AssignmentStatus.ACCEPTED, AssignmentStatus.PROPOSED]),
                            starts_at=s.starts_at,
                            ends_at=s.ends_at,
                        )
                    )
        return sessions

    return run_db(settings, arrange)


def _overlap(a: tuple[str, str], b: tuple[str, str]) -> bool:
    (s1, e1), (s2, e2) = ((dt.datetime.fromisoformat(x), dt.datetime.fromisoformat(y)) for x, y in (a, b))
    return s1 < e2 and s2 < e1


def test_narrowed_candidates_are_exactly_the_matchers_eligible(settings, world):
    rng = random.Random(19)
    sessions = _crowd(settings, world, rng)

    async def compare(db):
        p = await db.get(Partnership, world.partnership_id)
        checked = 0
        for sid in sessions:
            s = await db.get(Session, sid)
            act = await db.get(Activity, s.activity_id)
            # Everyone, as a match run of this session loads them.
            whole = (await build_problem(db, p, [target_row(s, act)], check_pins=False)).problem
            held = {x["volunteer"] for x in (*whole["pinned"], *whole["previous"]) if x["shift"] == str(sid)}
            out = {(x["volunteer"], x["shift"]) for x in whole["excluded"]}
            times = {sh["id"]: (sh["start"], sh["end"]) for sh in whole["shifts"]}
            here = times[str(sid)]
            busy = {
                x["volunteer"] for x in whole["pinned"] if x["shift"] != str(sid) and _overlap(times[x["shift"]], here)
            }
            for role in ("host", "helper"):
                expected = {
                    v
                    for v in matching.eligible_volunteers(matching.parse_problem(whole), str(sid), role)
                    if v not in held and (v, str(sid)) not in out
                }
                _, fits, _ = await repair_problem(db, p, s, act, role)
                # A held slot elsewhere counts as availability for its own hours; one that overlaps
                # the place makes its holder eligible by rules 1-7 alone, but rule 9 keeps them out.
                assert set(fits) - busy == expected - busy, (s.starts_at, role)
                checked += len(expected)
        assert checked > 40  # many places had candidates, so the comparison said something

    run_db(settings, compare)
