"""The demo partnership IOP Pettersberg, generated deterministically (`samverka seed`).

    await seed_demo(settings)                       # ~150 volunteers, 25 activities
    await seed_demo(settings, volunteers=2000)      # a city-sized benchmark

Names come from Faker `sv_SE` and everything else from one `random.Random`, both seeded,
so one seed gives the same people and the same history; the dates are relative to
`today`, so the demo always has weeks ahead. The whole seed is one transaction of bulk
inserts, and it is idempotent: when the partnership's slug exists nothing is written.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import uuid
from collections import Counter
from typing import Any, cast
from zoneinfo import ZoneInfo

from faker import Faker
from sqlalchemy import Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from seeds import history as H
from seeds import pettersberg as P
from seeds import wording as W
from seeds.history import uuid7
from seeds.people import Volunteer, age_on, make_volunteers
from volunteers.accounts.security import hash_password, new_token
from volunteers.db.engine import create_engine
from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentEvent,
    Attendance,
    AvailabilityException,
    AvailabilityRule,
    BackgroundCheck,
    Base,
    Consent,
    Endorsement,
    JobSeekingStatus,
    Membership,
    Partner,
    Partnership,
    Session,
    Skill,
    StaffingNeed,
    Training,
    User,
    VolunteerProfile,
    VolunteerSkill,
)
from volunteers.settings import Settings

DEFAULT_VOLUNTEERS = 150
VOLUNTEERS_PER_ACTIVITY = 6
VALID_DAYS = 365
CHECK_MIN_AGE = 15
Rows = dict[type[Base], list[dict[str, Any]]]


class SeedError(RuntimeError):
    """The database is not ready for the demo (no catalogue, or a demo e-mail is taken)."""


async def seed_demo(
    settings: Settings,
    *,
    volunteers: int | None = None,
    weeks: int = 8,
    seed: int = 2026,
    today: dt.date | None = None,
) -> str:
    """Seed IOP Pettersberg unless it exists; a short summary with the demo log-ins."""
    zone = ZoneInfo(P.TIMEZONE)
    today = today or dt.datetime.now(zone).date()
    count = DEFAULT_VOLUNTEERS if volunteers is None else volunteers
    if count < 1 or weeks < 0:
        raise ValueError("volunteers must be at least 1 and weeks not negative")
    engine = create_engine(settings)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as db:
            found = await db.scalar(select(Partnership.id).where(Partnership.slug == P.SLUG))
            if found is not None:
                return f"{P.NAME} ({P.SLUG}) already exists: nothing changed.\n{_logins()}"
            await _check_ready(db)
            rows, summary = build(count, weeks, seed, today, zone)
            for model, values in rows.items():
                # Core executemany: every row has every key, so the rows go in one batch.
                if values:
                    await db.execute(insert(cast(Table, model.__table__)), values)
            await db.commit()
            return summary
    finally:
        await engine.dispose()


async def _check_ready(db: AsyncSession) -> None:
    skills = await db.scalar(select(func.count()).select_from(Skill))
    if not skills:
        raise SeedError("the skills catalogue is empty: run `samverka db upgrade` first")
    emails = [a.email for a in P.ACCOUNTS]
    taken = (await db.scalars(select(User.email).where(User.email.in_(emails)))).all()
    if taken:
        raise SeedError(f"demo e-mail already in use without the demo partnership: {taken[0]}")


def build(count: int, weeks: int, seed: int, today: dt.date, zone: ZoneInfo) -> tuple[Rows, str]:
    """Every row of the demo, as lists of dicts per model, and the summary to print."""
    rng = random.Random(seed)
    fake = Faker("sv_SE")
    fake.seed_instance(seed)
    people = make_volunteers(rng, fake, count, today)
    activities = H.plan_activities(max(1, round(count / VOLUNTEERS_PER_ACTIVITY)))
    sessions = H.plan_sessions(activities, today, weeks, zone)
    works = H.staff_past(rng, people, sessions, VALID_DAYS, CHECK_MIN_AGE)
    works += _upcoming_for_demo(rng, people[0], sessions)
    praise = H.endorse(rng, works)
    courses = H.trainings(rng, works, today)

    now = dt.datetime.now(dt.UTC)
    rows: Rows = {
        m: []
        for m in (
            Partnership,
            Partner,
            User,
            Membership,
            VolunteerProfile,
            Consent,
            JobSeekingStatus,
            VolunteerSkill,
            AvailabilityRule,
            AvailabilityException,
            BackgroundCheck,
            Activity,
            Session,
            StaffingNeed,
            Assignment,
            AssignmentEvent,
            Attendance,
            Endorsement,
            Training,
        )
    }

    def add(model: type, at: dt.datetime | None = None, **values: Any) -> uuid.UUID:
        values.setdefault("id", uuid7())
        values["created_at"] = values["updated_at"] = at or now
        rows[model].append(values)
        return values["id"]  # type: ignore[no-any-return]

    started = _at(today - dt.timedelta(weeks=H.PAST_WEEKS + 4), dt.time(9), zone)
    pid = add(
        Partnership,
        started,
        slug=P.SLUG,
        name=P.NAME,
        area=P.AREA,
        description=P.DESCRIPTION,
        timezone=P.TIMEZONE,
        starts_on=P.STARTS_ON,
        ends_on=P.ENDS_ON,
        background_check_valid_days=VALID_DAYS,
        background_check_min_age=CHECK_MIN_AGE,
        certificate_threshold_minutes=600,
        leader_requests_publish_directly=False,
        cancel_deadline_hours=24,
        followup_interval_months=6,
    )
    partner_ids = {
        p.key: add(Partner, started, partnership_id=pid, slug=p.slug, name=p.name, description=p.description)
        for p in P.PARTNERS
    }

    # The demo password is published, so the policy refuses it for every real account;
    # the seed alone sets it, straight as a hash.
    demo_hash = hash_password(P.DEMO_PASSWORD)
    # Generated volunteers share one hash of a password nobody knows: argon2 is slow.
    locked_hash = hash_password(secrets.token_urlsafe(24))
    staff: dict[str, uuid.UUID] = {}
    for account in (P.COORDINATOR, *P.LEADERS):
        uid = add(
            User,
            started,
            email=account.email,
            password_hash=demo_hash,
            display_name=f"{account.first_name} {account.last_name}",
            locale="sv",
            is_active=True,
            failed_logins=0,
        )
        staff[account.partner or "coordinator"] = uid
        add(
            Membership,
            started,
            user_id=uid,
            partnership_id=pid,
            role=account.role,
            partner_id=partner_ids[account.partner] if account.partner else None,
            title=account.title,
        )
    coordinator = staff["coordinator"]

    user_ids, profile_ids = [], []
    for i, v in enumerate(people):
        joined = _at(v.registered_on, dt.time(10 + i % 9, (7 * i) % 60), zone)
        uid = add(
            User,
            joined,
            email=v.email,
            password_hash=demo_hash if i == 0 else locked_hash,
            display_name=v.name,
            locale=v.locale,
            is_active=True,
            failed_logins=0,
        )
        add(Membership, joined, user_id=uid, partnership_id=pid, role="volunteer", partner_id=None, title="")
        minor = bool(v.guardian_name)
        vid = add(
            VolunteerProfile,
            joined,
            user_id=uid,
            partnership_id=pid,
            first_name=v.first_name,
            last_name=v.last_name,
            birth_date=v.birth_date,
            phone=v.phone,
            languages=v.languages,
            learning_goals=v.learning_goals,
            preferred_activity_kinds=v.kinds,
            seeking_work=v.seeking_work,
            max_minutes_per_week=v.max_minutes_per_week,
            guardian_name=v.guardian_name,
            guardian_contact=v.guardian_contact,
            guardian_consent_at=joined if minor else None,
            calendar_token=new_token(24),
        )
        user_ids.append(uid)
        profile_ids.append(vid)
        if v.seeking_work:  # answered at registration: the first row of the dated history the report reads
            add(JobSeekingStatus, joined, volunteer_id=vid, since=joined.date(), seeking=True, source="registration")
        for kind, by in (("data_processing", ""), ("guardian", v.guardian_name)):
            if kind == "data_processing" or minor:
                add(
                    Consent,
                    joined,
                    user_id=uid,
                    kind=kind,
                    wording_version=P.CONSENT_VERSION,
                    given_at=joined,
                    withdrawn_at=None,
                    given_by=by,
                )
        for code in v.skills:
            add(VolunteerSkill, joined, profile_id=vid, skill_code=code)
        for weekday, start, end in v.rules:
            add(
                AvailabilityRule,
                joined,
                profile_id=vid,
                weekday=weekday,
                start_time=start,
                end_time=end,
                valid_from=None,
                valid_until=None,
            )
        for first, last in v.away:
            add(
                AvailabilityException,
                joined,
                profile_id=vid,
                kind="away",
                date_from=first,
                date_to=last,
                start_time=None,
                end_time=None,
                note="Bortrest",
            )
        for day, start, end in v.extra:
            add(
                AvailabilityException,
                joined,
                profile_id=vid,
                kind="available",
                date_from=day,
                date_to=day,
                start_time=start,
                end_time=end,
                note="Kan extra den här dagen",
            )
        for seen in v.checks:
            add(
                BackgroundCheck,
                _at(seen, dt.time(13), zone),
                profile_id=vid,
                partnership_id=pid,
                seen_on=seen,
                seen_by_id=coordinator,
            )

    for a in activities:
        s = a.spec
        add(
            Activity,
            started,
            id=a.id,
            partnership_id=pid,
            partner_id=partner_ids[s.partner],
            name=a.name,
            name_en=W.activity_name_en(s.key, a.name, s.name),
            description=s.description,
            kind=s.kind,
            target_group=s.target,
            place=s.place,
            tasks=list(s.tasks),
            tasks_done=W.tasks_done(s.tasks),
            is_active=True,
            # The demo opens every activity for volunteers' own sign-up (a coordinator's choice, /signup-settings).
            open_for_signup=True,
        )
        for n in s.needs:
            add(
                StaffingNeed,
                started,
                activity_id=a.id,
                session_id=None,
                role=n.role,
                role_sv=W.role_names(n.role)[0],
                role_en=W.role_names(n.role)[1],
                count=n.count,
                skills=list(n.skills),
                languages=list(n.languages),
                min_age=n.min_age,
                priority=n.priority,
                develops=list(n.develops),
            )
    for sess in sessions:
        add(
            Session,
            started,
            id=sess.id,
            activity_id=sess.activity.id,
            starts_at=sess.starts_at,
            ends_at=sess.ends_at,
            status="cancelled" if sess.cancelled else "scheduled",
            note=P.HOLIDAY_NOTE if sess.cancelled else "",
            series_id=sess.activity.series_id,
        )

    for w in works:
        leader = staff[w.session.activity.spec.partner]
        actors = {"coordinator": coordinator, "volunteer": user_ids[w.volunteer], "leader": leader}
        add(
            Assignment,
            w.events[0][3],
            id=w.id,
            session_id=w.session.id,
            volunteer_id=profile_ids[w.volunteer],
            role=w.need.role,
            status=w.status,
            reason="",
            starts_at=w.session.starts_at,
            ends_at=w.session.ends_at,
        )
        rows[Assignment][-1]["updated_at"] = w.events[-1][3]
        for before, after, actor, at, reason in w.events:
            add(
                AssignmentEvent,
                at,
                assignment_id=w.id,
                from_status=before,
                to_status=after,
                by_user_id=actors[actor],
                reason=reason,
            )
        if w.status in ("completed", "no_show"):
            minutes = w.session.minutes if w.status == "completed" else 0
            if w.volunteer and minutes > 60 and rng.random() < 0.08:
                minutes -= 30  # left early
            add(
                Attendance,
                w.events[-1][3],
                assignment_id=w.id,
                attended=w.status == "completed",
                minutes=minutes,
                confirmed_by_id=leader,
                confirmed_at=w.events[-1][3],
            )
    for p in praise:
        add(
            Endorsement,
            p.session.ends_at + dt.timedelta(hours=20),
            volunteer_id=profile_ids[p.volunteer],
            skill_code=p.skill,
            session_id=p.session.id,
            activity_id=p.session.activity.id,
            by_user_id=staff[p.session.activity.spec.partner],
            note=p.note,
        )
    for i, name, issuer, day in courses:
        add(
            Training,
            _at(day, dt.time(16), zone),
            volunteer_id=profile_ids[i],
            name=name,
            name_en=W.TRAINING_NAMES_EN.get(name, ""),
            issuer=issuer,
            completed_on=day,
            recorded_by_id=coordinator,
        )
    return rows, _summary(rows, people, sessions, works, seed, today, weeks)


def _upcoming_for_demo(rng: random.Random, amina: Volunteer, sessions: list[H.PlannedSession]) -> list[H.Work]:
    """The demo volunteer's next homework sessions: one confirmed, one waiting for her answer."""
    rules = H.Eligibility(amina, VALID_DAYS, CHECK_MIN_AGE)
    out: list[H.Work] = []
    for s in sessions:
        if s.past or s.activity.spec.key != "laxhjalp-mellan" or s.activity.name != "Läxhjälp mellanstadiet":
            continue
        need = s.activity.spec.needs[0]
        if not rules.may_take(s, need):
            continue
        rules.book(s)
        proposed = s.starts_at - dt.timedelta(days=6)
        events: list[tuple[str | None, str, str, dt.datetime, str]] = [(None, "proposed", "coordinator", proposed, "")]
        status = "proposed"
        if not out:
            events += [
                ("proposed", "accepted", "volunteer", proposed + dt.timedelta(hours=5), ""),
                ("accepted", "confirmed", "coordinator", proposed + dt.timedelta(days=1), ""),
            ]
            status = "confirmed"
        out.append(H.Work(uuid7(), 0, s, need, status, events))
        if len(out) == 2:
            break
    return out


