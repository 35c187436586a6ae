"""Activities from CSV: one row per weekly slot and need; rows with the same partner and name are one activity.

A row says when the activity meets each week (weekday, times, first and last date) and,
optionally, one role it needs on every session. Several rows of one activity add
weekly slots (Tuesdays and Thursdays) and roles.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.activities.schemas import Recurrence
from volunteers.activities.services import MAX_SERIES, series_times
from volunteers.db.models import (
    Activity,
    ActivityKind,
    AuditEntry,
    Partner,
    Partnership,
    Session,
    StaffingNeed,
    TargetGroup,
)
from volunteers.errors import InvalidInput
from volunteers.imports.common import ImportRefused, Problem, read_csv, skill_index, split_list, to_csv
from volunteers.languages import KNOWN_LANGUAGES

COLUMNS = (
    "partner",
    "name",
    "kind",
    "target_group",
    "place",
    "weekday",
    "start_time",
    "end_time",
    "first_date",
    "last_date",
    "role",
    "count",
    "skills",
    "languages",
    "min_age",
)
REQUIRED = ("partner", "name", "kind", "target_group", "weekday", "start_time", "end_time", "first_date", "last_date")
WEEKDAYS = {
    **{str(i + 1): i for i in range(7)},
    **{n: i for i, n in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{n: i for i, n in enumerate(("mån", "tis", "ons", "tor", "fre", "lör", "sön"))},
}
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass
class Planned:
    line: int
    partner_id: uuid.UUID
    name: str
    kind: ActivityKind
    target_group: TargetGroup
    place: str
    slots: list[tuple[Recurrence, list[tuple[dt.datetime, dt.datetime]]]] = field(default_factory=list)
    needs: dict[str, dict[str, object]] = field(default_factory=dict)


@dataclass
class Checked:
    activities: list[Planned]
    problems: list[Problem]


def _slot_reason(column: str, detail: str) -> tuple[str, dict[str, object]]:
    """The code for why the activities' weekly series refused a slot (by the field it named)."""
    if column == "end_time":
        return "end_before_start", {}
    if column == "last_date":
        return (
            ("last_before_first", {}) if detail.endswith("first_date") else ("too_many_sessions", {"limit": MAX_SERIES})
        )
    return "no_such_weekday", {}


def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value if len(value) > 2 else f"{value}:00")


async def check(db: AsyncSession, partnership: Partnership, text: str) -> Checked:
    """Every problem of every row, by line, column and reason."""
    rows = read_csv(text, REQUIRED, COLUMNS)
    if rows.problems:
        return Checked([], rows.problems)
    zone = ZoneInfo(partnership.timezone)
    partners: dict[str, uuid.UUID] = {}
    for p in (await db.execute(select(Partner).where(Partner.partnership_id == partnership.id))).scalars():
        partners[p.slug.lower()] = partners[p.name.lower()] = p.id
    existing = {
        (pid, name.lower())
        for pid, name in (
            await db.execute(
                select(Activity.partner_id, Activity.name).where(Activity.partnership_id == partnership.id)
            )
        ).all()
    }
    skills = await skill_index(db)
    planned: dict[tuple[uuid.UUID, str], Planned] = {}
    for line, v in rows.items:
        bad = len(rows.problems)
        partner_id = partners.get(v["partner"].lower())
        if partner_id is None:
            rows.add(line, "partner", "unknown_partner", value=v["partner"])
        name = v["name"]
        if not name or len(name) > 200:
            rows.add(line, "name", "name_length")
        kind = target = None
        try:
            kind = ActivityKind(v["kind"].lower())
        except ValueError:
            rows.add(line, "kind", "one_of", choices=", ".join(k.value for k in ActivityKind))
        try:
            target = TargetGroup(v["target_group"].lower())
        except ValueError:
            rows.add(line, "target_group", "one_of", choices=", ".join(t.value for t in TargetGroup))
        weekday = WEEKDAYS.get(v["weekday"].lower()[:3] if not v["weekday"].isdigit() else v["weekday"])
        if weekday is None:
            rows.add(line, "weekday", "bad_weekday")
        times: dict[str, dt.time] = {}
        for col in ("start_time", "end_time"):
            try:
                times[col] = _time(v[col])
            except ValueError:
                rows.add(line, col, "not_time", value=v[col])
        dates: dict[str, dt.date] = {}
        for col in ("first_date", "last_date"):
            try:
                dates[col] = dt.date.fromisoformat(v[col])
            except ValueError:
                rows.add(line, col, "not_date", value=v[col])
        slot = None
        if weekday is not None and len(times) == 2 and len(dates) == 2:
            slot = Recurrence(weekday, times["start_time"], times["end_time"], dates["first_date"], dates["last_date"])
            try:
                occurrences = series_times(slot, zone)
            except InvalidInput as exc:
                column = (exc.field or "").removeprefix("recurrence.") or "weekday"
                code, params = _slot_reason(column, exc.detail)
                rows.add(line, column, code, **params)
        need: dict[str, object] | None = None
        if v.get("role"):
            need = {"role": v["role"][:80], "count": 1, "skills": [], "languages": [], "min_age": None}
            if v.get("count"):
                if not v["count"].isdigit() or not 1 <= int(v["count"]) <= 50:
                    rows.add(line, "count", "count_range")
                else:
                    need["count"] = int(v["count"])
            codes = []
            for item in split_list(v.get("skills", "")):
                if item.lower() not in skills:
                    rows.add(line, "skills", "unknown_skill", value=item)
                else:
                    codes.append(skills[item.lower()])
            need["skills"] = sorted(set(codes))
            langs = [c.lower() for c in split_list(v.get("languages", ""))]
            for code in langs:
                if code not in KNOWN_LANGUAGES:
                    rows.add(line, "languages", "unknown_language", value=code, known=", ".join(KNOWN_LANGUAGES))
            need["languages"] = sorted(set(langs))
            if v.get("min_age"):
                if not v["min_age"].isdigit() or not 13 <= int(v["min_age"]) <= 100:
                    rows.add(line, "min_age", "min_age_range")
                else:
                    need["min_age"] = int(v["min_age"])
        elif any(v.get(c) for c in ("count", "skills", "languages", "min_age")):
            rows.add(line, "role", "role_required")
        if partner_id is not None and (partner_id, name.lower()) in existing:
            rows.add(line, "name", "activity_exists")
        if len(rows.problems) > bad or partner_id is None or kind is None or target is None or slot is None:
            continue
        key = (partner_id, name.lower())
        act = planned.get(key)
        if act is None:
            act = planned[key] = Planned(line, partner_id, name, kind, target, v.get("place", "")[:200])
        elif (act.kind, act.target_group) != (kind, target):
            rows.add(line, "kind", "differs_from_line", other=act.line)
            continue
        if all(slot != s for s, _ in act.slots):
            act.slots.append((slot, occurrences))
        if need is not None:
            same = act.needs.get(str(need["role"]))
            if same is not None and same != need:
                rows.add(line, "role", "role_twice", value=need["role"])
            act.needs[str(need["role"])] = need
    rows.problems.sort(key=lambda p: (p.line, COLUMNS.index(p.column) if p.column in COLUMNS else -1))
    return Checked(list(planned.values()), rows.problems)


