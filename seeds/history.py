"""The demo's calendar and its past: activities, weekly sessions, and who worked which.

Past assignments are given only to volunteers who may take them under the hard rules of
`formats/matching.md` (skills, languages, age, child safety, minors' hours, availability,
no overlap, weekly cap), asked of the matcher itself (`matching.why_not`), so the demo's
history never breaks a rule the service enforces.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import matching
from seeds import pettersberg as P
from seeds.people import Volunteer
from volunteers.people.availability import DatedException, WeeklyRule, expand_availability

PAST_WEEKS = 12


class _Ids:
    """UUIDv7 keys, ordered by creation like the models' own, ~10x cheaper to make."""

    def __init__(self) -> None:
        self.high = (time.time_ns() // 1_000_000) << 80 | 0x7 << 76 | 0b10 << 62
        self.counter = secrets.randbits(60)  # random start: two seeds never collide

    def __call__(self) -> uuid.UUID:
        self.counter += 1
        c = self.counter
        return uuid.UUID(int=self.high | (c >> 62 & 0xFFF) << 64 | (c & (1 << 62) - 1))


uuid7 = _Ids()
MINORS_KINDS = {"children", "youth", "mixed"}


@dataclass
class PlannedActivity:
    id: uuid.UUID
    spec: P.ActivitySpec
    name: str
    weekday: int
    series_id: uuid.UUID


@dataclass
class PlannedSession:
    id: uuid.UUID
    activity: PlannedActivity
    day: dt.date  # local date
    starts_at: dt.datetime  # UTC
    ends_at: dt.datetime
    past: bool
    cancelled: bool

    @property
    def minutes(self) -> int:
        return round((self.ends_at - self.starts_at).total_seconds() / 60)


@dataclass
class Work:
    """A past assignment: who, where, in which role, how it ended."""

    id: uuid.UUID
    volunteer: int  # index into the volunteers
    session: PlannedSession
    need: P.NeedSpec
    status: str  # completed, no_show, cancelled, declined
    events: list[tuple[str | None, str, str, dt.datetime, str]] = field(default_factory=list)


def plan_activities(count: int) -> list[PlannedActivity]:
    """`count` activities: the 25 of Pettersberg, then more groups of the same kinds."""
    out: list[PlannedActivity] = []
    specs = P.ACTIVITIES
    for i in range(count):
        spec = specs[i % len(specs)]
        group = i // len(specs)
        name = spec.name if group == 0 else f"{spec.name}, grupp {group + 1}"
        # Extra groups meet on another day, keeping weekend activities at weekends.
        if spec.weekday >= 5:
            weekday = 5 + (spec.weekday - 5 + group) % 2
        else:
            weekday = (spec.weekday + group) % 5
        out.append(PlannedActivity(uuid7(), spec, name, weekday, uuid7()))
    return out


def plan_sessions(
    activities: list[PlannedActivity], today: dt.date, weeks: int, zone: ZoneInfo
) -> list[PlannedSession]:
    """Weekly sessions, local time, from PAST_WEEKS back to `weeks` ahead of `today`."""
    first = today - dt.timedelta(weeks=PAST_WEEKS)
    last = today + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
    out: list[PlannedSession] = []
    for act in activities:
        day = first + dt.timedelta(days=(act.weekday - first.weekday()) % 7)
        while day <= last:
            start = dt.datetime.combine(day, act.spec.start, tzinfo=zone).astimezone(dt.UTC)
            end = dt.datetime.combine(day, act.spec.end, tzinfo=zone).astimezone(dt.UTC)
            out.append(PlannedSession(uuid7(), act, day, start, end, day < today, P.is_holiday(day)))
            day += dt.timedelta(weeks=1)
    out.sort(key=lambda s: (s.starts_at, s.activity.name))
    return out


class MatcherRules:
    """The demo as a `matching` problem, so that the matcher's own rules say who may take what.

    One volunteer entry per background check a volunteer has had (and one for none), so
    that each session is judged by the check that was valid on its day.
    """

    def __init__(
        self, people: list[Volunteer], sessions: list[PlannedSession], valid_days: int, check_min_age: int
    ) -> None:
        zone = ZoneInfo(P.TIMEZONE)
        first = min((s.day for s in sessions), default=dt.date.today())
        last = max((s.day for s in sessions), default=first)
        self.checks = [sorted(v.checks) for v in people]
        volunteers = []
        for i, v in enumerate(people):
            rules = [WeeklyRule(wd, start, end) for wd, start, end in v.rules]
            exceptions = [DatedException(False, a, b, None, None) for a, b in v.away]
            exceptions += [DatedException(True, d, d, start, end) for d, start, end in v.extra]
            # Before registering nobody is available: they were not there yet.
            spans = expand_availability(rules, exceptions, max(first, v.registered_on), last, zone)
            entry: dict[str, Any] = {
                "id": str(i),
                "birth_date": v.birth_date.isoformat(),
                "skills": sorted(v.skills),
                "languages": sorted(v.languages),
                "availability": [[a.astimezone(zone).isoformat(), b.astimezone(zone).isoformat()] for a, b in spans],
            }
            if v.max_minutes_per_week is not None:
                entry["max_minutes_per_week"] = v.max_minutes_per_week
            volunteers.append(entry)
            for k, seen in enumerate(self.checks[i]):
                volunteers.append({**entry, "id": f"{i}/{k}", "background_check": seen.isoformat()})
        shifts = [
            {
                "id": str(s.id),
                "activity": str(s.activity.id),
                "activity_type": s.activity.spec.kind,
                "start": s.starts_at.astimezone(zone).isoformat(),
                "end": s.ends_at.astimezone(zone).isoformat(),
                "children": s.activity.spec.target in MINORS_KINDS,
                "roles": [_role(n) for n in s.activity.spec.needs],
            }
            for s in sessions
        ]
        self.problem = matching.parse_problem(
            {
                "format": "matching-problem/1",
                "timezone": P.TIMEZONE,
                "policy": {
                    "background_check_valid_days": valid_days,
                    "background_check_min_age": check_min_age,
                    "min_volunteer_age": 13,
                },
                "volunteers": volunteers,
                "shifts": shifts,
            }
        )

    def volunteer_on(self, i: int, day: dt.date) -> str:
        """The volunteer's entry whose background check is the latest seen by `day`."""
        seen = [k for k, c in enumerate(self.checks[i]) if c <= day]
        return f"{i}/{seen[-1]}" if seen else str(i)

    def reasons(
        self, i: int, s: PlannedSession, need: P.NeedSpec, given: list[tuple[PlannedSession, str]]
    ) -> list[Any]:
        """Why volunteer `i` may not take `need` in `s`, given what they already have (empty if they may)."""
        who = self.volunteer_on(i, s.day)
        # Only the same week's can overlap or count towards the weekly cap; none spares the check.
        week = s.day.isocalendar()[:2]
        mine = [matching.Assignment(who, str(g.id), role) for g, role in given if g.day.isocalendar()[:2] == week]
        return matching.why_not(self.problem, who, str(s.id), need.role, assignments=mine)


def _role(need: P.NeedSpec) -> dict[str, Any]:
    role: dict[str, Any] = {
        "role": need.role,
        "count": need.count,
        "skills": list(need.skills),
        "languages": list(need.languages),
    }
    if need.min_age is not None:
        role["min_age"] = need.min_age
    return role


class Eligibility:
    """One volunteer's standing with the matcher's rules, and what they have been given so far."""

    def __init__(
        self, v: Volunteer, valid_days: int, check_min_age: int, rules: MatcherRules | None = None, index: int = 0
    ):
        self.v = v
        self.valid_days = valid_days
        self.check_min_age = check_min_age
        self.rules = rules
        self.index = index
        self.skills = set(v.skills)
        self.languages = set(v.languages)
        self.given: list[tuple[PlannedSession, str]] = []
        self.activities: set[uuid.UUID] = set()

    def fits_need(self, need: P.NeedSpec) -> bool:
        """A quick first sieve (skills and languages) before the matcher is asked."""
        return self.skills.issuperset(need.skills) and self.languages.issuperset(need.languages)

    def may_take(self, s: PlannedSession, need: P.NeedSpec) -> bool:
        """Whether every hard rule holds for this session and need, as `matching.why_not` says."""
        if s.cancelled or not self.fits_need(need):
            return False
        rules = self.rules
        if rules is None:  # one volunteer on their own: a problem of just their sessions
            sessions = {g.id: g for g, _ in self.given} | {s.id: s}
            own = MatcherRules([self.v], list(sessions.values()), self.valid_days, self.check_min_age)
            return not own.reasons(0, s, need, self.given)
        return not rules.reasons(self.index, s, need, self.given)

    def book(self, s: PlannedSession, need: P.NeedSpec | None = None) -> None:
        self.given.append((s, need.role if need else s.activity.spec.needs[0].role))
        self.activities.add(s.activity.id)


def _events(rng: random.Random, s: PlannedSession, status: str) -> list[tuple[str | None, str, str, dt.datetime, str]]:
    """The status changes that led to `status`: (from, to, actor, when, reason)."""
    proposed = s.starts_at - dt.timedelta(days=rng.randint(8, 14), hours=rng.randint(0, 8))
    answered = proposed + dt.timedelta(hours=rng.randint(2, 60))
    out: list[tuple[str | None, str, str, dt.datetime, str]] = [(None, "proposed", "coordinator", proposed, "")]
    if status == "declined":
        out.append(("proposed", "declined", "volunteer", answered, "Kan inte den veckan."))
        return out
    out.append(("proposed", "accepted", "volunteer", answered, ""))
    confirmed = min(answered + dt.timedelta(days=1), s.starts_at - dt.timedelta(days=1))
    out.append(("accepted", "confirmed", "coordinator", confirmed, ""))
    if status == "cancelled":
        out.append(
            ("confirmed", "cancelled", "volunteer", s.starts_at - dt.timedelta(hours=rng.randint(26, 72)), "Sjuk.")
        )
    else:
        done = s.ends_at + dt.timedelta(hours=rng.randint(1, 40))
        out.append(("confirmed", status, "leader", done, ""))
    return out


def staff_past(
    rng: random.Random,
    people: list[Volunteer],
    sessions: list[PlannedSession],
    valid_days: int,
    check_min_age: int,
) -> list[Work]:
    """Assignments for the past sessions, demo volunteer first, then the regulars."""
    past = [s for s in sessions if s.past and not s.cancelled]
    matcher = MatcherRules(people, past, valid_days, check_min_age)
    rules = [Eligibility(v, valid_days, check_min_age, matcher, i) for i, v in enumerate(people)]
    works: list[Work] = []
    taken: dict[tuple[uuid.UUID, str], int] = defaultdict(int)
    in_session: dict[uuid.UUID, set[int]] = defaultdict(set)

    def give(i: int, s: PlannedSession, need: P.NeedSpec, status: str) -> None:
        works.append(Work(uuid7(), i, s, need, status, _events(rng, s, status)))
        in_session[s.id].add(i)
        if status != "declined":
            rules[i].book(s, need)
            taken[(s.id, need.role)] += 1

    _staff_demo(rules[0], past, give)

    # Each need has a fixed order of candidates, so the same people come back week after
    # week (regulars), and the next in line steps in when one cannot.
    by_weekday: dict[int, list[int]] = defaultdict(list)
    for i, v in enumerate(people):
        for wd in {r[0] for r in v.rules} | {d.weekday() for d, _, _ in v.extra}:
            by_weekday[wd].append(i)
    order: dict[tuple[uuid.UUID, str], list[int]] = {}
    pools: dict[tuple[int, P.NeedSpec], list[int]] = {}  # groups of one spec share these
    for s in past:
        for need in s.activity.spec.needs:
            key = (s.activity.id, need.role)
            if key not in order:
                wd = s.day.weekday()
                if (wd, need) not in pools:
                    pools[(wd, need)] = [i for i in by_weekday[wd] if i and rules[i].fits_need(need)]
                order[key] = rng.sample(pools[(wd, need)], len(pools[(wd, need)]))
            want = need.count - taken[(s.id, need.role)]
            if want <= 0 or rng.random() < 0.1:  # sometimes a slot stays empty
                want = max(0, want - 1)
            for i in order[key][:80]:
                if want <= 0:
                    break
                r = rules[i]
                if i in in_session[s.id] or (
                    s.activity.id not in r.activities and len(r.activities) >= r.v.max_activities
                ):
                    continue
                if rng.random() > r.v.reliability or not r.may_take(s, need):
                    continue
                roll = rng.random()
                status = (
                    "declined"
                    if roll < 0.03
                    else "cancelled"
                    if roll < 0.06
                    else "no_show"
                    if roll < 0.1
                    else "completed"
                )
                give(i, s, need, status)
                if status != "declined":
                    want -= 1
    return works


def _staff_demo(r: Eligibility, past: list[PlannedSession], give) -> None:  # type: ignore[no-untyped-def]
    """Amina: every homework session she can, then story time up to about 20 hours."""
    minutes = 0
    for key, role, target in (("laxhjalp-mellan", "läxhjälpare", 1000), ("sagostund", "sagoläsare somaliska", 1200)):
        for s in past:
            if s.activity.spec.key != key or s.activity.name != s.activity.spec.name:
                continue
            need = next(n for n in s.activity.spec.needs if n.role == role)
            if minutes + s.minutes > target + 30 or not r.may_take(s, need):
                continue
            give(0, s, need, "completed")
            minutes += s.minutes


@dataclass
class Praise:
    """A leader's endorsement of a skill seen in a session."""

    volunteer: int
    skill: str
    session: PlannedSession
    note: str


def endorse(rng: random.Random, works: list[Work]) -> list[Praise]:
    """After a volunteer's third completed session of an activity, the leader often endorses
    a skill the role uses or develops (the demo volunteer always)."""
    done: dict[tuple[int, uuid.UUID], list[Work]] = defaultdict(list)
    for w in works:
        if w.status == "completed":
            done[(w.volunteer, w.session.activity.id)].append(w)
    out: list[Praise] = []
    seen: set[tuple[int, str]] = set()
    for (i, _), ws in done.items():
        if len(ws) < 3 or (i and rng.random() < 0.4):
            continue
        need = ws[2].need
        candidates = [c for c in (*need.skills, *need.develops) if (i, c) not in seen]
        for skill in candidates[: 2 if i == 0 else rng.randint(1, 2)]:
            seen.add((i, skill))
            w = ws[rng.randrange(2, len(ws))]
            out.append(Praise(i, skill, w.session, rng.choice(P.ENDORSEMENT_NOTES)))
    return out


def trainings(rng: random.Random, works: list[Work], today: dt.date) -> list[tuple[int, str, str, dt.date]]:
    """Courses taken by some of the regulars: (volunteer, name, issuer, completed on)."""
    kinds: dict[int, list[str]] = defaultdict(list)
    for w in works:
        if w.status == "completed":
            kinds[w.volunteer].append(w.session.activity.spec.kind)
    out: list[tuple[int, str, str, dt.date]] = []
    for i, done in kinds.items():
        if i == 0:
            courses = ["hlr", "abf"]
        elif len(done) >= 4 and rng.random() < 0.3:
            main = max(sorted(set(done)), key=done.count)
            courses = [rng.choice(("sisu", "hlr")) if main == "sport" else "abf" if main == "study_circle" else "hlr"]
        else:
            continue
        for course in courses:
            name, issuer = P.TRAININGS[course]
            out.append((i, name, issuer, today - dt.timedelta(days=rng.randint(14, 300))))
    return out
