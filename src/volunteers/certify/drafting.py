"""Putting a certificate's facts together from the database: verified work only."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from certificates import Activity as ActivityFact
from certificates import CertificateData, CertificateDataError
from certificates import Reference as ReferenceFact
from certificates import Skill as SkillFact
from certificates import Training as TrainingFact
from volunteers.accounts.actor import Actor
from volunteers.certify import references
from volunteers.certify.wording import (
    KINDS,
    SIGNATORY_ROLE,
    TARGET_GROUPS,
    Language,
    name_wording,
    role_wording,
    task_wording,
    tasks_done_by_task,
    word,
)
from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentStatus,
    Attendance,
    Certificate,
    CertificateStatus,
    Endorsement,
    Membership,
    OwnHours,
    Partner,
    Partnership,
    Role,
    Session,
    Skill,
    StaffingNeed,
    Training,
    User,
    VolunteerProfile,
    VolunteerSkill,
)
from volunteers.errors import DomainError, NotFound, RuleBroken
from volunteers.limits import clean_line

MAX_SKILLS = 8
MIN_SKILLS = 3
MAX_TASKS = 8
# A task is stated only from an activity the volunteer worked at this often: one
# session in a football group is no evidence of refereeing its matches.
MIN_SESSIONS_FOR_TASKS = 2
# Where the checking instructions for employers live, per certificate language (web/employers.py).
CHECK_PATHS: dict[Language, str] = {"sv": "/intyg/kontrollera", "en": "/certificates/check"}


def new_public_id() -> str:
    """20 characters of base32: 100 random bits, not guessable, easy to read aloud and type."""
    return base64.b32encode(secrets.token_bytes(15)).decode().rstrip("=")[:20]


def is_public_id(text: str) -> bool:
    return len(text) == 20 and all(c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for c in text)


@dataclass(frozen=True)
class Signatory:
    name: str
    title: str


@dataclass(frozen=True)
class Draft:
    """A certificate ready to be signed, with what the service stores beside it."""

    data: CertificateData
    profile_id: uuid.UUID
    partnership_id: uuid.UUID
    issuer_partner_id: uuid.UUID


async def signatory(db: AsyncSession, actor: Actor, partnership_id: uuid.UUID) -> Signatory:
    """The issuing coordinator, who approves the certificate by issuing it.

    A volunteer's own issue names the partnership's chosen signatory (a coordinator who,
    by being chosen in the settings, approves the certificates volunteers issue
    themselves) while she is still a coordinator of it, or else nobody: then the
    partnership issues it, and no coordinator who did nothing is printed as having
    certified it.
    """
    stmt = (
        select(User.display_name, Membership.title)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.partnership_id == partnership_id, Membership.role == Role.COORDINATOR)
        .order_by(Membership.created_at)
    )
    if actor.is_coordinator(partnership_id):
        stmt = stmt.where(User.id == actor.user_id)
    else:
        chosen = select(Partnership.signatory_user_id).where(Partnership.id == partnership_id).scalar_subquery()
        chosen_row = (await db.execute(stmt.where(User.id == chosen).limit(1))).first()
        return Signatory(chosen_row[0], chosen_row[1]) if chosen_row else Signatory("", "")
    row = (await db.execute(stmt.limit(1))).first()
    if row is None:
        raise RuleBroken("no_signatory", "the partnership has no coordinator to sign certificates")
    return Signatory(row[0], row[1])


def _pick_skills(endorsed: list[tuple[Skill, int]], own: list[Skill], used: dict[str, int]) -> list[SkillFact]:
    """3-8 catalogue skills: leader-endorsed first (most endorsed first), then self-declared.

    Self-declared skills are ranked by the minutes the volunteer worked in roles that
    call for them (`used`); one that no role of hers called for comes last.
    """
    ranked = [(s, "leader", n) for s, n in sorted(endorsed, key=lambda r: (-r[1], r[0].code))]
    ranked += [(s, "self", 0) for s in sorted(own, key=lambda s: (-used.get(s.code, 0), s.code))]
    out: dict[str, SkillFact] = {}
    for s, by, n in ranked:
        # A certificate states ESCO skills only: the project's own have no URI to check against.
        if s.code in out or not s.esco_uri or not s.key_competence:
            continue
        out[s.code] = SkillFact(s.code, s.label_en, s.label_sv, s.esco_uri, s.key_competence, by, n)  # type: ignore[arg-type]
        if len(out) == MAX_SKILLS:
            break
    return list(out.values())


@dataclass
class _Facts:
    """What the database holds about one volunteer that a certificate may state."""

    profile: VolunteerProfile
    user: User
    partnership: Partnership
    work: list[Any] = field(default_factory=list)
    held: dict[tuple[int, str], str] = field(default_factory=dict)  # (minutes, language) -> public id
    endorsed: list[tuple[Skill, int]] = field(default_factory=list)
    own: list[Skill] = field(default_factory=list)
    trainings: list[Training] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    reference: ReferenceFact | None = None
    needs: dict[tuple[uuid.UUID, str], list[str]] = field(default_factory=dict)  # (activity, role) -> skills
    # (activity, role) -> the role's certificate wording (sv, en), from the activity's needs.
    role_names: dict[tuple[uuid.UUID, str], tuple[str, str]] = field(default_factory=dict)
    # Approved own hours (experience.own_hours): (minutes, day worked, activity).
    own_time: list[tuple[int, dt.date, Activity]] = field(default_factory=list)


async def _load(db: AsyncSession, actor: Actor, profile_ids: list[uuid.UUID]) -> dict[uuid.UUID, _Facts]:
    """The facts of every volunteer the actor may certify, in a few queries however many they are."""
    rows = await db.execute(
        select(VolunteerProfile, User, Partnership)
        .join(User, User.id == VolunteerProfile.user_id)
        .join(Partnership, Partnership.id == VolunteerProfile.partnership_id)
        .where(VolunteerProfile.id.in_(profile_ids))
    )
    facts = {
        profile.id: _Facts(profile, user, partnership)
        for profile, user, partnership in rows.tuples()
        if actor.profile_id == profile.id or actor.is_coordinator(partnership.id)
    }
    ids = list(facts)
    if not ids:
        return facts
    work = await db.execute(
        select(
            Assignment.volunteer_id,
            Attendance.minutes,
            Session.starts_at,
            Assignment.role,
            Activity,
            Partner.id,
            Partner.name,
        )
        .select_from(Attendance)
        .join(Assignment, Assignment.id == Attendance.assignment_id)
        .join(Session, Session.id == Assignment.session_id)
        .join(Activity, Activity.id == Session.activity_id)
        .join(Partner, Partner.id == Activity.partner_id)
        .where(
            # Verified work, as experience.record.verified has it, for many volunteers at once.
            Assignment.volunteer_id.in_(ids),
            Assignment.status == AssignmentStatus.COMPLETED,
            Attendance.attended.is_(True),
        )
        .order_by(Session.starts_at, Assignment.id)
    )
    for w in work:
        facts[w.volunteer_id].work.append(w)
    approved = await db.execute(
        # Time she reported herself and a leader approved counts as verified, as in her
        # experience record (experience.own_hours.approved_groups).
        select(OwnHours.volunteer_id, OwnHours.minutes, OwnHours.worked_on, Activity)
        .join(Activity, Activity.id == OwnHours.activity_id)
        .where(OwnHours.volunteer_id.in_(ids), OwnHours.status == "approved")
        .order_by(OwnHours.worked_on, OwnHours.id)
    )
    for own_vid, own_minutes, worked_on, own_activity in approved.tuples():
        facts[own_vid].own_time.append((int(own_minutes), worked_on, own_activity))
    held = await db.execute(
        select(
            Certificate.volunteer_id, Certificate.verified_minutes, Certificate.language, Certificate.public_id
        ).where(Certificate.volunteer_id.in_(ids), Certificate.status == CertificateStatus.VALID)
    )
    for vid, minutes, language, public_id in held.tuples():
        facts[vid].held.setdefault((minutes, language), public_id)  # type: ignore[index]
    endorsed = await db.execute(
        select(Endorsement.volunteer_id, Skill, func.count(Endorsement.id))
        .join(Skill, Endorsement.skill_code == Skill.code)
        .where(Endorsement.volunteer_id.in_(ids))
        .group_by(Endorsement.volunteer_id, Skill.code)
    )
    for vid, skill, count in endorsed.tuples():
        facts[vid].endorsed.append((skill, int(count)))
    own = await db.execute(
        select(VolunteerSkill.profile_id, Skill)
        .join(Skill, VolunteerSkill.skill_code == Skill.code)
        .where(VolunteerSkill.profile_id.in_(ids))
    )
    for vid, skill in own.tuples():
        facts[vid].own.append(skill)
    trainings = await db.execute(
        select(Training).where(Training.volunteer_id.in_(ids)).order_by(Training.completed_on, Training.id)
    )
    for training in trainings.scalars():
        facts[training.volunteer_id].trainings.append(training)
    for vid, reference in (await references.for_certificates(db, ids)).items():
        facts[vid].reference = reference
    by_partnership: dict[uuid.UUID, list[_Facts]] = defaultdict(list)
    for found in facts.values():
        by_partnership[found.partnership.id].append(found)
    partners = await db.execute(
        select(Partner.partnership_id, Partner.name)
        .where(Partner.partnership_id.in_(list(by_partnership)))
        .order_by(Partner.name)
    )
    for partnership_id, name in partners.tuples():
        for found in by_partnership[partnership_id]:
            found.partners.append(name)
    activity_ids = {w.Activity.id for found in facts.values() for w in found.work}
    if activity_ids:
        needs = await db.execute(
            select(
                StaffingNeed.activity_id,
                StaffingNeed.role,
                StaffingNeed.skills,
                StaffingNeed.role_sv,
                StaffingNeed.role_en,
            )
            .where(StaffingNeed.activity_id.in_(list(activity_ids)))
            # The activity's own needs last, so their wording wins over a session's.
            .order_by(StaffingNeed.session_id.is_(None), StaffingNeed.id)
        )
        wanted: dict[tuple[uuid.UUID, str], list[str]] = defaultdict(list)
        role_names: dict[tuple[uuid.UUID, str], tuple[str, str]] = {}
        for activity_id, role, skills, role_sv, role_en in needs.tuples():
            wanted[(activity_id, role)] += list(skills or [])
            if role_sv or role_en:
                role_names[(activity_id, role)] = (role_sv or "", role_en or "")
        for found in facts.values():
            found.needs = wanted
            found.role_names = role_names
    return facts


async def draft(
    db: AsyncSession,
    actor: Actor,
    profile_id: uuid.UUID,
    language: Language | None,
    now: dt.datetime,
    issuer_url: str,
    base_url: str,
) -> Draft:
    """The facts of a new certificate for this volunteer, or the rule that refuses one."""
    (result,) = await draft_many(db, actor, [profile_id], language, now, issuer_url, base_url)
    if isinstance(result, DomainError):
        raise result
    return result


async def draft_many(
    db: AsyncSession,
    actor: Actor,
    profile_ids: list[uuid.UUID],
    language: Language | None,
    now: dt.datetime,
    issuer_url: str,
    base_url: str,
    signers: dict[uuid.UUID, Signatory] | None = None,
) -> list[Draft | DomainError]:
    """A draft, or the rule that refuses one, for each volunteer in order.

    `signers` caches the signatory per partnership across calls (a bulk issue).
    """
    facts = await _load(db, actor, profile_ids)
    signers = {} if signers is None else signers

    async def signer_of(partnership_id: uuid.UUID) -> Signatory:
        if partnership_id not in signers:
            signers[partnership_id] = await signatory(db, actor, partnership_id)
        return signers[partnership_id]

    out: list[Draft | DomainError] = []
    for profile_id in profile_ids:
        found = facts.get(profile_id)
        if found is None:
            out.append(NotFound(f"volunteer {profile_id} not found"))
            continue
        try:
            out.append(await _compose(found, actor, language, now, issuer_url, base_url, signer_of))
        except DomainError as exc:
            out.append(exc)
    return out


async def _compose(
    facts: _Facts,
    actor: Actor,
    language: Language | None,
    now: dt.datetime,
    issuer_url: str,
    base_url: str,
    signer_of: Callable[[uuid.UUID], Awaitable[Signatory]],
) -> Draft:
    """The certificate's facts from what was loaded, or the rule that refuses one."""
    profile, user, partnership, work = facts.profile, facts.user, facts.partnership, facts.work
    coordinator = actor.is_coordinator(partnership.id)
    if not work:
        raise RuleBroken("no_verified_hours", "a certificate covers verified hours only, and there are none yet")
    own_minutes = sum(m for m, _, _ in facts.own_time)
    minutes = sum(w.minutes for w in work) + own_minutes
    if minutes <= 0:
        raise RuleBroken("no_verified_hours", "a certificate covers verified hours only, and there are none yet")
    if not coordinator and minutes < partnership.certificate_threshold_minutes:
        raise RuleBroken(
            "below_threshold",
            f"you can issue your own certificate from {partnership.certificate_threshold_minutes / 60:g} verified hours"
            f" ({minutes / 60:.1f} so far); a coordinator can issue one earlier",
        )
    if profile.birth_date is None:
        raise RuleBroken(
            "birth_date_missing", "a certificate states the birth date; it is not on record", field="birth_date"
        )
    lang: Language = language or ("en" if user.locale == "en" else "sv")
    existing = facts.held.get((minutes, lang))
    if existing is not None:
        raise RuleBroken(
            "certificate_up_to_date",
            "a valid certificate with these hours already exists; download it again",
            extra={"public_id": existing},
        )
    used: dict[str, int] = defaultdict(int)
    for w in work:
        for code in facts.needs.get((w.Activity.id, w.role), ()):
            used[code] += w.minutes
    skills = _pick_skills(facts.endorsed, facts.own, used)
    if len(skills) < MIN_SKILLS:
        raise RuleBroken(
            "too_few_skills",
            f"a certificate states {MIN_SKILLS}-{MAX_SKILLS} catalogue skills (leader-endorsed or the volunteer's own);"
            f" {len(skills)} found",
        )
    by_partner: dict[uuid.UUID, int] = defaultdict(int)
    names: dict[uuid.UUID, str] = {}
    by_role: dict[str, int] = defaultdict(int)  # by the role's wording: "Tränare" and "tränare" are one
    role_in_activity: dict[uuid.UUID, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    activities: dict[uuid.UUID, Activity] = {}
    activity_minutes: dict[uuid.UUID, int] = defaultdict(int)
    activity_sessions: dict[uuid.UUID, int] = defaultdict(int)
    for w in work:
        by_partner[w.id] += w.minutes
        names[w.id] = w.name
        worded = role_wording(w.role, lang, *facts.role_names.get((w.Activity.id, w.role), ("", "")))
        by_role[worded] += w.minutes
        role_in_activity[w.Activity.id][worded] += w.minutes
        activities.setdefault(w.Activity.id, w.Activity)
        activity_minutes[w.Activity.id] += w.minutes
        activity_sessions[w.Activity.id] += 1
    # Approved own time counts in the role she worked most in that activity (a leader of
    # it approved the time), or else in her main role; and in the activity's minutes.
    main_role = min(by_role, key=lambda r: (-by_role[r], r))
    for own_minutes_one, _day, own_activity in facts.own_time:
        there = role_in_activity.get(own_activity.id)
        role = min(there, key=lambda r: (-there[r], r)) if there else main_role
        by_role[role] += own_minutes_one
        activities.setdefault(own_activity.id, own_activity)
        activity_minutes[own_activity.id] += own_minutes_one
    issuer_partner = min(by_partner, key=lambda p: (-by_partner[p], names[p]))
    # Tasks of the activities she worked at most, and only where she came back.
    worked = sorted(activities, key=lambda a: (-activity_minutes[a], activities[a].name))
    tasks = list(
        dict.fromkeys(
            task_wording(t.strip(), lang, tasks_done_by_task(activities[a].tasks_done).get(" ".join(t.split())))
            for a in worked
            if activity_sessions[a] >= MIN_SESSIONS_FOR_TASKS
            for t in activities[a].tasks
            if t.strip()
        )
    )[:MAX_TASKS]
    role_minutes = {role: by_role[role] for role in sorted(by_role, key=lambda r: (-by_role[r], r))}
    days = [w.starts_at.astimezone(ZoneInfo(partnership.timezone)).date() for w in (work[0], work[-1])]
    days += [day for _, day, _ in facts.own_time]
    trainings = facts.trainings
    signer = await signer_of(partnership.id)
    zone = ZoneInfo(partnership.timezone)
    public_id = new_public_id()
    try:
        data = CertificateData(
            id=public_id,
            issued_on=now.astimezone(zone).date(),
            language=lang,
            issuer_url=issuer_url,
            partner=names[issuer_partner],
            partnership=partnership.name,
            signatory_name=signer.name,
            # The title is written in Swedish; an English page says what the role is.
            signatory_role=(
                ""
                if not signer.name
                else (signer.title or SIGNATORY_ROLE[lang])
                if lang == "sv"
                else SIGNATORY_ROLE[lang]
            ),
            # Cleaned again here: a name stored before names were checked may hold control characters.
            volunteer_name=clean_line(f"{profile.first_name} {profile.last_name}"),
            birth_date=profile.birth_date,
            roles=tuple(role_minutes),
            role_minutes=tuple(role_minutes.values()),
            partners=tuple(facts.partners),
            check_url=base_url + CHECK_PATHS[lang],
            reference=facts.reference,
            activities=tuple(
                ActivityFact(
                    name_wording(a.name, lang, a.name_sv, a.name_en),
                    word(KINDS, a.kind.value, lang),
                    word(TARGET_GROUPS, a.target_group.value, lang),
                    a.place,
                )
                for a in activities.values()
            ),
            period_start=min(days),
            period_end=max(days),
            verified_minutes=minutes,
            own_minutes=own_minutes,
            sessions=len(work),
            tasks=tuple(tasks),
            trainings=tuple(
                TrainingFact(name_wording(t.name, lang, t.name_sv, t.name_en), t.issuer, t.completed_on)
                for t in trainings
            ),
            skills=tuple(skills),
            verify_url=f"{base_url}/verify/{public_id}",
        )
    except CertificateDataError as exc:
        raise RuleBroken("certificate_data", str(exc), field=getattr(exc, "field", None)) from exc
    return Draft(data, profile.id, partnership.id, issuer_partner)
