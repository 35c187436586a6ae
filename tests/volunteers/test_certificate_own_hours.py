"""A volunteer's own approved hours count on her certificate as they do in "My experience".

An auditor recomputes the verified minutes with SQL written apart from the service:
attended sessions plus own time a leader approved, nothing pending or rejected.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pypdf
from advanced_alchemy.types import GUID
from sqlalchemy import bindparam, text

from certificates import KeySet, verify_pdf
from certificates.model import hours_from_minutes
from certificates.verify import extract_credential
from experience_support import confirm, standard_work
from service_support import run_db

SESSIONS_SQL = """
SELECT COALESCE(SUM(att.minutes), 0) FROM attendance att
JOIN assignment a ON a.id = att.assignment_id
WHERE a.volunteer_id = :v AND a.status = 'completed' AND att.attended = :yes
"""
OWN_SQL = "SELECT COALESCE(SUM(minutes), 0) FROM own_hours WHERE volunteer_id = :v AND status = 'approved'"
OWN_BY_ACTIVITY_SQL = (
    "SELECT activity_id, SUM(minutes) FROM own_hours WHERE volunteer_id = :v AND status = 'approved' "
    "GROUP BY activity_id"
)


def _audit(settings: Any, volunteer: Any) -> tuple[int, int, dict[Any, int]]:
    async def go(db: Any) -> tuple[int, int, dict[Any, int]]:
        from sqlalchemy import Boolean

        binds = [bindparam("v", type_=GUID()), bindparam("yes", type_=Boolean)]
        params = {"v": volunteer, "yes": True}
        sessions = (await db.execute(text(SESSIONS_SQL).bindparams(*binds), params)).scalar_one()
        own = (await db.execute(text(OWN_SQL).bindparams(binds[0]), {"v": volunteer})).scalar_one()
        rows = await db.execute(
            text(OWN_BY_ACTIVITY_SQL).bindparams(binds[0]).columns(activity_id=GUID()), {"v": volunteer}
        )
        return int(sessions), int(own), {aid: int(m) for aid, m in rows.tuples()}

    return run_db(settings, go)


def _report(volunteer: Any, activity: Any, day: str, minutes: int, kind: str = "preparation") -> str:
    body = {"activity_id": str(activity), "worked_on": day, "minutes": minutes, "kind": kind}
    r = volunteer.post("/api/own-hours", json=body)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_approved_own_hours_are_in_the_certificates_hours_and_nothing_else_is(api, world, settings):
    work = standard_work(settings, world)
    sisu, abf, anna = api("leader_sisu"), api("leader_abf"), api("vol_anna")
    for session in ("f1", "f2", "f3"):
        entries = {"vol_anna": (True, 90)} | ({"vol_bo": (True, 90)} if session != "f3" else {})
        assert confirm(sisu, work, session, entries).status_code == 200
    assert confirm(abf, work, "c1", {"vol_anna": (True, 120)}).status_code == 200
    profile = world.profiles["vol_anna"]
    codes = ["coach_young_people", "work_in_teams", "speak_swedish"]
    assert anna.patch(f"/api/volunteers/{profile}", json={"skills": codes}).status_code == 200
    football, circle = world.activities["football"], world.activities["circle"]
    approve = {"approve": True}
    assert sisu.post(f"/api/own-hours/{_report(anna, football, '2026-11-20', 45)}/decision", json=approve).is_success
    assert abf.post(
        f"/api/own-hours/{_report(anna, circle, '2026-11-21', 75, 'trip')}/decision", json=approve
    ).is_success
    rejected = _report(anna, circle, "2026-11-22", 600)
    assert abf.post(f"/api/own-hours/{rejected}/decision", json={"approve": False}).is_success
    _report(anna, football, "2026-11-23", 300)  # still pending

    coord = api("coordinator")
    issued = coord.post(f"/api/volunteers/{profile}/certificates", json={"language": "en"})
    assert issued.status_code == 201, issued.text
    pdf = coord.get(f"/api/certificates/{issued.json()['public_id']}.pdf").content
    keys = KeySet.loads(api().get("/.well-known/samverka-keys.json").content)
    assert verify_pdf(pdf, keys).ok
    facts = extract_credential(pdf)[0]["credentialSubject"]["samverka"]

    sessions, own, own_by_activity = _audit(settings, profile)
    assert (sessions, own) == (390, 120)
    assert facts["verifiedMinutes"] == sessions + own and facts["ownMinutes"] == own
    assert facts["sessions"] == 4  # own time adds hours, not sessions
    # Each activity's own time goes to the role she worked there: football's to the coach.
    roles = dict(zip(facts["roles"], facts["roleMinutes"], strict=True))
    assert roles == {"Coach": 270 + own_by_activity[football], "Study circle leader": 120 + own_by_activity[circle]}
    assert sum(facts["roleMinutes"]) == facts["verifiedMinutes"]
    page = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))
    assert f"{hours_from_minutes(sessions + own)} hours · 4 sessions" in page.replace("  ", " ")
    assert "confirmed by the activity's leader, 2 of them reported by the volunteer" in page
    # The experience record counts the same minutes.
    assert anna.get(f"/api/volunteers/{profile}/experience").json()["verified_minutes"] == sessions + own
