"""Coordinators' certificate pages: issue, list and revoke per volunteer; issue in bulk with live progress."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import MediaType, get, post
from litestar.response import Template

from volunteers.accounts.middleware import coordinator_only
from volunteers.certify import bulk
from volunteers.certify import schemas as certify_schemas
from volunteers.certify import services as certify
from volunteers.db.session import Db
from volunteers.errors import DomainError, InvalidInput
from volunteers.reports import lists
from volunteers.reports.services import coordinated_partnership
from volunteers.web.choices import CERTIFICATE_STATUSES
from volunteers.web.common import PageRequest, actor_of, language, now, page, redirect
from volunteers.web.errors import refusal_message
from volunteers.web.i18n import LANGUAGES, N_, gettext

COORDINATORS = [coordinator_only]
BULK_LIMIT = 500
BULK_STATUSES = {
    "queued": N_("Waiting to start"),
    "preparing": N_("Gathering the hours and skills"),
    "rendering": N_("Making the PDFs"),
    "saving": N_("Saving"),
    "done": N_("Done"),
    "failed": N_("Failed"),
}


def _language_choice(form: Any, request: PageRequest) -> str:
    chosen = form.get("language") or ""
    return chosen if chosen in LANGUAGES else language(request)


async def certificate_context(db: Db, request: PageRequest, volunteer_id: uuid.UUID) -> dict[str, Any]:
    """What the volunteer page shows about certificates."""
    certs = await certify.list_for_volunteer(db, actor_of(request), volunteer_id)
    base = request.app.state.settings.base_url
    return {"certificates": [certify.certificate_out(c, base) for c in certs], "cert_statuses": CERTIFICATE_STATUSES}


@post("/volunteers/{volunteer_id:uuid}/certificates", guards=COORDINATORS, name="certificate-issue", status_code=200)
async def issue_for(volunteer_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    """Issue a certificate for this volunteer; the certify service checks their verified hours."""
    from volunteers.web.coordinator import volunteer_page_with

    form = await request.form()
    state = request.app.state
    try:
        await certify.issue(
            db,
            actor_of(request),
            volunteer_id,
            certify_schemas.IssueIn(language=_language_choice(form, request)),  # type: ignore[arg-type]
            state.signing_keys.signing(),
            state.settings.base_url,
            now(request),
        )
    except DomainError as exc:
        await db.rollback()
        if exc.status in (403, 404):
            raise
        return await volunteer_page_with(db, request, volunteer_id, cert_error=refusal_message(language(request), exc))
    return redirect(f"/volunteers/{volunteer_id}", "certificate_issued_for")


@post("/certificates/{public_id:str}/revoke", guards=COORDINATORS, name="certificate-revoke", status_code=200)
async def revoke(public_id: str, db: Db, request: PageRequest) -> Any:
    """Revoke with a reason: the public check shows it as revoked from now on."""
    from volunteers.web.coordinator import volunteer_page_with

    form = await request.form()
    reason = (form.get("reason") or "").strip()
    try:
        volunteer_id = uuid.UUID(form.get("volunteer_id") or "")
    except ValueError:
        volunteer_id = None
    if not reason:
        if volunteer_id is None:
            raise InvalidInput("reason", "a revocation needs a reason")
        message = gettext(language(request), N_("Write why the certificate is revoked."))
        return await volunteer_page_with(db, request, volunteer_id, revoke_errors={public_id: message})
    try:
        cert = await certify.revoke(db, actor_of(request), public_id, reason[:500], now(request))
    except DomainError as exc:
        await db.rollback()
        if exc.status in (403, 404) or volunteer_id is None:
            raise
        message = refusal_message(language(request), exc)
        return await volunteer_page_with(db, request, volunteer_id, revoke_errors={public_id: message})
    return redirect(f"/volunteers/{cert.volunteer_id or volunteer_id}", "certificate_revoked")


# --- bulk ----------------------------------------------------------------------------


@get("/certificates/bulk", guards=COORDINATORS, name="certificates-bulk")
async def bulk_page(db: Db, request: PageRequest) -> Template:
    """Everyone past the threshold without a valid certificate, ready to issue at once."""
    partnership = await coordinated_partnership(db, actor_of(request), None)
    threshold = partnership.certificate_threshold_minutes
    ready = await lists.near_threshold(db, partnership.id, threshold, 1.0, BULK_LIMIT)
    return page(request, "coordinator/certificates_bulk.html", ready=ready, threshold=threshold)


@post("/certificates/bulk", guards=COORDINATORS, name="certificates-bulk-start", status_code=200)
async def bulk_start(db: Db, request: PageRequest) -> Any:
    form = await request.form()
    ids: list[uuid.UUID] = []
    for raw in form.getall("volunteer", []):
        try:
            ids.append(uuid.UUID(raw))
        except ValueError:
            continue
    if not ids:
        partnership = await coordinated_partnership(db, actor_of(request), None)
        threshold = partnership.certificate_threshold_minutes
        ready = await lists.near_threshold(db, partnership.id, threshold, 1.0, BULK_LIMIT)
        error = gettext(language(request), N_("Choose at least one volunteer."))
        return page(request, "coordinator/certificates_bulk.html", 422, ready=ready, threshold=threshold, error=error)
    data = certify_schemas.BulkIn(volunteer_ids=ids, language=_language_choice(form, request))  # type: ignore[arg-type]
    job = bulk.jobs(request.app.state).start(request.app.state, actor_of(request), data)
    return redirect(f"/certificates/bulk/{job.id}")


async def _job(request: PageRequest, job_id: uuid.UUID) -> dict[str, Any]:
    job = await bulk.jobs(request.app.state).status(actor_of(request), job_id, 0)
    done = len(job.issued) + len(job.skipped)
    return {"job": job, "done": done, "statuses": BULK_STATUSES}


@get("/certificates/bulk/{job_id:uuid}", guards=COORDINATORS, name="certificates-bulk-job")
async def bulk_job_page(job_id: uuid.UUID, request: PageRequest) -> Template:
    return page(request, "coordinator/certificates_bulk_job.html", **await _job(request, job_id))


@get("/certificates/bulk/{job_id:uuid}/progress", guards=COORDINATORS, name="certificates-bulk-progress")
async def bulk_job_progress(job_id: uuid.UUID, request: PageRequest) -> Template:
    """The HTMX fragment polled every second until the job has finished."""
    return Template(
        template_name="partials/bulk_progress.html", context=await _job(request, job_id), media_type=MediaType.HTML
    )


certificate_routes = [issue_for, revoke, bulk_page, bulk_start, bulk_job_page, bulk_job_progress]
