"""Issue 14's last write paths, through the HTTP API: a coordinator corrects a birth date, corrects or removes a
background-check record, or records that a guardian withdrew their consent. Each is refused with the list of held
places it would break (409 would_release) and, confirmed, releases them; the auditor (written apart) checks after.
And a guard lists only what its write newly breaks: what was broken before is the watch's to release."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from rules_support import audit, held, outbox, session, sql, statuses
from service_support import run_db
from volunteers.db.models import AuditEntry, Consent, VolunteerProfile

ALL_DAY = {"rules": [{"weekday": d, "start_time": "06:00:00", "end_time": "23:59:00"} for d in range(7)]}
LATE = ("2026-12-01T20:30:00+01:00", "2026-12-01T22:00:00+01:00")
MORNING = ("2026-12-05T10:00:00+01:00", "2026-12-05T11:30:00+01:00")


def _setup(api, world, activity="circle", count=2):
    leader = api("leader_abf" if activity == "circle" else "leader_sisu")
    r = leader.post(f"/api/activities/{world.activities[activity]}/needs", json={"role": "ledare", "count": count})
    assert r.status_code == 201, r.text
    for key in ("vol_anna", "vol_bo"):
        assert api(key).put(f"/api/volunteers/{world.profiles[key]}/availability", json=ALL_DAY).status_code == 200
    return leader


def _actions(settings):
    async def go(db):
        return [a for (a,) in (await db.execute(select(AuditEntry.action).order_by(AuditEntry.created_at))).all()]

    return run_db(settings, go)


def _profile(settings, world, key):
    async def go(db):
        return await db.get(VolunteerProfile, world.profiles[key])

    return run_db(settings, go)


def test_a_birth_date_correction_that_makes_a_minor_is_refused_with_the_list_then_releases(api, world, settings):
    leader = _setup(api, world)
    late = held(api, world, "vol_anna", session(leader, world.activities["circle"], *LATE)["id"])
    morning = held(api, world, "vol_anna", session(leader, world.activities["circle"], *MORNING)["id"])
    coord, vid = api("coordinator"), world.profiles["vol_anna"]
    # The volunteer does not correct her own birth date, and a correction comes alone.
    r = api("vol_anna").patch(f"/api/volunteers/{vid}", json={"birth_date": "2012-06-01"})
    assert r.status_code == 403, r.text
    r = coord.patch(f"/api/volunteers/{vid}", json={"birth_date": "2012-06-01", "phone": "070"})
    assert r.status_code == 422 and "phone" in r.text
    assert api("leader_abf").patch(f"/api/volunteers/{vid}", json={"birth_date": "2012-06-01"}).status_code == 404
    # 14 on the sessions' dates, and no guardian's consent on record (she registered as an adult).
    r = coord.patch(f"/api/volunteers/{vid}", json={"birth_date": "2012-06-01"})
    assert r.status_code == 409, r.text
    rows = {x["assignment_id"]: x for x in r.json()["affected"]}
    assert set(rows) == {late, morning}
    assert set(rows[late]["rules"]) == {"minor_hours", "guardian_consent"}
    assert rows[morning]["rules"] == ["guardian_consent"]
    assert rows[morning]["volunteer_name"] == "Anna Volunteer" and rows[morning]["message"]
    assert _profile(settings, world, "vol_anna").birth_date == dt.date(1995, 5, 17)  # nothing applied
    assert statuses(settings) == {late: "accepted", morning: "accepted"}
    r = coord.patch(f"/api/volunteers/{vid}", json={"birth_date": "2012-06-01", "confirm": True})
    assert r.status_code == 200, r.text
    assert r.json()["birth_date"] == "2012-06-01"
    assert statuses(settings) == {late: "cancelled", morning: "cancelled"}
    kinds = [(who, kind) for who, kind, _ in outbox(settings)]
    assert ("vol_anna", "released") in kinds and ("leader_abf", "released_leader") in kinds
    assert "volunteer.birth_date_corrected" in _actions(settings)
    assert audit(settings, world) == []


def test_a_birth_date_correction_that_breaks_nothing_goes_through(api, world, settings):
    leader = _setup(api, world)
    aid = held(api, world, "vol_anna", session(leader, world.activities["circle"], *MORNING)["id"])
    r = api("coordinator").patch(f"/api/volunteers/{world.profiles['vol_anna']}", json={"birth_date": "1990-01-02"})
    assert r.status_code == 200, r.text
    assert statuses(settings) == {aid: "accepted"}
    assert audit(settings, world) == []


def test_correcting_or_removing_a_background_check_is_refused_with_the_list_then_releases(api, world, settings):
    leader = _setup(api, world, activity="football")
    coord = api("coordinator")
    checks = {}
    for key in ("vol_anna", "vol_bo"):
        r = coord.post(f"/api/volunteers/{world.profiles[key]}/background-checks", json={"seen_on": "2026-11-02"})
        assert r.status_code == 201, r.text
        checks[key] = r.json()["id"]
    s = session(leader, world.activities["football"], *MORNING)
    anna, bo = held(api, world, "vol_anna", s["id"]), held(api, world, "vol_bo", s["id"])
    anna_check = f"/api/volunteers/{world.profiles['vol_anna']}/background-checks/{checks['vol_anna']}"
    # Only coordinators, only the volunteer's own records.
    assert api("leader_sisu").patch(anna_check, json={"seen_on": "2025-10-01"}).status_code == 403
    wrong = f"/api/volunteers/{world.profiles['vol_bo']}/background-checks/{checks['vol_anna']}"
    assert coord.patch(wrong, json={"seen_on": "2025-10-01"}).status_code == 404
    assert coord.patch(anna_check, json={"seen_on": "2026-12-24"}).status_code == 422  # in the future
    # Seen a year earlier than recorded: valid until 2026-10-01, before the session.
    r = coord.patch(anna_check, json={"seen_on": "2025-10-01"})
    assert r.status_code == 409, r.text
    assert [(x["assignment_id"], x["rules"]) for x in r.json()["affected"]] == [(anna, ["no_valid_check"])]
    # A correction that keeps the rule goes through at once.
    r = coord.patch(anna_check, json={"seen_on": "2026-10-30"})
    assert r.status_code == 200 and r.json()["valid_until"] == "2027-10-30", r.text
    r = coord.patch(anna_check, json={"seen_on": "2025-10-01", "confirm": True})
    assert r.status_code == 200 and r.json()["seen_on"] == "2025-10-01", r.text
    assert statuses(settings) == {anna: "cancelled", bo: "accepted"}
    # Bo's check recorded in error: removing it is refused with the list, then releases him.
    bo_check = f"/api/volunteers/{world.profiles['vol_bo']}/background-checks/{checks['vol_bo']}"
    r = coord.delete(bo_check)
    assert r.status_code == 409, r.text
    assert [(x["assignment_id"], x["rules"]) for x in r.json()["affected"]] == [(bo, ["no_valid_check"])]
    assert len(coord.get(f"/api/volunteers/{world.profiles['vol_bo']}/background-checks").json()) == 1
    assert coord.delete(f"{bo_check}?confirm=true").status_code == 204
    assert coord.get(f"/api/volunteers/{world.profiles['vol_bo']}/background-checks").json() == []
    assert statuses(settings) == {anna: "cancelled", bo: "cancelled"}
    released = sorted(who for who, kind, _ in outbox(settings) if kind == "released")
    assert released == ["vol_anna", "vol_bo"]
    actions = _actions(settings)
    assert "background_check.corrected" in actions and "background_check.removed" in actions
    assert audit(settings, world) == []


def test_a_guardians_withdrawn_consent_releases_the_minor_and_no_path_places_them_again(api, world, settings):
    leader = _setup(api, world)
    coord, vid = api("coordinator"), world.profiles["vol_bo"]
    consented = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    sql(
        settings,
        update(VolunteerProfile).where(VolunteerProfile.id == vid).values(birth_date=dt.date(2012, 6, 1)),
    )
    r = coord.post(f"/api/volunteers/{vid}/guardian-consent", json={"given_by": "Karin Guardian"})
    assert r.status_code == 201 and r.json()["guardian_consent"] is True, r.text
    a = session(leader, world.activities["circle"], *MORNING)
    b = session(leader, world.activities["circle"], "2026-12-08T17:00:00+01:00", "2026-12-08T18:30:00+01:00")
    accepted = held(api, world, "vol_bo", a["id"])
    proposed = held(api, world, "vol_bo", b["id"], accept=False)
    assert api("vol_bo").delete(f"/api/volunteers/{vid}/guardian-consent").status_code == 403
    r = coord.delete(f"/api/volunteers/{vid}/guardian-consent")
    assert r.status_code == 409, r.text
    assert {(x["assignment_id"], tuple(x["rules"])) for x in r.json()["affected"]} == {
        (accepted, ("guardian_consent",)),
        (proposed, ("guardian_consent",)),
    }
    assert statuses(settings) == {accepted: "accepted", proposed: "proposed"}
    r = coord.delete(f"/api/volunteers/{vid}/guardian-consent?confirm=true")
    assert r.status_code == 200 and r.json()["guardian_consent"] is False, r.text
    assert statuses(settings) == {accepted: "cancelled", proposed: "cancelled"}

    async def consents(db):
        rows = (await db.execute(select(Consent.withdrawn_at).where(Consent.kind == "guardian"))).all()
        return [w for (w,) in rows]

    withdrawn = run_db(settings, consents)
    assert withdrawn and all(w is not None for w in withdrawn)
    assert "guardian_consent.withdrawn" in _actions(settings)
    assert audit(settings, world) == []
    # Hand assignment refuses him, naming the rule; a run leaves him out; open places say why.
    r = coord.post(f"/api/sessions/{a['id']}/assignments", json={"volunteer_id": str(vid), "role": "ledare"})
    assert r.status_code == 409 and r.json()["code"] == "guardian_consent", r.text
    run = coord.post(
        "/api/match-runs",
        json={"partnership_id": str(world.partnership_id), "start": "2026-11-30", "end": "2026-12-13"},
    )
    assert run.status_code == 202, run.text
    done = coord.get(f"/api/match-runs/{run.json()['id']}?wait=30").json()
    assert done["run"]["status"] == "done", done
    assert coord.post(f"/api/match-runs/{run.json()['id']}/publish").status_code == 201
    mine = [x for x in api("vol_bo").get("/api/assignments/mine").json() if x["status"] in ("proposed", "accepted")]
    assert mine == []
    assert audit(settings, world) == []
    # A proposal made behind the service's back is refused at accept.
    sql(
        settings,
        update(VolunteerProfile).where(VolunteerProfile.id == vid).values(guardian_consent_at=consented),
    )
    again = held(api, world, "vol_bo", b["id"], accept=False)
    sql(settings, update(VolunteerProfile).where(VolunteerProfile.id == vid).values(guardian_consent_at=None))
    r = api("vol_bo").post(f"/api/assignments/{again}/accept")
    assert r.status_code == 409 and "guardian_consent" in r.text, r.text
    # The consent given again: he may be placed.
    r = coord.post(f"/api/volunteers/{vid}/guardian-consent", json={"given_by": "Karin Guardian"})
    assert r.status_code == 201, r.text
    assert api("vol_bo").post(f"/api/assignments/{again}/accept").status_code == 200
    assert audit(settings, world) == []


def test_a_guard_lists_only_what_its_write_newly_breaks(api, world, settings):
    leader = _setup(api, world)
    coord = api("coordinator")
    s = session(leader, world.activities["circle"], *MORNING)
    other = session(leader, world.activities["circle"], "2026-12-05T12:00:00+01:00", "2026-12-05T13:30:00+01:00")
    anna, bo = held(api, world, "vol_anna", s["id"]), held(api, world, "vol_bo", s["id"])
    bo_other = held(api, world, "vol_bo", other["id"])
    # Behind the service's back Anna becomes 14 without a guardian's consent: a breach before any write.
    sql(
        settings,
        update(VolunteerProfile)
        .where(VolunteerProfile.id == world.profiles["vol_anna"])
        .values(birth_date=dt.date(2012, 6, 1)),
    )
    assert audit(settings, world) != []
    # A move that breaks nothing new goes through; Anna's old breach is left to the watch.
    r = leader.patch(
        f"/api/sessions/{s['id']}",
        json={"starts_at": "2026-12-05T09:00:00+01:00", "ends_at": "2026-12-05T10:30:00+01:00"},
    )
    assert r.status_code == 200, r.text
    # Her own change of phone number is not refused for what she did not break.
    assert (
        api("vol_anna").patch(f"/api/volunteers/{world.profiles['vol_anna']}", json={"phone": "070"}).status_code == 200
    )
    # A move into Bo's other session newly breaks his place: only his is listed, and only his released.
    into = {"starts_at": "2026-12-05T12:30:00+01:00", "ends_at": "2026-12-05T14:00:00+01:00"}
    r = leader.patch(f"/api/sessions/{s['id']}", json=into)
    assert r.status_code == 409, r.text
    assert [(x["assignment_id"], x["rules"]) for x in r.json()["affected"]] == [(bo, ["overlapping_shift"])]
    assert leader.patch(f"/api/sessions/{s['id']}", json={**into, "confirm": True}).status_code == 200
    assert statuses(settings) == {anna: "accepted", bo: "cancelled", bo_other: "accepted"}
    # The watch releases what was broken before.
    watch = f"/api/partnerships/{world.partnership_id}/rules-watch"
    r = coord.post(watch, json={"confirm": True})
    assert [(b["assignment_id"], b["code"]) for b in r.json()["breaches"]] == [(anna, "guardian_consent")]
    assert statuses(settings)[anna] == "cancelled"
    assert audit(settings, world) == []
