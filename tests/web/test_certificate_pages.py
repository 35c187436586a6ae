"""Coordinators' certificate pages: issue and revoke per volunteer, bulk issue with progress; who may not."""

from __future__ import annotations

import re

from service_support import World, run_db
from volunteers.settings import Settings
from web.test_work_pages import TODAY, add_verified_hours

JSON = {"Accept": "application/json"}


def test_coordinator_issues_and_revokes_and_the_public_check_follows(settings: Settings, visitor, world: World) -> None:
    run_db(settings, lambda db: add_verified_hours(db, world, "vol_anna", TODAY))
    anna = world.profiles["vol_anna"]
    c = visitor("coordinator", "en")
    r = c.get(f"/volunteers/{anna}")
    assert r.status_code == 200 and "Issue a certificate" in r.text and "No certificates yet." in r.text
    r = c.post(f"/volunteers/{anna}/certificates", {"language": "en"})
    assert r.status_code == 303, r.text
    page = c.get(r.headers["location"]).text
    assert "The certificate is issued." in page and "Revoke the certificate" in page
    public_id = re.search(r'action="/certificates/([A-Z2-7]{20})/revoke"', page).group(1)  # type: ignore[union-attr]
    assert f"/api/certificates/{public_id}.pdf" in page
    assert c.get(f"/api/certificates/{public_id}.pdf").headers["content-type"] == "application/pdf"

    r = c.post(f"/certificates/{public_id}/revoke", {"volunteer_id": str(anna), "reason": ""})
    assert r.status_code == 422 and f'id="reason-{public_id}-error"' in r.text
    r = c.post(f"/certificates/{public_id}/revoke", {"volunteer_id": str(anna), "reason": "Wrong volunteer"})
    assert r.status_code == 303, r.text
    page = visitor("coordinator", "sv").get(r.headers["location"]).text
    assert "Intyget är återkallat." in page and "Wrong volunteer" in page and "Återkalla intyget" not in page
    assert "verdict-revoked" in visitor().get(f"/verify/{public_id}").text


def test_issuing_below_the_threshold_is_refused_on_the_page(visitor, world: World) -> None:
    r = visitor("coordinator", "sv").post(f"/volunteers/{world.profiles['vol_bo']}/certificates", {"language": "sv"})
    assert r.status_code == 409 and 'class="notice bad"' in r.text


def test_leaders_and_volunteers_get_no_certificate_admin(settings: Settings, visitor, world: World) -> None:
    anna = world.profiles["vol_anna"]
    for key in ("leader_sisu", "vol_anna"):
        v = visitor(key, "en")
        assert v.get("/certificates/bulk").status_code == 403
        assert v.post(f"/volunteers/{anna}/certificates", {"language": "en"}).status_code == 403
        assert v.post("/certificates/AAAAAAAAAAAAAAAAAAAA/revoke", {"reason": "x"}).status_code == 403
    assert "/certificates/bulk" not in visitor("leader_sisu", "en").get("/activities").text


def test_bulk_issue_shows_who_is_ready_and_the_job_to_its_end(settings: Settings, visitor, world: World) -> None:
    run_db(settings, lambda db: add_verified_hours(db, world, "vol_anna", TODAY))
    c = visitor("coordinator", "en")
    r = c.get("/certificates/bulk")
    assert r.status_code == 200 and "Anna Volunteer" in r.text and "1 volunteer is ready" in r.text
    assert c.post("/certificates/bulk", {"language": "sv"}).status_code == 422
    r = c.post("/certificates/bulk", {"volunteer": [str(world.profiles["vol_anna"])], "language": "sv"})
    assert r.status_code == 303, r.text
    job_path = r.headers["location"]
    job_id = job_path.rsplit("/", 1)[1]
    assert c.get(f"/api/certificates/bulk/{job_id}?wait=60", headers=JSON).json()["status"] == "done"
    done = c.get(f"{job_path}/progress").text
    assert "hx-trigger" not in done and "Done" in done and "1</strong> <span>issued" in done
    assert "Nobody is waiting for a certificate right now." in c.get("/certificates/bulk").text
    assert visitor("coordinator_other", "en").get(job_path).status_code == 404
