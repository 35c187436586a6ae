"""Volunteers from CSV: checked row by row, imported all or nothing, each invited to set a password.

Consent is never imported as given: an imported account cannot log in and is never
matched (it is inactive) until its owner opens the invitation, chooses a password and
consents. Under-16s are refused: their guardian's consent cannot be imported either.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.security import new_token, token_hash
from volunteers.accounts.services import GUARDIAN_AGE, age_on
from volunteers.db.models import (
    AuditEntry,
    Invitation,
    Membership,
    Partnership,
    Role,
    Skill,
    User,
    VolunteerProfile,
    VolunteerSkill,
)
from volunteers.imports.common import ImportRefused, Problem, read_csv, skill_index, split_list, to_csv
from volunteers.languages import KNOWN_LANGUAGES
from volunteers.partnerships.invitations import UNUSABLE_PASSWORD, VALID_FOR

COLUMNS = ("first_name", "last_name", "email", "phone", "birth_date", "languages", "skills")
REQUIRED = ("first_name", "last_name", "email", "birth_date")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^[0-9+()\- ]{5,40}$")


@dataclass
class Person:
    line: int
    first_name: str
    last_name: str
    email: str
    phone: str
    birth_date: dt.date
    languages: list[str]
    skills: list[str]


@dataclass
class Checked:
    people: list[Person]
    problems: list[Problem]


async def check(db: AsyncSession, partnership: Partnership, text: str, now: dt.datetime) -> Checked:
    """Every problem of every row, by line, column and reason."""
    rows = read_csv(text, REQUIRED, COLUMNS)
    if rows.problems:
        return Checked([], rows.problems)
    skills = await skill_index(db)
    today = now.astimezone(ZoneInfo(partnership.timezone)).date()
    seen: dict[str, int] = {}
    people: list[Person] = []
    for line, v in rows.items:
        bad = len(rows.problems)
        for name in ("first_name", "last_name"):
            if not v.get(name):
                rows.add(line, name, "required")
            elif len(v[name]) > 100:
                rows.add(line, name, "too_long", limit=100)
        email = v.get("email", "").lower()
        if not EMAIL.match(email) or len(email) > 320:
            rows.add(line, "email", "not_email", value=v.get("email", ""))
        elif email in seen:
            rows.add(line, "email", "same_email", other=seen[email])
        else:
            seen[email] = line
        phone = v.get("phone", "")
        if phone and not PHONE.match(phone):
            rows.add(line, "phone", "bad_phone")
        birth: dt.date | None = None
        try:
            birth = dt.date.fromisoformat(v.get("birth_date", ""))
        except ValueError:
            rows.add(line, "birth_date", "not_date", value=v.get("birth_date", ""))
        if birth is not None:
            if birth > today or birth.year < 1900:
                rows.add(line, "birth_date", "impossible_birth_date")
            elif age_on(birth, today) < GUARDIAN_AGE:
                rows.add(line, "birth_date", "under_16")
        languages = [code.lower() for code in split_list(v.get("languages", ""))]
        for code in languages:
            if code not in KNOWN_LANGUAGES:
                rows.add(line, "languages", "unknown_language", value=code, known=", ".join(KNOWN_LANGUAGES))
        codes: list[str] = []
        for name in split_list(v.get("skills", "")):
            found = skills.get(name.lower())
            if found is None:
                rows.add(line, "skills", "unknown_skill", value=name)
            else:
                codes.append(found)
        if len(rows.problems) == bad and birth is not None:
            people.append(
                Person(
                    line,
                    v["first_name"],
                    v["last_name"],
                    email,
                    phone,
                    birth,
                    sorted(set(languages)),
                    sorted(set(codes)),
                )
            )
    if seen:
        taken = (await db.execute(select(User.email).where(User.email.in_(list(seen))))).scalars().all()
        for email in taken:
            rows.add(seen[email], "email", "account_exists")
    rows.problems.sort(key=lambda p: (p.line, COLUMNS.index(p.column) if p.column in COLUMNS else -1))
    return Checked(people, rows.problems)


async def import_people(
    db: AsyncSession, partnership: Partnership, checked: Checked, actor_id: uuid.UUID | None, now: dt.datetime
) -> list[tuple[str, str]]:
    """Write every person in one transaction (the caller's); returns (address, invitation secret) pairs."""
    if checked.problems:
        raise ImportRefused(checked.problems)
    users, memberships, profiles, skills, invitations, secrets = [], [], [], [], [], []
    for p in checked.people:
        user_id, profile_id, token = uuid.uuid4(), uuid.uuid4(), new_token()
        users.append(
            {
                "id": user_id,
                "email": p.email,
                "password_hash": UNUSABLE_PASSWORD,
                "display_name": f"{p.first_name} {p.last_name}",
                "locale": "sv",
                "is_active": False,  # until they accept and consent
                "failed_logins": 0,
            }
        )
        memberships.append(
            {
                "id": uuid.uuid4(),
                "user_id": user_id,
                "partnership_id": partnership.id,
                "role": Role.VOLUNTEER,
                "title": "",
            }
        )
        profiles.append(
            {
                "id": profile_id,
                "user_id": user_id,
                "partnership_id": partnership.id,
                "first_name": p.first_name,
                "last_name": p.last_name,
                "birth_date": p.birth_date,
                "phone": p.phone,
                "languages": p.languages,
                "learning_goals": [],
                "preferred_activity_kinds": [],
                "seeking_work": False,
                "guardian_name": "",
                "guardian_contact": "",
                "calendar_token": new_token(24),
            }
        )
        skills += [{"id": uuid.uuid4(), "profile_id": profile_id, "skill_code": c} for c in p.skills]
        invitations.append(
            {
                "id": uuid.uuid4(),
                "partnership_id": partnership.id,
                "email": p.email,
                "role": Role.VOLUNTEER,
                "token_hash": token_hash(token),
                "invited_by_id": actor_id,
                "expires_at": now + VALID_FOR,
                "sent_count": 1,
            }
        )
        secrets.append((p.email, token))
    stamps = {"created_at": now, "updated_at": now}
    # Core inserts, many rows a statement: 500 people in well under a second on either database.
    for model, values in (
        (User, users),
        (Membership, memberships),
        (VolunteerProfile, profiles),
        (VolunteerSkill, skills),
        (Invitation, invitations),
    ):
        if values:
            await db.execute(insert(model), [{**stamps, **v} for v in values])
    db.add(
        AuditEntry(
            actor_id=actor_id,
            partnership_id=partnership.id,
            action="volunteers.imported",
            subject_type="partnership",
            subject_id=str(partnership.id),
            detail={"count": len(users)},
        )
    )
    await db.flush()
    return secrets


async def export(db: AsyncSession, partnership: Partnership) -> str:
    """The partnership's volunteers in the import's shape (skills by ESCO URI where they have one)."""
    profiles = (
        await db.execute(
            select(VolunteerProfile, User.email)
            .join(User, User.id == VolunteerProfile.user_id)
            .where(VolunteerProfile.partnership_id == partnership.id, User.anonymised_at.is_(None))
            .order_by(VolunteerProfile.last_name, VolunteerProfile.first_name)
        )
    ).all()
    uri: dict[str, str | None] = {code: u for code, u in (await db.execute(select(Skill.code, Skill.esco_uri))).all()}
    rows = [
        [
            p.first_name,
            p.last_name,
            email,
            p.phone,
            p.birth_date.isoformat() if p.birth_date else "",
            "|".join(p.languages),
            "|".join(uri.get(s.skill_code) or s.skill_code for s in p.skills),
        ]
        for p, email in profiles
    ]
    return to_csv(list(COLUMNS), rows)
