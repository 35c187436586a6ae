"""Schemathesis against /schema/openapi.json with every check, as anonymous, volunteer, leader and coordinator.

The app runs on a real server (uvicorn on loopback) over SQLite and over PostgreSQL.

- Every operation gets generated requests, schema-valid ones and invalid ones, for each
  role. Every registered schemathesis check runs on every answer: no 5xx; a documented
  status, content type, headers and body; valid data accepted and invalid data refused;
  a route that needs a log-in refuses the same request without one (ignored_auth).
- The stateful phase: schemathesis's state machine chains calls along the document's
  links (volunteers.api_links: a created activity to its sessions, needs, staffing,
  attendance; /api/volunteers/me to her availability and certificates, ...), as each
  role, with the same checks plus the ones that need a history (use_after_free,
  ensure_resource_availability).

SAMVERKA_LONG_TESTS=1 runs many more examples and longer sequences.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from typing import Any

import httpx
import pytest
import schemathesis
import schemathesis.checks
import uvicorn
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

from service_support import PASSWORD
from volunteers.accounts.middleware import SESSION_COOKIE

LONG = os.environ.get("SAMVERKA_LONG_TESTS") == "1"
EXAMPLES = 25 if LONG else 2  # per operation, role and mode
# State machine runs and steps per run, per role. Always derandomized: the live server's
# state moves between Hypothesis's runs, and a random long run then stops on Hypothesis's
# FlakyStrategyDefinition (the rules a bundle enables differ from the recorded ones).
SCENARIOS, STEPS = (40, 12) if LONG else (10, 10)
ROLES = {"anonymous": None, "volunteer": "vol_anna", "leader": "leader_sisu", "coordinator": "coordinator"}
# Log-out ends the session the other calls use: it is fuzzed last, and not in sequences.
LOGOUT = "POST /api/auth/logout"

# The line this service draws: what the document states (types, lengths, characters,
# date ranges, unknown fields) is refused with 400 by msgspec and input_guard; what only
# the service can judge is refused with 422 naming the field: a rule across fields (end
# after start, at most a year of expanded availability), a token's validity, a new
# password's guessability (zxcvbn), a skill code that must exist. No JSON Schema states
# those, so schema-valid data may get a 422, never a 400.
CONFIG = """
[phases.stateful.inference]
algorithms = []  # the document's own links, not guessed ones

[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]
"""


def all_checks() -> list[Any]:
    schemathesis.checks.load_all_checks()
    return [schemathesis.checks.CHECKS.get_one(name) for name in schemathesis.checks.CHECKS.get_all_names()]


@pytest.fixture
def live_url(app, world):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


def login(live_url: str, user: str | None) -> dict[str, str]:
    """Request headers (session cookie and CSRF token) for a user; None is anonymous."""
    with httpx.Client(base_url=live_url) as c:
        c.get("/health")
        if user:
            r = c.post(
                "/api/auth/login",
                json={"email": f"{user}@test.samverka.se", "password": PASSWORD},
                headers={"x-csrftoken": c.cookies.get("csrftoken", "")},
            )
            assert r.status_code == 200
        cookie = "; ".join(f"{k}={v}" for k, v in c.cookies.items())
        return {"Cookie": cookie, "x-csrftoken": c.cookies.get("csrftoken", "")}


def credentials(case: Any, caller: dict[str, str]) -> dict[str, str]:
    """The caller's headers, without the session cookie when the case is about that cookie.

    A negative case may drop or spoil the `samverka_session` cookie the document names as
    the security scheme; sending the caller's own cookie beside it would undo the case.
    """
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.COOKIE):
        kept = [c for c in caller["Cookie"].split("; ") if not c.startswith(f"{SESSION_COOKIE}=")]
        return {**caller, "Cookie": "; ".join(kept)}
    return caller


def load(live_url: str) -> Any:
    return schemathesis.openapi.from_url(f"{live_url}/schema/openapi.json", config=SchemathesisConfig.from_str(CONFIG))


def check(case: Any, response: Any, headers: dict[str, str], recorder: Any = None, **transport: Any) -> None:
    """Every check; `headers` are the caller's credentials, so ignored_auth can try without them."""
    case.validate_response(
        response,
        checks=all_checks(),
        headers=headers,
        transport_kwargs={**transport, "headers": headers},
        recorder=recorder,
    )


def test_every_operation_as_every_role(live_url):
    schema = load(live_url)
    operations = sorted((r.ok() for r in schema.get_all_operations()), key=lambda op: op.label == LOGOUT)
    assert len(operations) > 100
    callers = {role: login(live_url, user) for role, user in ROLES.items()}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if mode is GenerationMode.NEGATIVE and not (list(operation.iter_parameters()) or operation.body):
                continue  # nothing to make invalid

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=not LONG,
                database=None,
            )
            def each_role(case):
                for role, caller in callers.items():
                    headers = credentials(case, caller)
                    response = case.call(headers=headers)
                    assert response.status_code < 500, f"{role}: {case.method} {case.formatted_path} -> {response.text}"
                    check(case, response, headers)

            each_role()


def test_sequences_along_the_links_as_every_role(live_url):
    schema = load(live_url).exclude(name=LOGOUT)
    machine = schema.as_state_machine()
    # A record named in the path answered 2xx: with generated ids that happens only when
    # the id came along a link, so this shows the sequences reach real records.
    reached: set[str] = set()
    for role, user in ROLES.items():
        caller = login(live_url, user)

        class AsRole(machine):  # type: ignore[misc, valid-type]
            def get_call_kwargs(self, case: Any) -> dict[str, Any]:
                return {"headers": credentials(case, caller)}

            def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
                assert response.status_code < 500, f"{role}: {case.method} {case.formatted_path} -> {response.text}"
                if "{" in case.path and 200 <= response.status_code < 300:
                    reached.add(f"{role}: {case.method} {case.path}")
                check(case, response, credentials(case, caller), recorder=self.recorder)

        AsRole.run(
            settings=settings(
                max_examples=SCENARIOS,
                stateful_step_count=STEPS,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
                database=None,
            )
        )
    assert len(reached) >= 3, reached


def test_options_on_every_documented_path_as_every_role(api, world):
    """OPTIONS on a controller whose guard checks the role was a 500 for a logged-in caller
    (the guard read the user the authentication middleware does not set for OPTIONS), and
    Allow left out methods of paths whose handlers Litestar joined late (volunteers.
    allow_header); schemathesis's coverage phase found both. Every path, every role: 204,
    and Allow names every documented method."""
    document = api().get("/schema/openapi.json").json()
    callers = [api(user) if user else api() for user in ROLES.values()]
    some_id = "01a24e00-7ade-77cb-9b74-7337409d5b11"
    for path in document["paths"]:
        concrete = re.sub(r"\{[^}]+\}", some_id, path)
        for caller in callers:
            r = caller.request("OPTIONS", concrete)
            assert r.status_code == 204, (path, r.status_code, r.text)
            documented = {m.upper() for m in document["paths"][path] if m != "parameters"}
            assert documented <= set(r.headers["allow"].split(", ")), (path, r.headers["allow"])
