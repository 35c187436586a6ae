"""Issuing, listing, downloading, revoking and verifying certificates.

A certificate is signed and rendered once, when issued; the data snapshot, the signed
credential and the PDF bytes are stored, so every later download is the same document.
Who may see one: its volunteer and the partnership's coordinators; to anyone else an
existing certificate and a missing one look the same (404). /verify is for everyone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from certificates import CertificateData, KeySet, SigningKey, build_credential, sign_credential
from certificates.model import hours_from_minutes
from volunteers.accounts.actor import Actor
from volunteers.audit import audit
from volunteers.certify import rendering, schemas
from volunteers.certify.drafting import Draft, draft, is_public_id
from volunteers.db.models import Certificate, CertificateStatus, VolunteerProfile
from volunteers.errors import Conflict, InvalidInput, NotFound, RuleBroken


def sign(data: CertificateData, key: SigningKey, moment: dt.datetime) -> dict[str, Any]:
    """The signed credential for `data`, made at `moment`."""
    return sign_credential(build_credential(data, moment), key, moment)


def store(
    db: AsyncSession, actor: Actor, d: Draft, credential: dict[str, Any], pdf: bytes, key_id: str, moment: dt.datetime
) -> Certificate:
    """Keep an issued certificate (snapshot, credential, PDF) and audit it."""
    cert = Certificate(
        id=uuid.uuid4(),
        public_id=d.data.id,
        volunteer_id=d.profile_id,
        partnership_id=d.partnership_id,
        issuer_partner_id=d.issuer_partner_id,
        issued_by_id=actor.user_id,
        issued_at=moment,
        language=d.data.language,
        snapshot=d.data.to_dict(),
        credential=credential,
        key_id=key_id,
        content_sha256=hashlib.sha256(pdf).hexdigest(),
        verified_minutes=d.data.verified_minutes,
        status=CertificateStatus.VALID,
        pdf=pdf,
    )
    db.add(cert)
    audit(
        db,
        actor,
        "certificate.issued",
        "certificate",
        cert.public_id,
        d.partnership_id,
        volunteer_id=d.profile_id,
        verified_minutes=d.data.verified_minutes,
        key_id=key_id,
    )
    return cert


def certificate_out(c: Certificate, base_url: str) -> schemas.CertificateOut:
    return schemas.CertificateOut(
        public_id=c.public_id,
        volunteer_id=c.volunteer_id,
        issued_at=c.issued_at,
        language=c.language,
        verified_minutes=c.verified_minutes,
        verified_hours=float(hours_from_minutes(c.verified_minutes)),
        status=c.status.value,
        key_id=c.key_id,
        verify_url=f"{base_url}/verify/{c.public_id}",
        download_url=f"/api/certificates/{c.public_id}.pdf",
        revoked_reason=c.revoked_reason,
    )


async def issue(
    db: AsyncSession,
    actor: Actor,
    profile_id: uuid.UUID,
    data: schemas.IssueIn,
    signing: tuple[SigningKey, KeySet],
    base_url: str,
    now: dt.datetime,
) -> Certificate:
    """Issue a certificate: coordinators for anyone with verified hours, a volunteer past the threshold."""
    key, keyset = signing
    moment = now.astimezone(dt.UTC).replace(microsecond=0)
    d = await draft(db, actor, profile_id, data.language, moment, keyset.issuer, base_url)
    # Don't hold the transaction (on SQLite the database's write lock) while the page renders.
    await db.rollback()
    credential = sign(d.data, key, moment)
    pdf = await rendering.render(d.data, credential)
    cert = store(db, actor, d, credential, pdf, key.key_id, moment)
    await db.flush()
    return cert


async def list_for_volunteer(db: AsyncSession, actor: Actor, profile_id: uuid.UUID) -> list[Certificate]:
    profile = await db.get(VolunteerProfile, profile_id)
    if profile is None or not (actor.profile_id == profile.id or actor.is_coordinator(profile.partnership_id)):
        raise NotFound(f"volunteer {profile_id} not found")
    rows = await db.execute(
        select(Certificate).where(Certificate.volunteer_id == profile.id).order_by(Certificate.issued_at.desc())
    )
    return list(rows.scalars())


async def _visible(db: AsyncSession, actor: Actor, public_id: str, *, with_pdf: bool = False) -> Certificate:
    cert = None
    if is_public_id(public_id):
        stmt = select(Certificate).where(Certificate.public_id == public_id)
        if with_pdf:
            stmt = stmt.options(undefer(Certificate.pdf))
        cert = (await db.execute(stmt)).scalar_one_or_none()
    if cert is None or not (actor.profile_id == cert.volunteer_id or actor.is_coordinator(cert.partnership_id)):
        raise NotFound(f"certificate {public_id} not found")
    return cert


FILE_STEM = {"sv": "intyg", "en": "certificate"}


async def download(db: AsyncSession, actor: Actor, public_id: str) -> tuple[bytes, str]:
    """The stored PDF, byte for byte as issued, and its file name in the certificate's language."""
    cert = await _visible(db, actor, public_id, with_pdf=True)
    if cert.status != CertificateStatus.VALID and not actor.is_coordinator(cert.partnership_id):
        raise RuleBroken(f"certificate_{cert.status.value}", f"this certificate was {cert.status.value}")
    if cert.pdf is None:
        raise NotFound(f"certificate {public_id} not found")
    return cert.pdf, f"{FILE_STEM.get(str(cert.language), 'intyg')}-{public_id}.pdf"


