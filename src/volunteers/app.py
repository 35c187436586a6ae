"""The Litestar application."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.spec import Components
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import configure_mappers

from volunteers.accounts.account_controllers import AccountController
from volunteers.accounts.controllers import AuthController
from volunteers.accounts.middleware import SessionAuthMiddleware, require_login
from volunteers.accounts.ratelimit import RateLimiter
from volunteers.allow_header import allow_header, record_allowed_methods
from volunteers.api_viewer import api_document, api_viewer
from volunteers.certify.keys import KeyStore
from volunteers.clock import Clock, system_clock
from volunteers.db.engine import analyze, create_engine
from volunteers.db.session import provide_db
from volunteers.errors import exception_handlers
from volunteers.health import health
from volunteers.input_guard import deep_json_handler, input_guard_middleware
from volunteers.instance import set_running_instance
from volunteers.jobs import Jobs
from volunteers.limits import MAX_BODY_BYTES
from volunteers.problems import SECURITY_SCHEMES, document_problems
from volunteers.routes import api_routes
from volunteers.security_headers import security_headers_middleware
from volunteers.serving import install_access_log_redaction
from volunteers.settings import Settings
from volunteers.staffing.runner import RunScheduler
from volunteers.staffing.solver import Solver
from volunteers.web import web_config

# Every write needs the CSRF token, log-in included: a cross-site form that logs the
# victim into the attacker's account is an attack too (login CSRF).
CSRF_EXEMPT: list[str] = []


def create_app(
    settings: Settings | None = None, *, clock: Clock | None = None, solver: Solver | None = None
) -> Litestar:
    """Build the service for these settings (read from the environment when not given)."""
    settings = settings or Settings.from_env()
    set_running_instance(settings.resolved_instance_id)  # match runs started here are this instance's
    install_access_log_redaction()  # account links carry their secret in the query
    engine = create_engine(settings)
    state = State(
        {
            "settings": settings,
            "engine": engine,
            "sessionmaker": async_sessionmaker(engine, expire_on_commit=False),
            # Writing requests on SQLite: BEGIN IMMEDIATE at the first statement, not before.
            "write_sessionmaker": async_sessionmaker(
                engine.execution_options(sqlite_begin="IMMEDIATE") if settings.is_sqlite else engine,
                expire_on_commit=False,
            ),
            "clock": clock or system_clock,
        }
    )
    state.rate_limiter = RateLimiter(state.clock)
    state.hourly_limiter = RateLimiter(state.clock, window_seconds=3600)  # account mail per address
    state.runner = RunScheduler(state.sessionmaker, settings, state.clock, solver)
    state.signing_keys = KeyStore(settings)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        state.signing_keys.ensure()  # the signing key and published keyset, made on first start
        # Configure the ORM's mappers now: the first query that needs them would otherwise
        # stall the event loop for a good part of a second while it does.
        configure_mappers()
        try:
            await state.runner.fail_interrupted()
            if settings.is_sqlite:
                await analyze(engine)  # the planner's statistics; SQLite keeps none of its own
        except Exception:
            logging.getLogger("samverka").warning("database not reachable at start-up", exc_info=True)
        # Start the solver's worker now, so the first match run does not wait for it.
        warm_up = asyncio.get_running_loop().create_task(state.runner.solver.warm()) if settings.warm_solver else None
        jobs = Jobs(state, settings.jobs_interval_seconds)
        if settings.jobs_interval_seconds > 0:
            jobs.start()
        # What start-up made lives as long as the server: keep it out of the garbage
        # collector's full passes, which scanned all of it (~110 ms of CPU, the event loop
        # stopped) whenever one came, in the middle of a city's match run or not.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            if warm_up is not None:
                warm_up.cancel()
            await jobs.stop()
            await state.runner.close()
            await engine.dispose()

    web = web_config(settings)
    route_handlers: list[Any] = [health, AuthController, AccountController, *api_routes(), *web.route_handlers]
    app = Litestar(
        route_handlers=route_handlers,
        state=state,
        lifespan=[lifespan],
        dependencies={"db": Provide(provide_db)},
        guards=[require_login],
        middleware=[
            security_headers_middleware,
            input_guard_middleware,
            DefineMiddleware(SessionAuthMiddleware, exclude=["^/static/"]),
        ],
        csrf_config=CSRFConfig(
            secret=settings.resolved_secret_key(),
            exclude=CSRF_EXEMPT or None,  # an empty list would match every path
            cookie_secure=settings.secure_cookies,
            cookie_samesite="lax",
        ),
        exception_handlers={**exception_handlers, RecursionError: deep_json_handler},
        request_max_body_size=MAX_BODY_BYTES,
        before_send=[allow_header],
        template_config=web.template_config,
        openapi_config=OpenAPIConfig(
            title="Samverka",
            version="0.1.0",
            description="Staff a partnership's activities with volunteers; record and certify their work.",
            path="/schema",
            render_plugins=[api_viewer(), api_document()],
            components=Components(security_schemes=SECURITY_SCHEMES),  # type: ignore[arg-type]
        ),
        debug=settings.debug,
    )
    document_problems(app)  # every route states the problem answers it can give
    record_allowed_methods(app)  # OPTIONS lists every method of its path
    return app
