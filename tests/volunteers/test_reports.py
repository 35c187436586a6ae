"""The impact report against a hand-counted history, its suppression, its exports and who may read it.

The history (`build_history`), counted by hand for 2026-01-01 - 2026-06-30:
  A: 5 volunteers born 2000 (25-34), new in Feb, seeking work; each 120 min on football S1 (Feb)
  B: 4 born 2008 (18-24), new in Feb; each 90 min on football S2 (Mar); B0 a no-show on S3
  C: 3 born 1970 (50-64); each 60 min on the circle S3 (Mar)
  D: 5 born 1985 (35-49); each 60 min on S3
  S4 (July) is after the period; S5 was cancelled; Anna declined S1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import msgspec
import pytest
from pypdf import PdfReader
from sqlalchemy import update

from service_support import World, run_db
from volunteers.accounts.security import new_token
from volunteers.db.models import (
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    Attendance,
    Certificate,
    CertificateStatus,
    FollowUp,
    JobSeekingStatus,
    MatchRun,
    MatchRunStatus,
    Membership,
    Role,
    Session,
    SessionStatus,
    Situation,
    StaffingNeed,
    User,
    VolunteerProfile,
)
from volunteers.reports import ImpactReport, impact_charts, impact_html
from volunteers.reports.charts import fingerprint

START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
OLD = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
JOINED = dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)


def at(day: str, hour: int = 16) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=dt.UTC)


@dataclass
class History:
    groups: dict[str, list[uuid.UUID]] = field(default_factory=dict)
    sessions: dict[str, uuid.UUID] = field(default_factory=dict)


def build_history(world: World) -> Any:
    """Groups A (5, born 2000, new, seeking work), B (4, born 2008, new), C (3, born 1970), D (5, born 1985)."""

    async def arrange(db: Any) -> History:
        h = History()
        pid = world.partnership_id
        await db.execute(update(VolunteerProfile).values(created_at=OLD))
        specs = {
            "A": (5, dt.date(2000, 3, 1), JOINED, True),
            "B": (4, dt.date(2008, 1, 10), JOINED, False),
            "C": (3, dt.date(1970, 5, 5), dt.datetime(2025, 6, 1, tzinfo=dt.UTC), False),
            "D": (5, dt.date(1985, 1, 1), OLD, False),
        }
        for g, (n, born, created, seeking) in specs.items():
            h.groups[g] = []
            for i in range(n):
                u = User(email=f"{g.lower()}{i}@test.samverka.se", password_hash="x", display_name=f"{g}{i}")
                db.add(u)
                await db.flush()
                db.add(Membership(user_id=u.id, partnership_id=pid, role=Role.VOLUNTEER))
                v = VolunteerProfile(
                    user_id=u.id,
                    partnership_id=pid,
                    first_name=f"{g}{i}",
                    last_name="Test",
                    birth_date=born,
                    seeking_work=seeking,
                    calendar_token=new_token(24),
                    created_at=created,
                )
                db.add(v)
                await db.flush()
                if seeking:  # answered "yes" at registration
                    db.add(
                        JobSeekingStatus(volunteer_id=v.id, since=created.date(), seeking=True, source="registration")
                    )
                h.groups[g].append(v.id)
        football, circle = world.activities["football"], world.activities["circle"]
        plan = {
            "S1": (football, "2026-02-10", SessionStatus.SCHEDULED),
            "S2": (football, "2026-03-10", SessionStatus.SCHEDULED),
            "S3": (circle, "2026-03-12", SessionStatus.SCHEDULED),
            "S4": (circle, "2026-07-05", SessionStatus.SCHEDULED),
            "S5": (circle, "2026-04-01", SessionStatus.CANCELLED),
        }
        times: dict[str, tuple[dt.datetime, dt.datetime]] = {}
        for key, (activity, day, status) in plan.items():
            s = Session(activity_id=activity, starts_at=at(day), ends_at=at(day, 18), status=status)
            db.add(s)
            await db.flush()
            h.sessions[key] = s.id
            times[key] = (s.starts_at, s.ends_at)
        db.add_all(
            [
                StaffingNeed(activity_id=football, role="coach", count=6),
                StaffingNeed(activity_id=football, session_id=h.sessions["S2"], role="coach", count=4),
                StaffingNeed(activity_id=circle, role="helper", count=10),
                StaffingNeed(activity_id=circle, role="host", count=1),
            ]
        )

        later: list[Attendance] = []
        events: list[AssignmentEvent] = []

        def work(vid: uuid.UUID, key: str, minutes: int, status: AssignmentStatus = AssignmentStatus.COMPLETED) -> None:
            a = Assignment(
                id=uuid.uuid4(),
                session_id=h.sessions[key],
                volunteer_id=vid,
                role="coach" if key in ("S1", "S2") else "helper",
                status=status,
                starts_at=times[key][0],
                ends_at=times[key][1],
            )
            db.add(a)
            if status in (AssignmentStatus.COMPLETED, AssignmentStatus.NO_SHOW):
                said_yes = times[key][0] - dt.timedelta(days=3)  # accepted before the session
                events.append(AssignmentEvent(assignment_id=a.id, to_status="accepted", created_at=said_yes))
                attended = status == AssignmentStatus.COMPLETED
                later.append(
                    Attendance(assignment_id=a.id, attended=attended, minutes=minutes, confirmed_at=times[key][1])
                )

        for v in h.groups["A"]:
            work(v, "S1", 120)
        work(h.groups["A"][0], "S4", 120)  # after the period
        work(world.profiles["vol_anna"], "S1", 0, AssignmentStatus.DECLINED)
        for v in h.groups["B"]:
            work(v, "S2", 90)
        work(h.groups["B"][0], "S3", 0, AssignmentStatus.NO_SHOW)
        for v in h.groups["C"]:
            work(v, "S3", 60)
        for v in h.groups["D"]:
            work(v, "S3", 60)
        await db.flush()
        db.add_all(events)
        db.add_all(later)  # after their assignments: without relationships the flush does not order them

        def answer(vid: uuid.UUID, day: str, situation: Situation, helped: list[str] | None = None) -> None:
            db.add(
                FollowUp(
                    volunteer_id=vid,
                    answered_on=dt.date.fromisoformat(day),
                    situation=situation,
                    helped=helped or [],
                    comment="private words",
                )
            )
            seeking = situation == Situation.LOOKING_FOR_WORK  # as the follow-up service dates it
            db.add(
                JobSeekingStatus(
                    volunteer_id=vid, since=dt.date.fromisoformat(day), seeking=seeking, source="follow_up"
                )
            )

        a, b, c, d = (h.groups[g] for g in "ABCD")
        for v in a:
            answer(v, "2026-05-01", Situation.WORKING, ["reference", "skills"])
        for v in d[:3]:
            answer(v, "2026-01-15", Situation.LOOKING_FOR_WORK)
        answer(d[0], "2026-04-01", Situation.STUDYING, ["certificate"])
        answer(d[1], "2026-07-01", Situation.WORKING)
        answer(b[0], "2026-01-20", Situation.WORKING, ["contact"])
        answer(c[0], "2026-08-01", Situation.LOOKING_FOR_WORK)

        s2, s3, s4 = (str(h.sessions[k]) for k in ("S2", "S3", "S4"))

        def run(status: MatchRunStatus, published: dt.datetime | None, shortages: list[dict[str, Any]]) -> MatchRun:
            return MatchRun(
                partnership_id=pid,
                period_start=dt.date(2026, 3, 1),
                period_end=dt.date(2026, 3, 31),
                session_ids=[s2, s3, s4],
                status=status,
                plan={"assignments": [], "shortages": shortages},
                published_at=published,
            )

        reasons = [{"code": "no_valid_check", "count": 2, "message": "-"}, {"code": "not_available", "count": 5}]
        db.add_all(
            [
                run(MatchRunStatus.PUBLISHED, at("2026-02-01"), [{"shift": s3, "role": "helper", "missing": 7}]),
                run(
                    MatchRunStatus.PUBLISHED,
                    at("2026-02-20"),
                    [
                        {"shift": s3, "role": "helper", "missing": 3, "reasons": reasons},
                        {"shift": s4, "role": "helper", "missing": 9, "reasons": reasons},
                    ],
                ),
                run(MatchRunStatus.DONE, None, [{"shift": s2, "role": "coach", "missing": 4}]),
            ]
        )
        for i, day in enumerate(["2025-12-01", "2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10", "2026-06-30"]):
            revoked = i == 2
            db.add(
                Certificate(
                    public_id=f"cert-{i}",
                    volunteer_id=d[i % 5],
                    partnership_id=pid,
                    issued_at=at(day, 10),
                    language="sv",
                    key_id="k",
                    content_sha256="0" * 64,
                    verified_minutes=600,
                    status=CertificateStatus.REVOKED if revoked else CertificateStatus.VALID,
                    revoked_at=at("2026-05-05") if revoked else None,
                )
            )
        return h

    return arrange


QUERY = f"start={START}&end={END}"


@pytest.fixture
def history(settings: Any, world: Any) -> Any:
    return run_db(settings, build_history(world))


def _report(api: Any, world: Any, lang: str = "en") -> dict[str, Any]:
    r = api("coordinator").get(f"/api/reports/impact?partnership_id={world.partnership_id}&{QUERY}&lang={lang}")
    assert r.status_code == 200, r.text
    return r.json()


def _cells(cells: list[dict[str, Any]]) -> dict[str, tuple[Any, ...]]:
    return {c["key"]: (c["people"], c["minutes"]) if "minutes" in c else (c["people"],) for c in cells}


def test_volunteer_and_hour_figures_match_the_hand_count(api: Any, world: Any, history: Any) -> None:
    r = _report(api, world)
    assert r["volunteers"]["active"] == {"value": 17, "suppressed": False}
    assert r["volunteers"]["new"] == {"value": 9, "suppressed": False}
    h = r["hours"]
    assert (h["total_minutes"], h["total_hours"]) == (1440, 24.0)
    assert _cells(h["by_partner"]) == {"abf": (8, 480), "sisu": (9, 960)}
    assert [c["label"] for c in h["by_partner"]] == ["ABF Västerås", "RF-SISU Västmanland"]
    kinds = _cells(h["by_activity_kind"])
    assert kinds["sport"] == (9, 960) and kinds["study_circle"] == (8, 480) and kinds["culture"] == (0, 0)
    targets = _cells(h["by_target_group"])
    assert targets["children"] == (9, 960) and targets["adults"] == (8, 480)
    # Months carry hours only, and only the months with work.
    assert _cells(h["by_month"]) == {"2026-02": (None, 600), "2026-03": (None, 840)}


def test_a_cell_of_four_people_is_suppressed_and_five_is_shown(api: Any, world: Any, history: Any) -> None:
    ages = {c["key"]: c for c in _report(api, world)["hours"]["by_age_band"]}
    # Ages on the first session's date: A 25 (25-34), B 18 (18-24), C 55 (50-64), D 41 (35-49).
    assert (ages["35-49"]["people"], ages["35-49"]["minutes"], ages["35-49"]["suppressed"]) == (5, 300, False)
    # 4 + 3 hidden of 17 would leave 7 for two cells of 1-4: at least 3 each. 25-34 goes too, as "hidden".
    assert ages["25-34"]["suppressed"] and ages["25-34"]["hidden"] == "complement"
    for band in ("18-24", "50-64"):  # 4 and 3 people
        assert ages[band] | {"label": None} == {
            "key": band,
            "label": None,
            "people": None,
            "minutes": None,
            "hours": None,
            "suppressed": True,
            "hidden": "small",
        }
    assert ages["65+"]["people"] == 0 and not ages["65+"]["suppressed"]


def test_a_lone_small_cell_takes_the_next_smallest_with_it(api: Any, world: Any, history: Any) -> None:
    # New volunteers: 5 aged 25-34 and 4 aged 18-24, total 9 shown: 9 - 5 would reveal the 4.
    r = _report(api, world)
    new = {c["key"]: c for c in r["volunteers"]["new_by_age_band"]}
    assert new["18-24"]["hidden"] == "small" and new["25-34"]["hidden"] == "complement"
    assert new["35-49"] == new["35-49"] | {"people": 0, "suppressed": False}


def test_sessions_fill_rate_and_unfilled_demand(api: Any, world: Any, history: Any) -> None:
    r = _report(api, world)
    s = r["sessions"]
    # S1 needs 6 coaches (5 said yes in time), S2 its own 4 (4), S3 10 helpers + 1 host (9: B0 said yes and
    # did not come; a place filled, no hours); S4 later, S5 cancelled.
    assert (s["held"], s["needed_slots"], s["filled_slots"], s["fill_rate"]) == (3, 21, 18, 0.857)
    by_partner = {f["key"]: (f["sessions"], f["needed_slots"], f["filled_slots"]) for f in s["by_partner"]}
    assert by_partner == {"abf": (1, 11, 9), "sisu": (2, 10, 9)}
    u = r["unfilled_demand"]
    # The later published run replaces the earlier for S3; S4's shortage is after the period; a run not
    # published does not count.
    assert (u["published_runs"], u["missing_slots"]) == (2, 3)
    # One shortage's places go to one reason (the one that turned most away): the reasons add up to the total.
    assert [(x["code"], x["label"], x["missing_slots"], x["turned_away"]) for x in u["by_reason"]] == [
        ("not_available", "Not available", 3, 5)
    ]


def test_job_seekers_follow_ups_and_certificates(api: Any, world: Any, history: Any) -> None:
    r = _report(api, world)
    # Looking: A by their profile (5), D0-D2 by a follow-up (3); later working or studying: A (5) and D0.
    # D1's work came after the period, C0 began looking after it, B0 never looked.
    j = r["job_seekers"]
    assert (j["looking_for_work"]["value"], j["later_working_or_studying"]["value"], j["share"]) == (8, 6, 0.75)
    f = r["follow_ups"]
    assert f["respondents"] == {"value": 9, "suppressed": False}
    latest = {c["key"]: (c["people"], c["hidden"]) for c in f["latest_situation"]}
    # Studying 1 and looking 2 of 9: shown beside "working 6" they would add up to 3, so working is hidden too.
    assert latest == {
        "working": (None, "complement"),
        "supported_employment": (0, ""),
        "internship": (0, ""),
        "labour_market_programme": (0, ""),
        "studying": (None, "small"),
        "looking_for_work": (None, "small"),
        "other": (0, ""),
    }
    helped = {c["key"]: c["people"] for c in f["helped"]}
    assert helped == {"skills": 5, "reference": 5, "contact": None, "certificate": None}
    assert r["certificates"] == {
        "issued": {"value": 5, "suppressed": False},
        "revoked": {"value": None, "suppressed": True},
    }
    assert any("gender" in n for n in r["notes"])


def test_csv_export_parses_back_to_the_same_figures(api: Any, world: Any, history: Any) -> None:
    r = api("coordinator").get(f"/api/reports/impact.csv?{QUERY}")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    by = {(row["section"], row["key"]): row for row in rows}
    assert by[("volunteers.active", "all")]["people"] == "17"
    assert by[("hours.total", "all")]["minutes"] == "1440"
    assert (by[("hours.by_partner", "sisu")]["people"], by[("hours.by_partner", "sisu")]["minutes"]) == ("9", "960")
    suppressed = by[("hours.by_age_band", "18-24")]
    assert (suppressed["people"], suppressed["minutes"], suppressed["suppressed"]) == ("", "", "true")
    assert by[("sessions", "fill_rate")]["value"] == "0.857"
    assert by[("job_seekers.share", "all")]["value"] == "0.75"


def test_pdf_report_carries_the_headline_figures(api: Any, world: Any, history: Any) -> None:
    r = api("coordinator").get(f"/api/reports/impact.pdf?{QUERY}&lang=sv")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(r.content))
    words = " ".join((page.extract_text() or "") for page in pdf.pages)
    for figure in (
        "Effektrapport",
        "IOP Pettersberg",
        "Aktiva volontärer",
        "17",
        "24",
        "85,7",
        "<5",
        "dold",
        "Definitioner",
    ):
        assert figure in words, figure
    assert "Kön registreras inte" in words.replace("\n", " ")
    root = pdf.trailer["/Root"]  # tagged for screen readers (PDF/UA-1): a structure tree and the language
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"] and root["/Lang"] == "sv"
    assert not re.search(r"\d\.\d", words)  # no decimal points in the Swedish report


def test_charts_are_accessible_svg(api: Any, world: Any, history: Any) -> None:
    report = msgspec.convert(_report(api, world), ImpactReport)
    charts = impact_charts(report, "en")
    assert {"hours_by_month", "hours_by_partner", "fill_rate_by_partner", "unfilled_by_reason"} <= set(charts)
    svg = charts["hours_by_month"]
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="hours-by-month-title">Hours by month</title>' in svg
    assert "Mar 2026: 14 Hours" in svg  # the desc reads out the figures
    html = impact_html(report, "en", charts)
    assert html.startswith("<!doctype html>") and 'role="img"' in html and "<link" not in html


def test_only_the_partnerships_coordinators_read_reports(api: Any, world: Any, history: Any) -> None:
    for who in ("vol_anna", "leader_sisu"):
        assert api(who).get(f"/api/reports/impact?{QUERY}").status_code == 403
    other = api("coordinator_other").get(f"/api/reports/impact?partnership_id={world.partnership_id}&{QUERY}")
    assert other.status_code == 404
    r = api("coordinator").get(f"/api/reports/impact?{QUERY}")
    assert r.status_code == 200
    assert "private words" not in r.text  # follow-up comments are never part of the report
    bad = api("coordinator").get(f"/api/reports/impact?start={END}&end={START}")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "end"


def test_charts_of_the_same_figures_are_drawn_once(api: Any, world: Any, history: Any) -> None:
    report = msgspec.convert(_report(api, world), ImpactReport)
    later = msgspec.structs.replace(report, generated_at=report.generated_at + dt.timedelta(hours=1))
    assert fingerprint(later) == fingerprint(report)  # when it was computed is not a figure
    assert fingerprint(msgspec.structs.replace(report, partnership_name="Other")) != fingerprint(report)
    one = impact_charts(later, "en", only=["hours_by_month"])
    assert set(one) == {"hours_by_month"}
    assert impact_charts(report, "en")["hours_by_month"] is one["hours_by_month"]  # from the cache
    assert impact_charts(report, "sv")["hours_by_month"] != one["hours_by_month"]  # another language
    html = impact_html(report, "en")
    assert html.count('<img role="img" alt="Hours by month. ') == 1 and "data:image/svg+xml;base64," in html