def _at(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=zone).astimezone(dt.UTC)


def _logins() -> str:
    lines = [f"Demo log-ins (password: {P.DEMO_PASSWORD}):"]
    for a in P.ACCOUNTS:
        what = a.role if a.partner is None else f"leader, {next(p.name for p in P.PARTNERS if p.key == a.partner)}"
        lines.append(f"  {a.email:<32} {a.first_name} {a.last_name} ({what})")
    return "\n".join(lines)


def _summary(
    rows: Rows,
    people: list[Volunteer],
    sessions: list[H.PlannedSession],
    works: list[H.Work],
    seed: int,
    today: dt.date,
    weeks: int,
) -> str:
    status = Counter(w.status for w in works)
    past = sum(s.past for s in sessions)
    under16 = sum(age_on(v.birth_date, today) < 16 for v in people)
    demo_minutes = sum(w.session.minutes for w in works if w.volunteer == 0 and w.status == "completed")
    return "\n".join(
        [
            f"Seeded {P.NAME} ({P.SLUG}), seed {seed}, today {today.isoformat()}:",
            f"  {len(people)} volunteers ({under16} under 16 with a guardian's consent), "
            f"{len(rows[Partner])} partners, {len(rows[Activity])} activities",
            f"  {len(sessions)} sessions: {past} past, {len(sessions) - past} in the next {weeks} weeks "
            f"({sum(s.cancelled for s in sessions)} cancelled); {len(rows[StaffingNeed])} staffing needs",
            f"  {len(works)} assignments ("
            + ", ".join(f"{n} {k}" for k, n in sorted(status.items()))
            + f"), {len(rows[AssignmentEvent])} events, {len(rows[Attendance])} attendances",
            f"  {len(rows[Endorsement])} endorsements, {len(rows[Training])} trainings, "
            f"{len(rows[BackgroundCheck])} background checks",
            f"  {P.DEMO_VOLUNTEER.first_name} has {demo_minutes / 60:.1f} verified hours",
            _logins(),
        ]
    )
