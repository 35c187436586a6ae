"""The volunteer's follow-up: where they are now, what helped, with consent; their own history; withdraw."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Response, get, post
from litestar.response import Template

from volunteers.db.session import Db
from volunteers.errors import DomainError
from volunteers.followup import schemas, services, summary
from volunteers.web.common import PageRequest, actor_of, language, now, page, redirect
from volunteers.web.errors import field_of, refusal_message
from volunteers.web.i18n import N_, gettext

# The consent text below is versioned: a changed wording asks for consent again.
WORDING_VERSION = "web-followup-1"
# Arbetsförmedlingen's and SCB's categories, in the volunteer's own words.
SITUATIONS = {
    "working": N_("I have a job"),
    "supported_employment": N_("I have a job with support (for example a wage subsidy)"),
    "internship": N_("I am on an internship"),
    "labour_market_programme": N_("I take part in a programme through Arbetsförmedlingen"),
    "studying": N_("I study"),
    "looking_for_work": N_("I am looking for work"),
    "other": N_("Something else"),
}
HELPED = {
    "skills": N_("Skills I learnt or used as a volunteer"),
    "reference": N_("A reference from a leader"),
    "contact": N_("A contact I made"),
    "certificate": N_("The certificate"),
}


async def _page(db: Db, request: PageRequest, values: dict[str, Any] | None = None, errors: Any = None) -> Template:
    history = await services.my_history(db, actor_of(request))
    return page(
        request,
        "volunteer/follow_ups.html",
        status=422 if errors else 200,
        history=history,
        values=values
        or {
            "situation": "",
            "helped": [],
            "comment": "",
            "learned": "",
            "certificate_used": "",
            "consent": history.consent_given,
        },
        errors=errors or {},
        situations=SITUATIONS,
        helped_choices=HELPED,
    )


@get("/me/follow-ups", name="my-follow-ups")
async def follow_ups_page(db: Db, request: PageRequest) -> Template:
    return await _page(db, request)


@post("/me/follow-ups", name="my-follow-up-answer", status_code=200)
async def follow_up_answer(db: Db, request: PageRequest) -> Any:
    """Keep today's answer, only with consent (the service refuses without it)."""
    lang = language(request)
    form = await request.form()
    values: dict[str, Any] = {
        "situation": form.get("situation") or "",
        "helped": [h for h in form.getall("helped", []) if h in HELPED],
        "comment": (form.get("comment") or "").strip()[:1000],
        "learned": (form.get("learned") or "").strip()[:1000],
        "certificate_used": form.get("certificate_used") or "",
        "consent": form.get("consent") == "yes",
    }
    errors: dict[str, str] = {}
    if values["situation"] not in SITUATIONS:
        errors["situation"] = gettext(lang, N_("Choose what fits you best."))
    if not values["consent"]:
        errors["consent"] = gettext(lang, N_("We keep your answer only if you agree. Tick the box to send it."))
    if not errors:
        data = schemas.FollowUpIn(
            situation=values["situation"],
            consent=True,
            wording_version=WORDING_VERSION,
            helped=values["helped"],
            comment=values["comment"],
            learned=values["learned"],
            certificate_used={"yes": True, "no": False}.get(values["certificate_used"]),
        )
        try:
            await services.record_answer(db, actor_of(request), data, now(request))
        except DomainError as exc:
            await db.rollback()
            if exc.status in (403, 404):
                raise
            errors[field_of(exc) or "_form"] = refusal_message(lang, exc)
        else:
            return redirect("/me/follow-ups", "follow_up_saved")
    return await _page(db, request, values, errors)


@post("/me/follow-ups/withdraw", name="my-follow-up-withdraw", status_code=200)
async def follow_up_withdraw(db: Db, request: PageRequest) -> Any:
    """Withdraw consent: the service deletes the answers and stops the reminders."""
    await services.withdraw(db, actor_of(request), now(request))
    return redirect("/me/follow-ups", "consent_withdrawn")


@get("/me/summary.pdf", name="my-employment-summary")
async def employment_summary(db: Db, request: PageRequest) -> Response[bytes]:
    """A one-page summary in Swedish to show an employment officer: hours, skills, goals, references."""
    html = await summary.employment_summary(
        db, actor_of(request), now(request).date(), str(request.base_url).rstrip("/")
    )
    pdf = await asyncio.to_thread(summary.summary_pdf, html)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="sammanfattning-volontararbete.pdf"'},
    )


follow_up_routes = [follow_ups_page, follow_up_answer, follow_up_withdraw, employment_summary]