async def revoke(db: AsyncSession, actor: Actor, public_id: str, reason: str, now: dt.datetime) -> Certificate:
    """A coordinator revokes a certificate; /verify shows it as revoked, with the reason."""
    cert = await _visible(db, actor, public_id)
    if not actor.is_coordinator(cert.partnership_id):
        raise NotFound(f"certificate {public_id} not found")
    if not reason.strip():
        raise InvalidInput("reason", "must not be empty")
    if cert.status != CertificateStatus.VALID:
        raise Conflict(f"the certificate is already {cert.status.value}", field="status")
    cert.status = CertificateStatus.REVOKED
    cert.revoked_at, cert.revoked_reason, cert.revoked_by_id = now, reason.strip(), actor.user_id
    audit(db, actor, "certificate.revoked", "certificate", cert.public_id, cert.partnership_id, reason=reason.strip())
    await db.flush()
    return cert


async def withdraw(db: AsyncSession, actor: Actor, public_id: str, now: dt.datetime) -> Certificate:
    """The volunteer withdraws their own certificate; /verify then shows no personal facts."""
    cert = await _visible(db, actor, public_id)
    if actor.profile_id != cert.volunteer_id:
        raise NotFound(f"certificate {public_id} not found")
    if cert.status != CertificateStatus.VALID:
        raise Conflict(f"the certificate is already {cert.status.value}", field="status")
    cert.status = CertificateStatus.WITHDRAWN
    cert.revoked_at, cert.revoked_by_id = now, actor.user_id
    audit(db, actor, "certificate.withdrawn", "certificate", cert.public_id, cert.partnership_id)
    await db.flush()
    return cert


async def verification(db: AsyncSession, public_id: str, base_url: str) -> schemas.Verification:
    """What the public verification page says; an unknown id is NotFound like any other."""
    row = None
    if is_public_id(public_id):
        row = (await db.execute(select(Certificate).where(Certificate.public_id == public_id))).scalar_one_or_none()
    if row is None:
        raise NotFound(f"certificate {public_id} not found")
    if row.status == CertificateStatus.WITHDRAWN or row.snapshot is None:
        # The holder withdrew it (or was erased): the status only, none of their facts. A
        # revoked certificate of an erased holder still says it was revoked, and when.
        issued_on = dt.date.fromisoformat(row.snapshot["issued_on"]) if row.snapshot else row.issued_at.date()
        if row.status == CertificateStatus.REVOKED:
            revoked_on = row.revoked_at.date() if row.revoked_at else None
            return schemas.Verification(id=row.public_id, status="revoked", issued_on=issued_on, revoked_on=revoked_on)
        return schemas.Verification(id=row.public_id, status="withdrawn", issued_on=issued_on)
    data = CertificateData.from_dict(row.snapshot)
    out = schemas.Verification(id=row.public_id, status=row.status.value, issued_on=data.issued_on)  # type: ignore[arg-type]
    out.name, out.partner, out.partnership = data.volunteer_name, data.partner, data.partnership
    out.period_start, out.period_end = data.period_start, data.period_end
    out.verified_hours, out.sessions = float(data.verified_hours), data.sessions
    out.skills = [
        schemas.VerifiedSkill(s.code, s.label_sv if data.language == "sv" else s.label_en, s.esco_uri, s.assessed_by)
        for s in data.skills
    ]
    out.keys_url = f"{base_url}/.well-known/samverka-keys.json"
    if row.status == CertificateStatus.REVOKED:
        out.revoked_on = row.revoked_at.date() if row.revoked_at else None
        out.revoked_reason = row.revoked_reason
    return out
