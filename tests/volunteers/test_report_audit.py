"""The auditor: every figure of the impact report recomputed from its written definition, with SQL of our own.

Nothing here imports the report's queries: the SQL below is written from the
definitions in the README (and the report's "Definitions" section) on a generated
history with follow-ups, withdrawn consents, anonymisations, cancellations, hand
assignments to past sessions and published runs. A shown figure must equal the
auditor's; a figure shown as "<5" must hold 1-4 people, one shown as "hidden" 5 or more.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy import Boolean, Date, bindparam, text

from report_history import generate
from service_support import NOW, run_db

ZONE = ZoneInfo("Europe/Stockholm")
BANDS = ((65, "65+"), (50, "50-64"), (35, "35-49"), (25, "25-34"), (18, "18-24"), (16, "16-17"), (13, "13-15"))
TIME = DateTimeUTC(timezone=True)
PERIODS = [("2026-01-01", "2026-06-30"), ("2026-02-14", "2026-04-03")]  # the second snaps to Feb-Apr


def band(born: dt.date | None, on: dt.date) -> str:
    if born is None:
        return "unknown"
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return next(b for floor, b in BANDS if age >= floor or floor == 13)


def as_time(v: Any) -> dt.datetime:
    if isinstance(v, str):
        v = dt.datetime.fromisoformat(v)
    return v if v.tzinfo else v.replace(tzinfo=dt.UTC)


def as_uuid(v: Any) -> uuid.UUID:
    return uuid.UUID(bytes=bytes(v)) if isinstance(v, bytes | memoryview) else uuid.UUID(str(v))


def as_date(v: Any) -> dt.date:
    return dt.date.fromisoformat(v) if isinstance(v, str) else v


def whole_months(start: str, end: str) -> tuple[dt.date, dt.date]:
    a, b = dt.date.fromisoformat(start).replace(day=1), dt.date.fromisoformat(end)
    b = (b.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return a, b


def audit(world: Any, start: dt.date, end: dt.date) -> Any:
    lo = dt.datetime.combine(start, dt.time(0), tzinfo=ZONE).astimezone(dt.UTC)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=ZONE).astimezone(dt.UTC)
    params = {"pid": world.partnership_id, "lo": lo, "hi": hi, "now": min(hi, NOW), "start": start, "end": end}
    binds = [
        bindparam("pid", type_=GUID()),
        bindparam("lo", type_=TIME),
        bindparam("hi", type_=TIME),
        bindparam("now", type_=TIME),
        bindparam("start", type_=Date),
        bindparam("end", type_=Date),
        bindparam("yes", type_=Boolean),
    ]
    params["yes"] = True

    async def q(db: Any, sql: str) -> list[Any]:
        stmt = text(sql).bindparams(*[b for b in binds if f":{b.key}" in sql])
        used = {k: v for k, v in params.items() if f":{k}" in sql}
        return list((await db.execute(stmt, used)).all())

    async def main(db: Any) -> dict[str, Any]:
        f: dict[str, Any] = {}
        worked = """
            FROM attendance att
            JOIN assignment a ON a.id = att.assignment_id
            JOIN activity_session s ON s.id = a.session_id
            JOIN activity ac ON ac.id = s.activity_id
            JOIN partner p ON p.id = ac.partner_id
            JOIN volunteer_profile vp ON vp.id = a.volunteer_id
            WHERE ac.partnership_id = :pid AND a.status = 'completed' AND att.attended = :yes
              AND s.starts_at >= :lo AND s.starts_at < :hi"""
        rows = await q(
            db, f"SELECT vp.id, vp.birth_date, s.starts_at, att.minutes, p.slug, ac.kind, ac.target_group {worked}"
        )
        per_person: dict[Any, list[Any]] = {}
        dims: dict[str, dict[str, list[Any]]] = {
            d: defaultdict(lambda: [set(), 0]) for d in ("partner", "kind", "target")
        }
        months: dict[str, int] = defaultdict(int)
        for vid, born, starts, minutes, slug, kind, target in rows:
            starts = as_time(starts)
            rec = per_person.setdefault(vid, [born and as_date(born), starts, 0])
            rec[1] = min(rec[1], starts)
            rec[2] += minutes
            for d, key in (("partner", slug), ("kind", kind), ("target", target)):
                dims[d][key][0].add(vid)
                dims[d][key][1] += minutes
            months[starts.astimezone(ZONE).strftime("%Y-%m")] += minutes
        f["active"] = len(per_person)
        f["active_ids"] = set(per_person)
        f["minutes"] = sum(r[2] for r in per_person.values())
        ages: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for born, first, minutes in per_person.values():
            ages[band(born, first.astimezone(ZONE).date())][0] += 1
            ages[band(born, first.astimezone(ZONE).date())][1] += minutes
        f["age"] = {k: tuple(v) for k, v in ages.items()}
        f.update({d: {k: (len(v[0]), v[1]) for k, v in cells.items()} for d, cells in dims.items()})
        f["month"] = dict(months)
        new = await q(
            db,
            """SELECT vp.birth_date, vp.created_at FROM volunteer_profile vp JOIN user_account u ON u.id = vp.user_id
               WHERE vp.partnership_id = :pid AND vp.created_at >= :lo AND vp.created_at < :hi
                 AND u.anonymised_at IS NULL""",
        )
        f["new"] = len(new)
        f["new_age"] = defaultdict(int)
        for born, created in new:
            f["new_age"][band(born and as_date(born), as_time(created).astimezone(ZONE).date())] += 1
        reach = await q(
            db,
            """SELECT sp.age_group, SUM(sp.count) FROM session_participants sp
               JOIN activity_session s ON s.id = sp.session_id JOIN activity ac ON ac.id = s.activity_id
               WHERE ac.partnership_id = :pid AND s.status = 'scheduled' AND s.starts_at >= :lo AND s.starts_at < :hi
               GROUP BY sp.age_group""",
        )
        f["reach"] = {g: int(n) for g, n in reach}
        # Sessions held, their needs and the places filled in time.
        held = await q(
            db,
            """SELECT s.id, s.activity_id, p.slug FROM activity_session s JOIN activity ac ON ac.id = s.activity_id
               JOIN partner p ON p.id = ac.partner_id
               WHERE ac.partnership_id = :pid AND s.status = 'scheduled'
                 AND s.starts_at >= :lo AND s.starts_at < :now""",
        )
        needs = await q(db, "SELECT activity_id, session_id, role, count FROM staffing_need")
        general: dict[Any, dict[str, int]] = defaultdict(dict)
        own: dict[Any, dict[str, int]] = defaultdict(dict)
        for act, sid, role, n in needs:
            (own[sid] if sid is not None else general[act])[role] = n
        filled = dict(
            await q(
                db,
                """SELECT a.session_id, COUNT(*) FROM assignment a JOIN activity_session s ON s.id = a.session_id
                   WHERE a.status IN ('accepted', 'confirmed', 'completed', 'no_show')
                     AND EXISTS (SELECT 1 FROM assignment_event e WHERE e.assignment_id = a.id
                                 AND e.to_status = 'accepted' AND e.created_at <= s.starts_at)
                   GROUP BY a.session_id""",
            )
        )
        by_partner: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for sid, act, slug in held:
            need = sum({**general[act], **own[sid]}.values())
            agg = by_partner[slug]
            agg[0] += 1
            agg[1] += need
            agg[2] += min(need, filled.get(sid, 0))
        f["sessions"] = dict(by_partner)
        # Unfilled demand from the latest published plan of each session.
        runs = (
            await db.execute(
                text(
                    """SELECT session_ids, plan FROM match_run WHERE partnership_id = :pid AND status = 'published'
                       AND period_start <= :end AND period_end >= :start ORDER BY published_at"""
                )
                .bindparams(
                    bindparam("pid", type_=GUID()), bindparam("start", type_=Date), bindparam("end", type_=Date)
                )
                .columns(session_ids=JsonB, plan=JsonB),
                {"pid": world.partnership_id, "start": start, "end": end},
            )
        ).all()
        latest: dict[str, list[Any]] = {}
        for sids, plan in runs:
            sids = json.loads(sids) if isinstance(sids, str) else sids
            plan = json.loads(plan) if isinstance(plan, str) else plan
            for sid in sids:
                latest[sid] = [x for x in plan["shortages"] if x["shift"] == sid]
        open_sessions = {
            str(as_uuid(r[0]))
            for r in await q(
                db,
                """SELECT s.id FROM activity_session s JOIN activity ac ON ac.id = s.activity_id
                   WHERE ac.partnership_id = :pid AND s.status = 'scheduled'
                     AND s.starts_at >= :lo AND s.starts_at < :hi""",
            )
        }
        reasons: dict[str, int] = defaultdict(int)
        for sid, shorts in latest.items():
            if sid in open_sessions:
                for x in shorts:
                    counts = [(r["count"], -i, r["code"]) for i, r in enumerate(x["reasons"])]
                    reasons[max(counts)[2] if counts else "no_reason"] += x["missing"]
        f["runs"], f["missing"], f["reasons"] = len(runs), sum(reasons.values()), dict(reasons)
        # Work and studies: the population, the dated history, the answers in the period.
        population = {
            r[0]
            for r in await q(
                db,
                """SELECT vp.id FROM volunteer_profile vp JOIN user_account u ON u.id = vp.user_id
                   WHERE vp.partnership_id = :pid AND u.anonymised_at IS NULL
                     AND NOT (EXISTS (SELECT 1 FROM consent c WHERE c.user_id = u.id AND c.kind = 'followup'
                                      AND c.withdrawn_at IS NOT NULL)
                              AND NOT EXISTS (SELECT 1 FROM consent c WHERE c.user_id = u.id AND c.kind = 'followup'
                                              AND c.withdrawn_at IS NULL))""",
            )
        }
        history: dict[Any, list[tuple[dt.date, bool]]] = defaultdict(list)
        for vid, since, seeking in await q(db, "SELECT volunteer_id, since, seeking FROM job_seeking_status"):
            history[vid].append((as_date(since), bool(seeking)))
        answers: dict[Any, list[tuple[dt.date, str, list[str], Any]]] = defaultdict(list)
        for vid, on, situation, helped, used in await q(
            db, "SELECT volunteer_id, answered_on, situation, helped, certificate_used FROM follow_up"
        ):
            on = as_date(on)
            if vid in population and start <= on <= end:
                answers[vid].append((on, situation, json.loads(helped) if isinstance(helped, str) else helped, used))

        def seeking_on(vid: Any, day: dt.date) -> bool:
            rows = sorted(r for r in history[vid] if r[0] <= day)
            return bool(rows) and rows[-1][1]

        looking = working = 0
        for vid in population:
            days = [start] + [d for d, _ in history[vid] if start < d <= end]
            if not any(seeking_on(vid, d) for d in days):
                continue
            looking += 1
            for on, situation, _, _ in answers.get(vid, []):
                if situation in ("working", "supported_employment", "studying") and any(
                    seeking_on(vid, d) for d in days if d < on
                ):
                    working += 1
                    break
        f["looking"], f["working"] = looking, working
        f["respondents"] = len(answers)
        latest_situation: dict[str, int] = defaultdict(int)
        helped_by: dict[str, int] = defaultdict(int)
        used = 0
        for given in answers.values():
            latest_situation[max(given)[1]] += 1
            for h in {h for g in given for h in g[2]}:
                helped_by[h] += 1
            used += any(g[3] is True or g[3] == 1 for g in given)
        f["situations"], f["helped"], f["used"] = dict(latest_situation), dict(helped_by), used
        asked = await q(
            db,
            """SELECT vp.id FROM volunteer_profile vp WHERE vp.partnership_id = :pid AND vp.created_at < :hi
               AND EXISTS (SELECT 1 FROM assignment a WHERE a.volunteer_id = vp.id AND a.status = 'completed'
                           AND a.starts_at < :hi)""",
        )
        f["asked"] = len([r for r in asked if r[0] in population])
        certs = await q(
            db,
            """SELECT SUM(CASE WHEN issued_at >= :lo AND issued_at < :hi THEN 1 ELSE 0 END),
                      SUM(CASE WHEN revoked_at >= :lo AND revoked_at < :hi THEN 1 ELSE 0 END)
               FROM certificate WHERE partnership_id = :pid""",
        )
        f["issued"], f["revoked"] = (int(x or 0) for x in certs[0])
        # Learning: goals endorsed in the period, trainings completed in it, by people not erased.
        live = """FROM volunteer_profile vp JOIN user_account u ON u.id = vp.user_id
                  WHERE vp.partnership_id = :pid AND u.anonymised_at IS NULL"""
        goals = {vid: g for vid, g in await q(db, f"SELECT vp.id, vp.learning_goals {live}")}
        endorsed = await q(
            db, "SELECT volunteer_id, skill_code FROM endorsement WHERE created_at >= :lo AND created_at < :hi"
        )
        f["goals_reached"] = len(
            {
                vid
                for vid, code in endorsed
                if vid in goals and code in (json.loads(goals[vid]) if isinstance(goals[vid], str) else goals[vid])
            }
        )
        trained = await q(
            db, "SELECT DISTINCT volunteer_id FROM training WHERE completed_on >= :start AND completed_on <= :end"
        )
        f["trained"] = len({r[0] for r in trained if r[0] in goals})
        return f

    return main


def check_count(report_count: dict[str, Any], truth: int, what: str) -> None:
    if report_count["suppressed"]:
        assert truth > 0, what  # hidden: small, or its table's total went with its cells
    else:
        assert report_count["value"] == truth, what


def check_cell(c: dict[str, Any], people: int, minutes: int | None, what: str) -> None:
    if c["suppressed"]:
        if c["hidden"] == "small":
            assert 1 <= people <= 4, (what, people)
        elif c["hidden"] == "months":  # head counts: hidden because one of the period's months hides it
            assert people >= 1, (what, people)
        else:
            assert people >= 5, (what, people)
        assert c["people"] is None and c["minutes"] is None, what
    else:
        assert c["people"] == people, (what, c, people)
        if minutes is not None:
            assert c["minutes"] == minutes, (what, c, minutes)


@pytest.fixture
def generated(settings: Any, world: Any) -> Any:
    return run_db(settings, generate(world, seed=17))


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_every_figure_matches_the_auditors_own_sql(
    api: Any, world: Any, settings: Any, generated: Any, start: str, end: str
) -> None:
    coordinator = api("coordinator")
    settings_url = f"/api/partnerships/{world.partnership_id}/settings"
    bad = coordinator.patch(settings_url, json={"hour_value_sek": 0})
    assert bad.status_code in (400, 422) and "hour_value_sek" in bad.text, bad.text
    assert coordinator.patch(settings_url, json={"hour_value_sek": 250}).status_code == 200
    # Goals: one met exactly at its target, one missed by one, one on a share; a wrong one writes nothing.
    a0, b0 = whole_months(start, end)
    truth = run_db(settings, audit(world, a0, b0))
    wanted = [
        {"label": "Reach people", "indicator": "volunteers.active", "target": truth["active"]},
        {"label": "Reach one more", "indicator": "volunteers.active", "target": truth["active"] + 1},
        {"label": "Fill places", "indicator": "sessions.fill_rate", "target": 50},
    ]
    wrong = coordinator.put("/api/reports/goals", json=[*wanted, {"label": "x", "indicator": "nope", "target": 1}])
    assert wrong.status_code in (400, 422) and "goals[3].indicator" in wrong.text, wrong.text
    assert coordinator.get("/api/reports/goals").json() == []
    assert coordinator.put("/api/reports/goals", json=wanted).status_code == 200
    got = coordinator.get(f"/api/reports/impact?start={start}&end={end}&lang=en")
    assert got.status_code == 200, got.text
    r = got.json()
    a, b = whole_months(start, end)
    assert (r["start"], r["end"]) == (a.isoformat(), b.isoformat())
    t = run_db(settings, audit(world, a, b))
    assert t["active"] > 20 and t["looking"] > 5 and t["respondents"] > 5  # the history exercises the figures

    check_count(r["volunteers"]["active"], t["active"], "active")
    if not r["volunteers"]["active"]["suppressed"]:
        assert r["hours"]["total_minutes"] == t["minutes"]
    for key, dim in (("by_partner", "partner"), ("by_activity_kind", "kind"), ("by_target_group", "target")):
        for c in r["hours"][key]:
            check_cell(c, *t[dim].get(c["key"], (0, 0)), f"{key}.{c['key']}")
    for c in r["hours"]["by_age_band"]:
        check_cell(c, *t["age"].get(c["key"], (0, 0)), f"age.{c['key']}")
    for c in r["volunteers"]["active_by_age_band"]:
        check_cell(c, t["age"].get(c["key"], (0, 0))[0], None, f"active_age.{c['key']}")
    assert {c["key"]: c["minutes"] for c in r["hours"]["by_month"]} == t["month"]
    if r["hours"]["total_minutes"] is not None:
        assert r["hour_value"] == {"rate_sek": 250, "value_sek": round(t["minutes"] * 250 / 60)}
    else:
        assert r["hour_value"] == {"rate_sek": 250, "value_sek": None}
    assert t["reach"], "the history has leaders' counts of children and young people"
    check_count(r["reach"]["total"], sum(t["reach"].values()), "reach")
    for c in r["reach"]["by_age_group"]:
        check_cell(c, t["reach"].get(c["key"], 0), None, f"reach.{c['key']}")
    goals = [(g["label"], g["value"], g["met"]) for g in r["goals"]]
    fill = round(r["sessions"]["fill_rate"] * 100, 1)
    assert goals == [
        ("Reach people", t["active"], True),
        ("Reach one more", t["active"], False),
        ("Fill places", fill, fill >= 50),
    ]
    check_count(r["volunteers"]["new"], t["new"], "new")
    for c in r["volunteers"]["new_by_age_band"]:
        check_cell(c, t["new_age"].get(c["key"], 0), None, f"new_age.{c['key']}")

    s = r["sessions"]
    assert {f["key"]: [f["sessions"], f["needed_slots"], f["filled_slots"]] for f in s["by_partner"]} == {
        k: t["sessions"].get(k, [0, 0, 0]) for k in ("abf", "sisu")
    }
    total = [sum(v[i] for v in t["sessions"].values()) for i in range(3)]
    assert [s["held"], s["needed_slots"], s["filled_slots"]] == total
    assert s["fill_rate"] == round(total[2] / total[1], 3)

    u = r["unfilled_demand"]
    assert (u["published_runs"], u["missing_slots"]) == (t["runs"], t["missing"])
    assert {x["code"]: x["missing_slots"] for x in u["by_reason"]} == t["reasons"]
    assert sum(x["missing_slots"] for x in u["by_reason"]) == u["missing_slots"]
    assert all("_" not in x["label"] for x in u["by_reason"])  # words, never a raw code

    j = r["job_seekers"]
    check_count(j["looking_for_work"], t["looking"], "looking")
    check_count(j["later_working_or_studying"], t["working"], "working")
    if j["share"] is not None:
        assert j["share"] == round(t["working"] / t["looking"], 3)
    fu = r["follow_ups"]
    check_count(fu["respondents"], t["respondents"], "respondents")
    check_count(fu["asked"], t["asked"], "asked")
    if fu["response_rate"] is not None:
        assert fu["response_rate"] == round(t["respondents"] / t["asked"], 3)
    for c in fu["latest_situation"]:
        check_cell(c, t["situations"].get(c["key"], 0), None, f"situation.{c['key']}")
    for c in fu["helped"]:
        check_cell(c, t["helped"].get(c["key"], 0), None, f"helped.{c['key']}")
    check_count(fu["certificate_used"], t["used"], "certificate_used")
    check_count(r["certificates"]["issued"], t["issued"], "issued")
    check_count(r["certificates"]["revoked"], t["revoked"], "revoked")
    assert t["goals_reached"] > 0 and t["trained"] > 0
    check_count(r["learning"]["goals_reached"], t["goals_reached"], "goals_reached")
    check_count(r["learning"]["trainings_completed"], t["trained"], "trained")

    # The previous period: as many whole months, ending the day before; retention into this one.
    months = (b.year - a.year) * 12 + b.month - a.month + 1
    index = a.year * 12 + a.month - 1 - months
    pa, pb = dt.date(index // 12, index % 12 + 1, 1), a - dt.timedelta(days=1)
    p = run_db(settings, audit(world, pa, pb))
    pv = r["previous"]
    assert (pv["start"], pv["end"]) == (pa.isoformat(), pb.isoformat())
    check_count(pv["active"], p["active"], "previous.active")
    if not pv["active"]["suppressed"]:
        assert pv["total_hours"] == round(p["minutes"] / 60, 1)
    assert pv["sessions_held"] == sum(v[0] for v in p["sessions"].values())
    kept = len(p["active_ids"] & t["active_ids"])
    if pv["retention"] is None:
        assert pv["retained"]["suppressed"] or p["active"] == 0
        assert p["active"] == 0 or 0 < kept < 5 or 0 < p["active"] - kept < 5 or p["active"] < 5
    else:
        assert pv["retained"]["value"] == kept
        assert pv["retention"] == round(kept / p["active"], 3)
    if start == "2026-02-14":  # November to January before it: January's sessions exercise retention
        assert p["active"] > 10 and pv["retention"] is not None
