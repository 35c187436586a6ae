"""Own hours: a volunteer reports time, the activity's leader approves or not; approved minutes count."""

from __future__ import annotations

from choose_support import add_session, hold


def _worked_on_circle(api, world, settings):
    sid = add_session(
        api, "leader_abf", world.activities["circle"], "2026-11-10T18:00:00+01:00", "2026-11-10T19:00:00+01:00"
    )
    hold(settings, world, "vol_anna", sid, "samtalsledare")


def _verified(api, world, key="vol_anna"):
    r = api(key).get(f"/api/volunteers/{world.profiles[key]}/experience")
    assert r.status_code == 200, r.text
    return r.json()


def test_approved_own_hours_count_as_verified_and_rejected_do_not(api, world, settings):
    _worked_on_circle(api, world, settings)
    anna = api("vol_anna")
    circle = str(world.activities["circle"])
    before = _verified(api, world)["verified_minutes"]
    r = anna.post(
        "/api/own-hours",
        json={
            "activity_id": circle,
            "worked_on": "2026-11-12",
            "minutes": 90,
            "kind": "preparation",
            "note": "planned the circle",
        },
    )
    assert r.status_code == 201 and r.json()["status"] == "pending", r.text
    prep = r.json()["id"]
    trip = anna.post(
        "/api/own-hours", json={"activity_id": circle, "worked_on": "2026-11-14", "minutes": 240, "kind": "trip"}
    ).json()["id"]
    assert _verified(api, world)["verified_minutes"] == before  # pending counts for nothing
    # Only the activity's own partner's leader (or a coordinator) sees and decides it.
    assert api("leader_sisu").get("/api/own-hours/pending").json() == []
    assert api("leader_sisu").post(f"/api/own-hours/{prep}/decision", json={"approve": True}).status_code == 404
    assert api("vol_anna").post(f"/api/own-hours/{prep}/decision", json={"approve": True}).status_code == 403
    assert {h["id"] for h in api("leader_abf").get("/api/own-hours/pending").json()} == {prep, trip}
    assert (
        api("leader_abf").post(f"/api/own-hours/{prep}/decision", json={"approve": True}).json()["status"] == "approved"
    )
    assert (
        api("leader_abf").post(f"/api/own-hours/{trip}/decision", json={"approve": False}).json()["status"]
        == "rejected"
    )
    assert api("leader_abf").post(f"/api/own-hours/{trip}/decision", json={"approve": True}).status_code == 409
    exp = _verified(api, world)
    assert exp["verified_minutes"] == before + 90
    assert {h["key"]: h["minutes"] for h in exp["by_role"]}.get("preparation") == 90
    assert {h["key"]: h["minutes"] for h in exp["by_month"]}.get("2026-11", 0) >= 90
    assert [h["status"] for h in anna.get("/api/own-hours/mine").json()] == ["rejected", "approved"]


def test_own_hours_only_for_activities_worked_and_plausible(api, world, settings):
    _worked_on_circle(api, world, settings)
    bo, anna = api("vol_bo"), api("vol_anna")
    circle = str(world.activities["circle"])
    body = {"activity_id": circle, "worked_on": "2026-11-12", "minutes": 60, "kind": "trip"}
    r = bo.post("/api/own-hours", json=body)  # Bo never worked there
    assert r.status_code == 422 and "activity_id" in r.text
    assert anna.post("/api/own-hours", json={**body, "worked_on": "2026-12-24"}).status_code == 422
    assert anna.post("/api/own-hours", json={**body, "minutes": 100000}).status_code == 400
    assert anna.post("/api/own-hours", json={**body, "kind": "party"}).status_code == 400
    assert anna.get("/api/own-hours/mine").json() == []


def test_own_hours_notes_are_exported_and_erased_with_the_volunteer(api, world, settings):
    import io
    import json
    import zipfile

    from sqlalchemy import select

    from service_support import run_db
    from volunteers.db.models import OwnHours, WaitingListEntry

    _worked_on_circle(api, world, settings)
    anna = api("vol_anna")
    circle = str(world.activities["circle"])
    body = {"activity_id": circle, "worked_on": "2026-11-12", "kind": "trip"}
    kept = anna.post("/api/own-hours", json={**body, "minutes": 60, "note": "Anna's private note"}).json()["id"]
    anna.post("/api/own-hours", json={**body, "minutes": 30, "note": "another note"})
    api("leader_abf").post(f"/api/own-hours/{kept}/decision", json={"approve": True})

    async def wait(db):
        from volunteers.db.models import Session

        s = (await db.execute(select(Session.id))).scalars().first()
        db.add(WaitingListEntry(session_id=s, volunteer_id=world.profiles["vol_anna"], role="x"))

    run_db(settings, wait)
    export = anna.get(f"/api/volunteers/{world.profiles['vol_anna']}/export")
    data = json.loads(zipfile.ZipFile(io.BytesIO(export.content)).read("samverka-export.json"))
    assert {h["note"] for h in data["own_hours"]} == {"Anna's private note", "another note"}
    assert len(data["waiting_lists"]) == 1
    r = anna.post(f"/api/volunteers/{world.profiles['vol_anna']}/erase", json={"confirm": "ERASE"})
    assert r.status_code in (200, 204), r.text

    async def left(db):
        hours = (await db.execute(select(OwnHours.minutes, OwnHours.note, OwnHours.status))).all()
        waiting = (await db.execute(select(WaitingListEntry.id))).all()
        return [tuple(h) for h in hours], waiting

    hours, waiting = run_db(settings, left)
    assert hours == [(60, "", "approved")] and waiting == []
