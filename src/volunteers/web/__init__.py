"""Server-rendered pages (Jinja + HTMX), Swedish by default with English a click away."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.static_files import create_static_files_router

from volunteers.settings import Settings

STATIC_DIR = Path(__file__).parent / "static"


@dataclass
class WebConfig:
    """What the pages add to the app: routes, the template engine, static files."""

    route_handlers: list[Any] = field(default_factory=list)
    template_config: Any = None


def web_config(settings: Settings) -> WebConfig:
    """The pages' part of the application."""
    from volunteers.web.account_pages import account_routes
    from volunteers.web.activity_wording import activity_wording_routes
    from volunteers.web.certificates import certificate_routes
    from volunteers.web.coordinator import coordinator_routes
    from volunteers.web.corrections import correction_routes
    from volunteers.web.employers import employer_routes
    from volunteers.web.errors import page_exception_handlers
    from volunteers.web.followups import follow_up_routes
    from volunteers.web.imports import import_page_routes
    from volunteers.web.invitation import invitation_routes
    from volunteers.web.issuer import issuer_routes
    from volunteers.web.leader import leader_routes
    from volunteers.web.me import me_routes
    from volunteers.web.open_places import open_place_routes
    from volunteers.web.partnership import partnership_page_routes
    from volunteers.web.planning import planning_routes
    from volunteers.web.public import public_routes
    from volunteers.web.references import reference_routes
    from volunteers.web.report_actions import report_action_routes
    from volunteers.web.reports import report_routes
    from volunteers.web.rules_pages import rules_routes
    from volunteers.web.runs import run_routes
    from volunteers.web.sessions import session_routes
    from volunteers.web.templating import template_config
    from volunteers.web.trainings import training_routes
    from volunteers.web.verify import verify_routes
    from volunteers.web.volunteer import volunteer_routes

    pages = Router(
        path="/",
        route_handlers=[
            *public_routes,
            *account_routes,
            *volunteer_routes,
            *me_routes,
            *open_place_routes,
            *follow_up_routes,
            *planning_routes,
            *activity_wording_routes,
            *training_routes,
            *leader_routes,
            *session_routes,
            *coordinator_routes,
            *correction_routes,
            *certificate_routes,
            *report_routes,
            *report_action_routes,
            *run_routes,
            *rules_routes,
            *verify_routes,
            *invitation_routes,
            *partnership_page_routes,
            *import_page_routes,
            *issuer_routes,
            *employer_routes,
            *reference_routes,
        ],
        exception_handlers=page_exception_handlers,
        include_in_schema=False,
        tags=["pages"],
    )
    static = create_static_files_router(
        path="/static",
        directories=[STATIC_DIR],
        opt={"public": True},
        cache_control=CacheControlHeader(max_age=3600, public=True),
        include_in_schema=False,
        name="static",
    )
    return WebConfig(route_handlers=[pages, static], template_config=template_config())
