"""GDPR self-service: export, erasure, retention."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

from sqlalchemy import select

from service_support import PASSWORD, run_db
from volunteers.db.models import (
    AuditEntry,
    Certificate,
    CertificateStatus,
    Consent,
    User,
    VolunteerProfile,
)
from volunteers.privacy.services import retention_sweep


def add_certificate(settings, world, public_id="CERTabc123"):
    async def add(db):
        db.add(
            Certificate(
                public_id=public_id,
                volunteer_id=world.profiles["vol_anna"],
                partnership_id=world.partnership_id,
                issued_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
                language="sv",
                snapshot={"volunteer_name": "Anna Volunteer"},
                credential={"proof": "x"},
                key_id="k-1",
                content_sha256="0" * 64,
                verified_minutes=700,
            )
        )

    run_db(settings, add)


def test_volunteer_exports_everything_about_themself(api, world, settings):
    anna = api("vol_anna")
    vid = world.profiles["vol_anna"]
    anna.put(
        f"/api/volunteers/{vid}/availability",
        json={"rules": [{"weekday": 2, "start_time": "17:00:00", "end_time": "19:00:00"}]},
    )
    api("coordinator").post(f"/api/volunteers/{vid}/background-checks", json={"seen_on": "2026-10-01"})
    add_certificate(settings, world)
    r = anna.get(f"/api/volunteers/{vid}/export")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        data = json.loads(z.read("samverka-export.json"))
    assert data["account"]["email"] == "vol_anna@test.samverka.se"
    assert "password_hash" not in data["account"]
    assert data["profile"]["birth_date"] == "1995-05-17"
    assert data["availability_rules"][0]["weekday"] == 2
    assert data["background_checks"] == [{"seen_on": "2026-10-01", "seen_by": "Cora Coordinator"}]
    assert [c["public_id"] for c in data["certificates"]] == ["CERTabc123"]
    assert api("vol_bo").get(f"/api/volunteers/{vid}/export").status_code == 404
    assert api("leader_sisu").get(f"/api/volunteers/{vid}/export").status_code == 404

    async def exported(db):
        return (
            (await db.execute(select(AuditEntry.action).where(AuditEntry.action == "volunteer.exported")))
            .scalars()
            .all()
        )

    assert run_db(settings, exported) == ["volunteer.exported"]


def test_erasure_anonymises_logs_out_and_withdraws_certificates(api, world, settings):
    add_certificate(settings, world)
    anna = api("vol_anna")
    vid = world.profiles["vol_anna"]
    r = anna.post(f"/api/volunteers/{vid}/erase", json={"confirm": "yes"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "confirm"
    assert anna.post(f"/api/volunteers/{vid}/erase", json={"confirm": "ERASE"}).status_code == 204
    assert anna.get("/api/auth/me").status_code == 401
    r = api().post("/api/auth/login", json={"email": "vol_anna@test.samverka.se", "password": PASSWORD})
    assert r.status_code == 401

    async def state(db):
        profile = await db.get(VolunteerProfile, vid)
        user = await db.get(User, profile.user_id)
        cert = (await db.execute(select(Certificate))).scalar_one()
        consents = (await db.execute(select(Consent).where(Consent.user_id == user.id))).all()
        return profile, user, cert, consents

    profile, user, cert, consents = run_db(settings, state)
    assert profile.first_name == "—" and profile.birth_date is None and profile.phone == ""
    assert user.email.endswith("@invalid") and not user.is_active and user.anonymised_at is not None
    assert cert.status == CertificateStatus.WITHDRAWN and cert.snapshot is None and cert.credential is None
    assert cert.content_sha256 == "0" * 64  # only the hash remains
    assert consents == []
    assert api("coordinator").get(f"/api/volunteers/{vid}").json()["first_name"] == "—"


def test_another_volunteer_cannot_erase_me(api, world):
    r = api("vol_bo").post(f"/api/volunteers/{world.profiles['vol_anna']}/erase", json={"confirm": "ERASE"})
    assert r.status_code == 404
    assert api("vol_anna").get("/api/auth/me").status_code == 200


def test_retention_anonymises_only_the_long_inactive(world, settings):
    now = dt.datetime(2029, 1, 1, tzinfo=dt.UTC)

    async def sweep(db):
        anna = await db.get(VolunteerProfile, world.profiles["vol_anna"])
        user = await db.get(User, anna.user_id)
        user.last_login_at = dt.datetime(2028, 12, 1, tzinfo=dt.UTC)  # Anna was here last month
        await db.flush()
        return await retention_sweep(db, now, inactive_days=730)

    assert run_db(settings, sweep) == 1  # Bo; staff accounts and Anna stay

    async def names(db):
        return sorted((await db.execute(select(VolunteerProfile.first_name))).scalars())

    assert run_db(settings, names) == ["Anna", "—"]
