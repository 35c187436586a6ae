"""The coordinators' import page: check a CSV file (dry run), import it, export what is there."""

from __future__ import annotations

from typing import Any

from litestar import get, post
from litestar.datastructures import UploadFile
from litestar.params import Parameter
from litestar.response import Template

from volunteers.accounts.middleware import coordinator_only
from volunteers.db.session import Db
from volunteers.errors import DomainError
from volunteers.imports import activities
from volunteers.imports.common import ImportRefused
from volunteers.imports.controllers import run_volunteers
from volunteers.partnerships.invitations import coordinated
from volunteers.web.common import PageRequest, actor_of, language, page
from volunteers.web.i18n import N_, gettext
from volunteers.web.import_reasons import translated
from volunteers.web.partnership import chosen

KINDS = ("volunteers", "activities")


def _page(request: PageRequest, pid: Any, **context: Any) -> Template:
    context.setdefault("result", None)
    context.setdefault("kind", "volunteers")
    return page(request, "partnership/import.html", pid=pid, **context)


@get("/import", guards=[coordinator_only], name="import")
async def import_page(request: PageRequest, partnership: str | None = Parameter(default=None)) -> Template:
    return _page(request, chosen(request, partnership))


@post("/import", guards=[coordinator_only], name="import-run", status_code=200)
async def import_run(db: Db, request: PageRequest) -> Template:
    """Check the file; with 'import' and no problem, bring it in and invite the volunteers."""
    lang = language(request)
    form = await request.form()
    pid = chosen(request, form.get("partnership"))
    kind = form.get("kind") if form.get("kind") in KINDS else "volunteers"
    dry_run = form.get("action") != "import"
    upload = form.get("file")
    raw = await upload.read() if isinstance(upload, UploadFile) else b""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _page(
            request, pid, kind=kind, errors={"file": gettext(lang, N_("Save the file as CSV UTF-8 and try again."))}
        )
    if not text.strip():
        return _page(request, pid, kind=kind, errors={"file": gettext(lang, N_("Choose a CSV file."))})
    actor = actor_of(request)
    partnership = await coordinated(db, actor, pid)
    now = request.app.state.clock()
    try:
        if kind == "volunteers":
            result = await run_volunteers(
                db, request.app.state.settings, partnership, text, dry_run, actor.user_id, now
            )
            problems = result.problems
            done, links = result.imported, result.links
        else:
            checked = await activities.check(db, partnership, text)
            problems, links = checked.problems, []
            done = 0 if dry_run else await activities.import_activities(db, partnership, checked, actor.user_id, now)
    except DomainError as exc:
        await db.rollback()
        if not isinstance(exc, ImportRefused):
            raise
        problems, done, links = exc.problems, 0, []
    status = 422 if problems else 200
    # Each reason in the page's language, by its code; the API keeps the English sentence.
    shown = [{"line": p.line, "column": p.column, "reason": translated(lang, p)} for p in problems]
    result_view = {"dry_run": dry_run, "problems": shown, "imported": done, "links": links}
    return page(request, "partnership/import.html", status=status, pid=pid, kind=kind, result=result_view)


import_page_routes = [import_page, import_run]