async def import_activities(
    db: AsyncSession, partnership: Partnership, checked: Checked, actor_id: uuid.UUID | None, now: dt.datetime
) -> int:
    """Write every activity with its sessions and needs, in the caller's transaction; returns how many."""
    if checked.problems:
        raise ImportRefused(checked.problems)
    stamps = {"created_at": now, "updated_at": now}
    sessions, needs = [], []
    for act in checked.activities:
        activity = Activity(
            partnership_id=partnership.id,
            partner_id=act.partner_id,
            name=act.name,
            kind=act.kind,
            target_group=act.target_group,
            place=act.place,
        )
        db.add(activity)
        await db.flush()
        for _, occurrences in act.slots:
            series = uuid.uuid4()
            sessions += [
                {
                    **stamps,
                    "id": uuid.uuid4(),
                    "activity_id": activity.id,
                    "starts_at": s,
                    "ends_at": e,
                    "series_id": series,
                }
                for s, e in occurrences
            ]
        needs += [
            {**stamps, "id": uuid.uuid4(), "activity_id": activity.id, "priority": 1, "develops": [], **n}
            for n in act.needs.values()
        ]
    if sessions:
        await db.execute(insert(Session), sessions)
    if needs:
        await db.execute(insert(StaffingNeed), needs)
    db.add(
        AuditEntry(
            actor_id=actor_id,
            partnership_id=partnership.id,
            action="activities.imported",
            subject_type="partnership",
            subject_id=str(partnership.id),
            detail={"count": len(checked.activities)},
        )
    )
    await db.flush()
    return len(checked.activities)


async def export(db: AsyncSession, partnership: Partnership) -> str:
    """Activities in the import's shape: a row per weekly series and role (from the sessions' series)."""
    zone = ZoneInfo(partnership.timezone)
    acts = (
        await db.execute(
            select(Activity, Partner.slug)
            .join(Partner, Partner.id == Activity.partner_id)
            .where(Activity.partnership_id == partnership.id, Activity.is_active.is_(True))
            .order_by(Partner.slug, Activity.name)
        )
    ).all()
    rows: list[list[str]] = []
    for act, slug in acts:
        found = (
            await db.execute(select(Session).where(Session.activity_id == act.id).order_by(Session.starts_at))
        ).scalars()
        series: dict[object, list[Session]] = {}
        for s in found:
            series.setdefault(s.series_id or s.id, []).append(s)
        needs = (
            (
                await db.execute(
                    select(StaffingNeed).where(StaffingNeed.activity_id == act.id, StaffingNeed.session_id.is_(None))
                )
            )
            .scalars()
            .all()
        )
        for group in series.values():
            first, last = group[0].starts_at.astimezone(zone), group[-1].starts_at.astimezone(zone)
            end = group[0].ends_at.astimezone(zone)
            base = [
                slug,
                act.name,
                act.kind.value,
                act.target_group.value,
                act.place,
                DAY_NAMES[first.weekday()],
                first.strftime("%H:%M"),
                end.strftime("%H:%M"),
                first.date().isoformat(),
                last.date().isoformat(),
            ]
            if not needs:
                rows.append([*base, "", "", "", "", ""])
            for n in needs:
                rows.append(
                    [
                        *base,
                        n.role,
                        str(n.count),
                        "|".join(n.skills),
                        "|".join(n.languages),
                        str(n.min_age) if n.min_age else "",
                    ]
                )
    return to_csv(list(COLUMNS), rows)
