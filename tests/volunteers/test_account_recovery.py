"""Accounts as an attacker tries them: log-in CSRF, telling who has an account, locking
someone out, guessable passwords, a forged client address, and the mailed links."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import logging
import os
import re
import statistics
import time
from email import policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from mail_support import Inbox, free_port
from service_support import PASSWORD, run_db
from volunteers.accounts.security import check_password_policy, token_hash
from volunteers.db.engine import create_engine
from volunteers.db.models import AccountToken, OutboxMessage, User
from volunteers.errors import InvalidInput
from volunteers.notify import send_pending
from volunteers.serving import RedactLinkSecrets, uvicorn_options
from volunteers.settings import Settings

KNOWN = "vol_anna@test.samverka.se"
UNKNOWN = "nobody.here@test.samverka.se"
LINK = re.compile(r"token=([A-Za-z0-9_\-]+)")


def registration(email_address: str, **over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "partnership": "pettersberg",
        "email": email_address,
        "password": "a-long-enough-passphrase",
        "first_name": "Nadia",
        "last_name": "Ahmed",
        "birth_date": "2000-02-03",
        "consent": True,
    }
    data.update(over)
    return data


def outbox(settings: Settings) -> list[tuple[str, str, str]]:
    async def q(db):  # type: ignore[no-untyped-def]
        rows = await db.execute(select(OutboxMessage.to_address, OutboxMessage.kind, OutboxMessage.body))
        return [tuple(r) for r in rows]

    return run_db(settings, q)


def deliver(settings: Settings, port: int, now: dt.datetime) -> int:
    mailer = settings.__class__(**{**settings.__dict__, "smtp_host": "127.0.0.1", "smtp_port": port})

    async def main() -> int:
        engine = create_engine(mailer)
        try:
            return await send_pending(async_sessionmaker(engine, expire_on_commit=False), mailer, now)
        finally:
            await engine.dispose()

    return asyncio.run(main())


def link_in(raw: str) -> str:
    body = email.message_from_string(raw, policy=policy.default).get_body()
    match = LINK.search(body.get_content() if body else "")
    assert match, raw
    return match.group(1)


@pytest.fixture
def smtp():  # type: ignore[no-untyped-def]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


# --- finding 12: log-in CSRF ---------------------------------------------------------


def test_login_needs_the_csrf_token_and_a_json_body(api, world):
    anon = api()
    body = {"email": KNOWN, "password": PASSWORD}
    assert anon.post("/api/auth/login", json=body, csrf=False).status_code == 403
    # What a cross-site form can send without asking: text/plain.
    plain = anon.post("/api/auth/login", content=str(body).replace("'", '"'), headers={"content-type": "text/plain"})
    assert plain.status_code == 415
    assert "samverka_session" not in anon.cookies
    assert anon.post("/api/auth/login", json=body).status_code == 200


# --- finding 13: who has an account, and locking others out ---------------------------


def test_failed_log_ins_answer_alike_for_known_and_unknown_addresses(api, world):
    def tries(address: str) -> list[tuple[int, str]]:
        caller = api()
        out = []
        for _ in range(7):
            r = caller.post("/api/auth/login", json={"email": address, "password": "wrong-password-here"})
            out.append((r.status_code, r.json()["detail"]))
        return out

    known, unknown = tries(KNOWN), tries(UNKNOWN)
    assert known == unknown
    assert [s for s, _ in known] == [401] * 5 + [429] * 2


def test_a_stranger_cannot_lock_the_owner_out(api, world, app, clock):
    app.state.settings = app.state.settings.__class__(
        **{**app.state.settings.__dict__, "trusted_proxies": ("testclient",)}
    )
    attacker = {"x-forwarded-for": "203.0.113.66"}
    owner = {"x-forwarded-for": "198.51.100.7"}
    caller = api()
    for _ in range(8):
        caller.post("/api/auth/login", json={"email": KNOWN, "password": "wrong-password-here"}, headers=attacker)
        clock.advance(seconds=7)  # within the per-client rate limit
    r = caller.post("/api/auth/login", json={"email": KNOWN, "password": PASSWORD}, headers=attacker)
    assert r.status_code == 429
    assert api().post("/api/auth/login", json={"email": KNOWN, "password": PASSWORD}, headers=owner).status_code == 200
    # The attacker's own wait is capped: one try an hour cannot keep anything locked for long.
    for _ in range(30):
        clock.advance(minutes=16)
        r = caller.post("/api/auth/login", json={"email": KNOWN, "password": "wrong-password-here"}, headers=attacker)
        assert r.status_code == 401


def test_a_password_reset_clears_the_lock_out(api, world, settings, clock):
    caller = api()
    for _ in range(6):
        caller.post("/api/auth/login", json={"email": KNOWN, "password": "wrong-password-here"})
    assert caller.post("/api/auth/login", json={"email": KNOWN, "password": PASSWORD}).status_code == 429
    assert caller.post("/api/auth/password-reset", json={"email": KNOWN}).status_code == 202
    token = LINK.search([b for to, _, b in outbox(settings) if to == KNOWN][-1]).group(1)
    r = caller.post("/api/auth/password-reset/complete", json={"token": token, "password": "ny-cykel-i-regnet"})
    assert r.status_code == 204, r.text
    assert caller.post("/api/auth/login", json={"email": KNOWN, "password": "ny-cykel-i-regnet"}).status_code == 200


# 50 tries each, as issue 18 asks (about 50 s per database); 200 in the long profile.
TRIES = 200 if os.environ.get("SAMVERKA_LONG_TESTS") == "1" else 50


def _median_gap(api, clock, send, known, unknown, tries: int = TRIES) -> tuple[float, set, set]:  # type: ignore[no-untyped-def]
    """Median time of `send` for known minus unknown addresses, and the (status, body) pairs seen."""
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    answers: dict[str, set] = {"known": set(), "unknown": set()}
    for i in range(tries):
        for kind, address in (("known", known(i)), ("unknown", unknown(i))):
            clock.advance(hours=1)  # out of every rate limit's window
            caller = api()
            caller.get("/health")
            start = time.perf_counter()
            r = send(caller, address)
            times[kind].append(time.perf_counter() - start)
            answers[kind].add((r.status_code, r.text))
    gap = statistics.median(times["known"]) - statistics.median(times["unknown"])
    return gap, answers["known"], answers["unknown"]


# Generous for a shared machine (two cores, other work running): a path that skips argon2
# (~20-40 ms here) or the registration writes (~25 ms) still fails it.
MAX_MEDIAN_GAP = 0.015


def test_log_in_does_not_tell_by_answer_or_time_whether_an_address_has_an_account(api, world, clock):
    def send(caller, address):  # type: ignore[no-untyped-def]
        return caller.post("/api/auth/login", json={"email": address, "password": "wrong-password-here"})

    gap, known, unknown = _median_gap(api, clock, send, lambda i: KNOWN, lambda i: UNKNOWN)
    assert known == unknown and len(known) == 1
    print(f"log-in median gap {gap * 1000:.2f} ms")
    assert abs(gap) < MAX_MEDIAN_GAP


def test_registration_does_not_tell_by_answer_or_time_whether_an_address_has_an_account(api, world, clock, settings):
    def send(caller, address):  # type: ignore[no-untyped-def]
        return caller.post("/api/auth/register", json=registration(address))

    gap, known, unknown = _median_gap(api, clock, send, lambda i: KNOWN, lambda i: f"new{i}@example.se")
    assert known == unknown and len(known) == 1
    print(f"registration median gap {gap * 1000:.2f} ms")
    assert abs(gap) < MAX_MEDIAN_GAP
    # The owner was told instead, and nothing about the account changed.
    mails = [kind for to, kind, body in outbox(settings) if to == KNOWN and "already have" in body]
    assert len(mails) == TRIES


def test_reset_request_does_not_tell_by_answer_or_time_whether_an_address_has_an_account(api, world, clock):
    def send(caller, address):  # type: ignore[no-untyped-def]
        return caller.post("/api/auth/password-reset", json={"email": address})

    gap, known, unknown = _median_gap(api, clock, send, lambda i: KNOWN, lambda i: UNKNOWN)
    assert known == unknown and len(known) == 1
    print(f"reset median gap {gap * 1000:.2f} ms")
    assert abs(gap) < MAX_MEDIAN_GAP


def test_reset_mail_is_limited_per_address_and_requests_per_client(api, world, settings, clock):
    caller = api()
    codes = [caller.post("/api/auth/password-reset", json={"email": KNOWN}).status_code for _ in range(6)]
    assert codes == [202] * 5 + [429]  # five a minute from one client
    assert len([1 for to, _, _ in outbox(settings) if to == KNOWN]) == 3  # three mails an hour to one address
    clock.advance(hours=1)
    assert api().post("/api/auth/password-reset", json={"email": KNOWN}).status_code == 202
    assert len([1 for to, _, _ in outbox(settings) if to == KNOWN]) == 4


# --- finding 14: guessable passwords --------------------------------------------------


@pytest.mark.parametrize(
    "password", ["password1234", "Password1!", "1qaz2wsx3edc", "123456789012", "pettersberg-demo-2026", "Qwerty123456"]
)
def test_common_and_published_passwords_are_refused(password):
    with pytest.raises(InvalidInput):
        check_password_policy(password, email="nadia@example.se")


def test_the_common_list_is_a_real_one():
    from volunteers.accounts.passwords import common_passwords

    assert len(common_passwords()) >= 10_000


def test_registration_with_the_demo_password_is_refused_naming_the_field(api, world):
    r = api().post("/api/auth/register", json=registration("x@example.se", password="pettersberg-demo-2026"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "password"


# --- finding 15: the client's address -------------------------------------------------


def test_forwarded_for_is_believed_only_from_configured_proxies(api, world, app):
    body = {"email": UNKNOWN, "password": "wrong-password-here"}
    caller = api()
    codes = [
        caller.post("/api/auth/login", json=body, headers={"x-forwarded-for": f"10.0.0.{i}"}).status_code
        for i in range(11)
    ]
    assert codes[-1] == 429  # the same client, whatever it claims
    assert uvicorn_options(Settings(), "127.0.0.1", 8000)["proxy_headers"] is False
    served = uvicorn_options(Settings(trusted_proxies=("10.1.2.3",)), "127.0.0.1", 8000)
    assert served["proxy_headers"] is True and served["forwarded_allow_ips"] == ["10.1.2.3"]
    assert Settings.from_env({"SAMVERKA_TRUSTED_PROXIES": "10.1.2.3, 192.168.0.0/24"}).trusted_proxies == (
        "10.1.2.3",
        "192.168.0.0/24",
    )


# --- links: single use, expiry, hashed at rest, never logged --------------------------


def test_reset_links_are_single_use_expire_and_are_stored_only_as_hashes(api, world, settings, clock):
    caller = api()
    caller.post("/api/auth/password-reset", json={"email": KNOWN})
    token = LINK.search(outbox(settings)[-1][2]).group(1)

    async def stored(db):  # type: ignore[no-untyped-def]
        return [tuple(r) for r in await db.execute(select(AccountToken.token_hash, AccountToken.purpose))]

    rows = run_db(settings, stored)
    assert rows == [(token_hash(token), "reset_password")]
    assert token not in repr(rows)
    # Expired after 30 minutes.
    clock.advance(minutes=31)
    r = caller.post("/api/auth/password-reset/complete", json={"token": token, "password": "ny-cykel-i-regnet"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "token"
    # A fresh one works once.
    clock.advance(hours=1)
    caller.post("/api/auth/password-reset", json={"email": KNOWN})
    token = LINK.search(outbox(settings)[-1][2]).group(1)
    ok = caller.post("/api/auth/password-reset/complete", json={"token": token, "password": "ny-cykel-i-regnet"})
    assert ok.status_code == 204
    again = caller.post("/api/auth/password-reset/complete", json={"token": token, "password": "en-annan-cykel-här"})
    assert again.status_code == 422


def test_a_reset_ends_every_session_of_the_account(api, world, settings):
    anna = api("vol_anna")
    assert anna.get("/api/auth/me").status_code == 200
    api().post("/api/auth/password-reset", json={"email": KNOWN})
    token = LINK.search(outbox(settings)[-1][2]).group(1)
    api().post("/api/auth/password-reset/complete", json={"token": token, "password": "ny-cykel-i-regnet"})
    assert anna.get("/api/auth/me").status_code == 401


def test_change_password_needs_the_current_one_and_ends_the_other_sessions(api, world):
    here, elsewhere = api("vol_anna"), api("vol_anna")
    wrong = here.post(
        "/api/auth/password", json={"current_password": "not-it-at-all", "new_password": "ny-cykel-i-regnet"}
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "current_password"
    ok = here.post("/api/auth/password", json={"current_password": PASSWORD, "new_password": "ny-cykel-i-regnet"})
    assert ok.status_code == 204
    assert here.get("/api/auth/me").status_code == 200
    assert elsewhere.get("/api/auth/me").status_code == 401


def test_change_email_is_confirmed_from_the_new_address_and_the_old_one_is_told(api, world, settings):
    anna = api("vol_anna")
    r = anna.post("/api/auth/email", json={"password": PASSWORD, "new_email": "anna.new@example.se"})
    assert r.status_code == 202
    mails = {to: body for to, _, body in outbox(settings)}
    assert "anna.new@example.se" in mails[KNOWN]
    token = LINK.search(mails["anna.new@example.se"]).group(1)
    assert anna.get("/api/auth/me").json()["email"] == KNOWN  # nothing changes before the link
    assert api().post("/api/auth/confirm-email", json={"token": token}).status_code == 204
    assert api().post("/api/auth/login", json={"email": "anna.new@example.se", "password": PASSWORD}).status_code == 200


def test_no_proposal_or_reminder_goes_to_an_unconfirmed_address(api, world, settings, clock, smtp):
    controller, inbox = smtp
    api().post("/api/auth/register", json=registration("unconfirmed@example.se"))

    async def queue(db):  # type: ignore[no-untyped-def]
        from volunteers.notify import enqueue

        for to in ("unconfirmed@example.se", KNOWN):
            await enqueue(db, to, "reminder", "Reminder", "See you on Tuesday", clock.now)

    run_db(settings, queue)
    assert deliver(settings, controller.port, clock.now) == 2  # the confirmation link and Anna's reminder
    got = sorted((r[0], "Reminder" in raw) for r, raw in inbox.messages)
    assert got == [("unconfirmed@example.se", False), (KNOWN, True)]


def test_a_volunteer_registers_confirms_forgets_and_resets_through_http_and_smtp(
    api, world, settings, clock, smtp, caplog
):
    # The service logs at INFO (DEBUG would show the database driver's parameters, mail
    # bodies included, for any row).
    caplog.set_level(logging.INFO)
    controller, inbox = smtp
    me = "sara.svensson@example.se"
    sara = api()
    assert sara.post("/api/auth/register", json=registration(me, first_name="Sara")).status_code == 202
    deliver(settings, controller.port, clock.now)
    confirm = link_in(inbox.messages[-1][1])
    assert sara.post("/api/auth/confirm-email", json={"token": confirm}).status_code == 204

    async def confirmed(db):  # type: ignore[no-untyped-def]
        return (await db.execute(select(User.email_confirmed_at).where(User.email == me))).scalar_one()

    assert run_db(settings, confirmed) is not None
    clock.advance(days=3)
    assert sara.post("/api/auth/login", json={"email": me, "password": "wrong-password-here"}).status_code == 401
    assert sara.post("/api/auth/password-reset", json={"email": me, "locale": "sv"}).status_code == 202
    deliver(settings, controller.port, clock.now)
    reset = link_in(inbox.messages[-1][1])
    assert "lösenord" in email.message_from_string(inbox.messages[-1][1], policy=policy.default)["subject"]
    r = sara.post("/api/auth/password-reset/complete", json={"token": reset, "password": "blå-cykel-på-berget"})
    assert r.status_code == 204
    assert sara.post("/api/auth/login", json={"email": me, "password": "blå-cykel-på-berget"}).status_code == 200
    # Neither secret is in any log line of the service, the test client or the mailer.
    logged = caplog.text
    assert confirm not in logged and reset not in logged


def test_the_access_log_never_shows_a_links_secret():
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/reset-password?token=s3cr3t-value&x=1", "1.1", 200),
        None,
    )
    assert RedactLinkSecrets().filter(record)
    assert "s3cr3t-value" not in record.getMessage()
    assert "token=[redacted]&x=1" in record.getMessage()


def test_the_served_app_ignores_forwarded_for_from_the_same_host(settings, world):
    """Through uvicorn as `samverka serve` runs it: a local caller cannot pick its own address."""
    import socket
    import threading

    import httpx
    import uvicorn

    from volunteers.app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    options = uvicorn_options(settings, "127.0.0.1", port)
    options.update(log_level="warning", workers=None)
    server = uvicorn.Server(uvicorn.Config(create_app(settings), lifespan="on", **options))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:  # waiting for the thread to bind, not for time to pass
            assert thread.is_alive() and time.monotonic() < deadline
            time.sleep(0.02)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            client.get("/health")
            csrf = client.cookies["csrftoken"]
            codes = [
                client.post(
                    "/api/auth/login",
                    json={"email": UNKNOWN, "password": "wrong-password-here"},
                    headers={"x-csrftoken": csrf, "x-forwarded-for": f"10.9.8.{i}"},
                ).status_code
                for i in range(6)
            ]
        # Failed log-ins back off per (address, client): five different "clients" would each
        # start afresh, one client is held back at the sixth.
        assert codes == [401] * 5 + [429], codes
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
