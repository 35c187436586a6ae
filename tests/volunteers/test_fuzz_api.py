"""Schemathesis against /schema/openapi.json, signed in as each role: no 5xx, no response off its schema.

The app runs on a real server (uvicorn on loopback) over SQLite; every operation gets a
few generated requests for each of: anonymous, volunteer, leader and coordinator.
"""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from service_support import PASSWORD


@pytest.fixture(params=["sqlite"])
def backend(request):
    return request.param


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


@pytest.fixture
def role_headers(live_url):
    """Request headers (session cookie and CSRF token) for each role; None is anonymous."""
    headers = {}
    for role in (None, "vol_anna", "leader_sisu", "coordinator"):
        with httpx.Client(base_url=live_url) as c:
            c.get("/health")
            if role:
                r = c.post(
                    "/api/auth/login",
                    json={"email": f"{role}@test.samverka.se", "password": PASSWORD},
                    headers={"x-csrftoken": c.cookies.get("csrftoken", "")},
                )
                assert r.status_code == 200
            cookie = "; ".join(f"{k}={v}" for k, v in c.cookies.items())
            headers[role] = {"cookie": cookie, "x-csrftoken": c.cookies.get("csrftoken", "")}
    return headers


def test_no_server_error_and_responses_match_the_schema(live_url, role_headers):
    schema = schemathesis.openapi.from_url(f"{live_url}/schema/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None
        )
        def check(case):
            for role, headers in role_headers.items():
                response = case.call(headers=headers)
                where = f"{role or 'anonymous'}: {case.method} {case.formatted_path}"
                assert response.status_code < 500, f"{where} -> {response.status_code}: {response.text[:300]}"
                if response.status_code < 400:
                    case.validate_response(response, checks=[response_schema_conformance])

        check()
