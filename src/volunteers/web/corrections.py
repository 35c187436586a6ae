"""The coordinator's volunteer page: correct a birth date or a check record, record or withdraw a guardian's consent.

Each form calls the same service as the API (`people.records`); a correction that would
release held places shows who and why (the release preview) and asks again, and the
confirming form sends the same change with confirm.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import post

from volunteers.accounts.middleware import coordinator_only
from volunteers.db.session import Db
from volunteers.errors import DomainError
from volunteers.people import records, schemas
from volunteers.staffing.guard import WouldRelease
from volunteers.web.common import PageRequest, actor_of, language, now, parse_date, redirect, zone_of
from volunteers.web.coordinator import volunteer_page_with
from volunteers.web.errors import field_of, refusal_message
from volunteers.web.i18n import N_, gettext
from volunteers.web.rules_pages import preview_rows

COORDINATORS = [coordinator_only]
BAD_DATE = N_("Write the date as year-month-day, for example 2026-11-20.")


async def _apply(
    db: Db,
    request: PageRequest,
    volunteer_id: uuid.UUID,
    action: str,
    fields: dict[str, str],
    change: Any,
    notice: str,
) -> Any:
    """Run the change; on WouldRelease show the preview with a confirming form, on a refusal say why."""
    lang = language(request)
    try:
        await change()
    except WouldRelease as exc:
        await db.rollback()
        release = {"action": action, "fields": fields, "preview": preview_rows(lang, exc, zone_of(request))}
        return await volunteer_page_with(db, request, volunteer_id, release=release)
    except DomainError as exc:
        await db.rollback()
        if exc.status in (403, 404):
            raise
        field = field_of(exc)
        errors = {f"correct_{field}" if field else "_form": refusal_message(lang, exc)}
        return await volunteer_page_with(db, request, volunteer_id, correct_errors=errors)
    return redirect(f"/volunteers/{volunteer_id}", notice)


def _bad_date(lang: str, field: str) -> dict[str, str]:
    return {f"correct_{field}": gettext(lang, BAD_DATE)}


@post("/volunteers/{volunteer_id:uuid}/birth-date", guards=COORDINATORS, name="birth-date-correct", status_code=200)
async def birth_date_correct(volunteer_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    form = await request.form()
    raw = (form.get("correct_birth_date") or "").strip()
    day = parse_date(raw)
    if day is None:
        return await volunteer_page_with(
            db, request, volunteer_id, correct_errors=_bad_date(language(request), "birth_date")
        )
    confirm = form.get("confirm") == "yes"

    async def change() -> None:
        data = schemas.ProfileUpdate(birth_date=day, confirm=confirm)
        await records.correct_birth_date(db, actor_of(request), volunteer_id, data, now(request))

    action = f"/volunteers/{volunteer_id}/birth-date"
    return await _apply(db, request, volunteer_id, action, {"correct_birth_date": raw}, change, "birth_date_corrected")


@post(
    "/volunteers/{volunteer_id:uuid}/background-checks/{check_id:uuid}/correct",
    guards=COORDINATORS,
    name="check-correct",
    status_code=200,
)
async def check_correct(volunteer_id: uuid.UUID, check_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    form = await request.form()
    raw = (form.get("correct_seen_on") or "").strip()
    day = parse_date(raw)
    if day is None:
        return await volunteer_page_with(
            db, request, volunteer_id, correct_errors=_bad_date(language(request), "seen_on")
        )
    confirm = form.get("confirm") == "yes"

    async def change() -> None:
        data = schemas.BackgroundCheckCorrection(seen_on=day, confirm=confirm)
        await records.correct_background_check(db, actor_of(request), volunteer_id, check_id, data, now(request))

    action = f"/volunteers/{volunteer_id}/background-checks/{check_id}/correct"
    return await _apply(db, request, volunteer_id, action, {"correct_seen_on": raw}, change, "check_corrected")


@post(
    "/volunteers/{volunteer_id:uuid}/background-checks/{check_id:uuid}/remove",
    guards=COORDINATORS,
    name="check-remove",
    status_code=200,
)
async def check_remove(volunteer_id: uuid.UUID, check_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    confirm = (await request.form()).get("confirm") == "yes"

    async def change() -> None:
        await records.remove_background_check(db, actor_of(request), volunteer_id, check_id, now(request), confirm)

    action = f"/volunteers/{volunteer_id}/background-checks/{check_id}/remove"
    return await _apply(db, request, volunteer_id, action, {}, change, "check_removed")


@post(
    "/volunteers/{volunteer_id:uuid}/guardian-consent/withdraw",
    guards=COORDINATORS,
    name="guardian-consent-withdraw",
    status_code=200,
)
async def guardian_consent_withdraw(volunteer_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    confirm = (await request.form()).get("confirm") == "yes"

    async def change() -> None:
        await records.withdraw_guardian_consent(db, actor_of(request), volunteer_id, now(request), confirm)

    action = f"/volunteers/{volunteer_id}/guardian-consent/withdraw"
    return await _apply(db, request, volunteer_id, action, {}, change, "guardian_consent_withdrawn")


@post("/volunteers/{volunteer_id:uuid}/guardian-consent", guards=COORDINATORS, name="guardian-consent", status_code=200)
async def guardian_consent_record(volunteer_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    given_by = ((await request.form()).get("correct_given_by") or "").strip()
    if not given_by:
        errors = {"correct_given_by": gettext(language(request), N_("Fill in this field."))}
        return await volunteer_page_with(db, request, volunteer_id, correct_errors=errors)

    async def change() -> None:
        data = schemas.GuardianConsentIn(given_by=given_by[:200])
        await records.record_guardian_consent(db, actor_of(request), volunteer_id, data, now(request))

    action = f"/volunteers/{volunteer_id}/guardian-consent"
    return await _apply(db, request, volunteer_id, action, {}, change, "guardian_consent_recorded")


correction_routes = [
    birth_date_correct,
    check_correct,
    check_remove,
    guardian_consent_withdraw,
    guardian_consent_record,
]
