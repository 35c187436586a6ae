"""Who may see and change what: every role against records that are not theirs."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from service_support import run_db
from volunteers.db.models import Activity, AuditEntry, VolunteerProfile


def test_volunteer_cannot_read_or_change_another_volunteers_data(api, world, settings):
    anna = api("vol_anna")
    bo_id = world.profiles["vol_bo"]
    r = anna.get(f"/api/volunteers/{bo_id}")
    assert r.status_code == 404
    # Same answer as for an id that does not exist at all.
    missing = anna.get(f"/api/volunteers/{uuid.uuid4()}")
    assert missing.status_code == 404
    assert set(r.json()) == set(missing.json())
    assert anna.patch(f"/api/volunteers/{bo_id}", json={"phone": "123"}).status_code == 404
    assert anna.get(f"/api/volunteers/{bo_id}/availability").status_code == 404
    assert anna.put(f"/api/volunteers/{bo_id}/availability", json={"rules": []}).status_code == 404

    async def phone(db):
        return (await db.execute(select(VolunteerProfile.phone).where(VolunteerProfile.id == bo_id))).scalar_one()

    assert run_db(settings, phone) == ""


def test_volunteer_reads_and_changes_own_profile(api, world):
    anna = api("vol_anna")
    own = world.profiles["vol_anna"]
    r = anna.patch(f"/api/volunteers/{own}", json={"skills": ["provide_first_aid"], "seeking_work": True})
    assert r.status_code == 200, r.text
    assert r.json()["skills"] == ["provide_first_aid"]
    assert anna.get(f"/api/volunteers/{own}").json()["seeking_work"] is True


def test_volunteer_cannot_list_volunteers(api, world):
    assert api("vol_anna").get("/api/volunteers").status_code == 403


def test_leader_does_not_see_volunteers_not_assigned_to_them(api, world):
    assert api("leader_sisu").get(f"/api/volunteers/{world.profiles['vol_anna']}").status_code == 404


def test_coordinator_sees_own_partnership_only(api, world):
    coord = api("coordinator")
    r = coord.get(f"/api/volunteers/{world.profiles['vol_anna']}")
    assert r.status_code == 200
    assert r.json()["birth_date"] == "1995-05-17"
    page = coord.get("/api/volunteers").json()
    assert page["total"] == 2
    other = api("coordinator_other")
    assert other.get(f"/api/volunteers/{world.profiles['vol_anna']}").status_code == 404
    assert other.get("/api/volunteers").json()["total"] == 0


def test_coordinator_cannot_rewrite_a_volunteers_profile(api, world):
    r = api("coordinator").patch(f"/api/volunteers/{world.profiles['vol_anna']}", json={"phone": "1"})
    assert r.status_code == 403


def test_leader_edits_only_their_own_partners_activities(api, world, settings):
    leader = api("leader_sisu")
    own, foreign = world.activities["football"], world.activities["circle"]
    r = leader.patch(f"/api/activities/{own}", json={"place": "Rocklunda"})
    assert r.status_code == 200, r.text
    r = leader.patch(f"/api/activities/{foreign}", json={"place": "Hacked"})
    assert r.status_code == 403
    r = leader.post(f"/api/activities/{foreign}/needs", json={"role": "ledare"})
    assert r.status_code == 403
    r = leader.post(
        "/api/activities",
        json={"partner_id": str(world.partners["abf"]), "name": "X", "kind": "other", "target_group": "adults"},
    )
    assert r.status_code == 403

    async def place(db):
        return (await db.execute(select(Activity.place).where(Activity.id == foreign))).scalar_one()

    assert run_db(settings, place) == "Allaktivitetshuset"


def test_other_partnerships_records_are_invisible(api, world):
    coord_other = api("coordinator_other")
    assert coord_other.get(f"/api/activities/{world.activities['football']}").status_code == 404
    assert coord_other.get(f"/api/partnerships/{world.partnership_id}").status_code == 404
    assert coord_other.get("/api/activities").json()["total"] == 0


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/api/auth/me"),
        ("GET", "/api/volunteers/me"),
        ("GET", "/api/volunteers"),
        ("GET", "/api/activities"),
        ("GET", "/api/partnerships"),
        ("GET", "/api/skills"),
        ("GET", "/api/sessions?start=2026-11-23T00:00:00Z&end=2026-11-30T00:00:00Z"),
        ("POST", "/api/activities"),
        ("POST", "/api/auth/logout"),
    ],
)
def test_anonymous_caller_is_refused(api, world, method, path):
    r = api().request(method, path, json={} if method == "POST" else None)
    assert r.status_code in (401, 403), r.text


def test_anonymous_caller_reaches_registration_login_health_and_schema(api, world):
    anon = api()
    assert anon.get("/health").status_code == 200
    assert anon.get("/schema/openapi.json").status_code == 200
    assert anon.post("/api/auth/login", json={"email": "x@y.se", "password": "nope-nope-nope"}).status_code == 401
    assert anon.post("/api/auth/register", json={}).status_code == 400


def test_every_route_but_the_public_ones_needs_a_log_in(app):
    """A guard on every route: walk the route table, not a hand-kept list."""
    public = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if handler.opt.get("public"):
                public.add(route.path)
    allowed = {
        "/health",
        "/api/auth/login",
        "/api/auth/register",
        "/api/auth/password-reset",  # account recovery: the mailed link's secret is the key
        "/api/auth/password-reset/complete",
        "/api/auth/confirm-email",
        "/forgot-password",
        "/reset-password",
        "/confirm-email",
        "/calendar/{token:str}",  # the token in the URL is the secret
        "/verify",
        "/verify/{public_id:str}",
        "/api/verify/{public_id:str}",
        "/.well-known/samverka-keys.json",
        # an invitation's holder has no account yet; the secret is in the body, rate-limited
        "/api/invitations/preview",
        "/api/invitations/accept",
        "/invitation",
        "/invitation/accept",
        # what standard verifiers fetch, and the employers' page (no personal data)
        "/.well-known/did.json",
        "/achievements/volunteer-service",
        "/intyg/kontrollera",
        "/certificates/check",
        # public pages
        "/",
        "/login",
        "/register",
        "/lang/{code:str}",
        "/static/{file_path:path}",
    }
    assert public <= allowed, public - allowed


def test_background_check_records_are_coordinator_only_and_audited(api, world, settings):
    vid = world.profiles["vol_anna"]
    assert api("vol_anna").get(f"/api/volunteers/{vid}/background-checks").status_code == 403
    assert (
        api("leader_sisu").post(f"/api/volunteers/{vid}/background-checks", json={"seen_on": "2026-11-01"}).status_code
        == 403
    )
    coord = api("coordinator")
    r = coord.post(f"/api/volunteers/{vid}/background-checks", json={"seen_on": "2026-11-01"})
    assert r.status_code == 201, r.text
    assert r.json()["valid_until"] == "2027-11-01"
    assert r.json()["seen_by"] == "Cora Coordinator"
    listed = coord.get(f"/api/volunteers/{vid}/background-checks").json()
    assert [c["seen_on"] for c in listed] == ["2026-11-01"]

    async def actions(db):
        return sorted((await db.execute(select(AuditEntry.action))).scalars())

    assert run_db(settings, actions) == ["background_check.recorded", "background_check.viewed"]


def test_audit_log_is_for_the_partnerships_coordinators(api, world):
    vid = world.profiles["vol_anna"]
    coord = api("coordinator")
    coord.post(f"/api/volunteers/{vid}/background-checks", json={"seen_on": "2026-11-01"})
    coord.get(f"/api/volunteers/{vid}/background-checks")
    page = coord.get(f"/api/audit?partnership_id={world.partnership_id}").json()
    assert [e["action"] for e in page["items"]] == ["background_check.viewed", "background_check.recorded"]
    assert page["items"][0]["actor"] == "Cora Coordinator"
    assert "seen_on" not in page["items"][0]["detail"]
    assert api("leader_sisu").get(f"/api/audit?partnership_id={world.partnership_id}").status_code == 403
    assert api("coordinator_other").get(f"/api/audit?partnership_id={world.partnership_id}").status_code == 404
