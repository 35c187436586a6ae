"""Coordinators' lists that lead to action: who to offer a session, whose certificate to issue, whom to write to."""

from __future__ import annotations

from litestar import get
from litestar.response import Template

from volunteers.accounts.middleware import coordinator_only
from volunteers.db.session import Db
from volunteers.reports import lists, services
from volunteers.web.common import PageRequest, actor_of, now, page

NEAR_SHARE = 0.75  # "near the threshold": three quarters of the certificate's hours or more
LONG_WAIT_DAYS = 30


@get("/reports/actions", guards=[coordinator_only], name="report-actions")
async def actions_page(db: Db, request: PageRequest) -> Template:
    """Job seekers without hours, certificates due, people near the threshold, people not offered lately."""
    p = await services.coordinated_partnership(db, actor_of(request), None)
    seekers, _ = await lists.job_seekers(db, p.id, 200, 0)
    threshold = p.certificate_threshold_minutes
    near = await lists.near_threshold(db, p.id, threshold, NEAR_SHARE, 200)
    waiting = await lists.not_offered(db, p.id, now(request), LONG_WAIT_DAYS, 100)
    return page(
        request,
        "coordinator/report_actions.html",
        no_hours=[s for s in seekers if s.verified_minutes == 0],
        due=[n for n in near if n.remaining_minutes == 0],
        near=[n for n in near if n.remaining_minutes > 0],
        waiting=waiting,
        days=LONG_WAIT_DAYS,
        threshold_hours=threshold / 60,
    )


report_action_routes = [actions_page]
