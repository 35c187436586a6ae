"""Invitation links: single-use, bound to their address, expiring, hashed at rest, never logged, rate-limited.

And the roles behind them: a coordinator manages only their own partnership, the last
coordinator cannot be removed, a deactivated member of staff is logged out at once.
"""

from __future__ import annotations

import hashlib
import logging

from litestar.testing import TestClient
from sqlalchemy import select, text

from dayone_support import LINK, samverka, smtp, start_partnership, with_smtp  # noqa: F401 - fixture
from service_support import PASSWORD, Api, run_db
from volunteers.app import create_app
from volunteers.db.models import Invitation

NEW_PASSWORD = "tre-blåa-cyklar-i-regn"


def invite(api: Api, pid: str, email: str, role: str = "coordinator", **more: object):
    return api.post(f"/api/partnerships/{pid}/invitations", json={"email": email, "role": role, **more})


def accept(api: Api, token: str, name: str = "Ny Person", password: str = NEW_PASSWORD):
    return api.post("/api/invitations/accept", json={"token": token, "password": password, "display_name": name})


def test_a_link_works_once(api, world):
    coord = api("coordinator")
    token = LINK.search(invite(coord, world.partnership_id, "ny@test.samverka.se").json()["link"]).group(1)
    assert accept(api(), token).status_code == 200
    again = accept(api(), token, password="ett-annat-lösenord-9")
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "token"
    assert api().post("/api/invitations/preview", json={"token": token}).status_code == 422


def test_a_link_expires_after_seven_days(api, world, clock):
    coord = api("coordinator")
    first = LINK.search(invite(coord, world.partnership_id, "a@test.samverka.se").json()["link"]).group(1)
    second = LINK.search(invite(coord, world.partnership_id, "b@test.samverka.se").json()["link"]).group(1)
    clock.advance(days=6, hours=23, minutes=59)
    assert accept(api(), first).status_code == 200
    clock.advance(minutes=1)
    assert accept(api(), second).status_code == 422


def test_a_link_is_kept_only_as_its_hash(api, world, settings):
    coord = api("coordinator")
    token = LINK.search(invite(coord, world.partnership_id, "hash@test.samverka.se").json()["link"]).group(1)

    async def every_value(db):
        tables = (
            [r[0] for r in (await db.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))).all()]
            if settings.is_sqlite
            else [
                r[0]
                for r in (await db.execute(text("SELECT tablename FROM pg_tables WHERE schemaname='public'"))).all()
            ]
        )
        values = []
        for table in tables:
            for row in (await db.execute(text(f'SELECT * FROM "{table}"'))).all():
                values += [str(v) for v in row]
        stored = (await db.execute(select(Invitation.token_hash))).scalars().all()
        return values, stored

    values, stored = run_db(settings, every_value)
    assert not any(token in v for v in values)
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]


class Collect(logging.Handler):
    """Every record, at every level, from the loggers it is attached to."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


SERVICE_LOGGERS = (None, "samverka", "samverka.invitations", "samverka.notify", "litestar", "sqlalchemy", "aiosmtplib")


def test_links_never_reach_the_log(settings, clock, smtp):  # noqa: F811
    controller, inbox = smtp
    # Attached after the app starts (its logging set-up replaces the root's handlers), at DEBUG,
    # directly on each logger the service writes to, so neither a level nor propagation hides a record.
    collect = Collect()
    first = start_partnership(settings, "logs@ny.example.se")
    app = create_app(with_smtp(settings, controller.port), clock=clock)
    with TestClient(app, base_url="http://testserver.local") as client:
        levels = {}
        for name in SERVICE_LOGGERS:
            logger = logging.getLogger(name)
            levels[name] = logger.level
            logger.setLevel(logging.DEBUG)
            logger.addHandler(collect)
        try:
            cora = Api(client)
            me = accept(cora, first, "Cora").json()
            pid = me["memberships"][0]["partnership_id"]
            invite(cora, pid, "second@ny.example.se")
            pending = cora.get(f"/api/partnerships/{pid}/invitations").json()
            resent = cora.post(f"/api/invitations/{pending[0]['id']}/resend")
            assert resent.status_code == 200 and resent.json()["mailed"]
            tokens = [first, *(LINK.search(m.get_content()).group(1) for m in inbox.messages)]
            accept(Api(client), tokens[-1], "Second")
            imported = cora.post(
                f"/api/partnerships/{pid}/imports/volunteers",
                content="first_name,last_name,email,birth_date\nIda,Import,ida@ny.example.se,1990-01-01\n",
                headers={"content-type": "text/csv"},
            )
            assert imported.json()["mailed"] == 1
            tokens += [LINK.search(inbox.messages[-1].get_content()).group(1)]
            assert accept(Api(client), tokens[0], "Again").status_code == 422  # a refusal is logged too
        finally:
            for name in SERVICE_LOGGERS:
                logging.getLogger(name).removeHandler(collect)
                logging.getLogger(name).setLevel(levels[name])
    assert len(tokens) == 4
    # The mail went out, and the service said so in its log: the handler did see the service's records.
    ours = "\n".join(r.getMessage() for r in collect.records)
    assert "invitation mailed to second@ny.example.se" in ours
    # The receiving test server's own log (mail.log) is the mailbox, not the service.
    service = [r for r in collect.records if not r.name.startswith("mail.log")]
    for token in tokens:
        leaks = [f"{r.name}:{r.levelname}" for r in service if token in r.getMessage()]
        assert not leaks, leaks


def test_sending_again_replaces_the_link_and_revoking_kills_it(api, world):
    coord = api("coordinator")
    sent = invite(coord, world.partnership_id, "again@test.samverka.se").json()
    old = LINK.search(sent["link"]).group(1)
    again = coord.post(f"/api/invitations/{sent['invitation']['id']}/resend").json()
    new = LINK.search(again["link"]).group(1)
    assert new != old and again["invitation"]["sent_count"] == 2
    assert accept(api(), old).status_code == 422
    assert coord.delete(f"/api/invitations/{sent['invitation']['id']}").status_code == 204
    assert accept(api(), new).status_code == 422
    assert coord.get(f"/api/partnerships/{world.partnership_id}/invitations").json() == []


def test_a_link_is_bound_to_its_address_and_links_an_existing_account_only_with_its_password(api, world):
    coord = api("coordinator")
    # Anna volunteers already; she is invited to lead for ABF too.
    sent = invite(
        coord, world.partnership_id, "VOL_ANNA@test.samverka.se", "leader", partner_id=str(world.partners["abf"])
    )
    token = LINK.search(sent.json()["link"]).group(1)
    preview = api().post("/api/invitations/preview", json={"token": token}).json()
    assert preview["has_account"] is True and preview["email"] == "vol_anna@test.samverka.se"
    assert accept(api(), token, password="not-annas-password-1").status_code == 401
    me = accept(api(), token, password=PASSWORD).json()
    assert me["email"] == "vol_anna@test.samverka.se"
    assert sorted(me["roles"]) == ["leader", "volunteer"]


def test_only_the_partnerships_coordinators_invite(api, world):
    pid = world.partnership_id
    assert invite(api("leader_sisu"), pid, "x@test.samverka.se").status_code == 403
    assert invite(api("vol_anna"), pid, "x@test.samverka.se").status_code == 403
    assert invite(api("coordinator_other"), pid, "x@test.samverka.se").status_code == 404
    assert invite(api(), pid, "x@test.samverka.se").status_code == 401
    # A leader's invitation names a partner of this partnership.
    r = invite(api("coordinator"), pid, "x@test.samverka.se", "leader", partner_id=str(world.partners["elsewhere"]))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "partner_id"


def test_invitation_rate_limits_hold(settings, clock, world):
    app = create_app(settings.__class__(**{**settings.__dict__, "rate_limit_per_minute": 5}), clock=clock)
    with TestClient(app, base_url="http://testserver.local") as client:
        coord = Api(client).login("coordinator")
        # One address is mailed at most three times an hour, however it is asked.
        codes = [invite(coord, world.partnership_id, "victim@test.samverka.se").status_code for _ in range(4)]
        assert codes == [201, 201, 201, 429]
        clock.advance(hours=1)
        assert invite(coord, world.partnership_id, "victim@test.samverka.se").status_code == 201
        # Guessing links: five tries a minute per client, then 429.
        guesses = [accept(Api(client), "x" * 43).status_code for _ in range(6)]
        assert guesses == [422] * 5 + [429]


def test_the_last_coordinator_stays_and_a_deactivated_leader_is_logged_out_at_once(api, world):
    coord, leader = api("coordinator"), api("leader_sisu")
    pid = world.partnership_id
    holders = {h["email"]: h for h in coord.get(f"/api/partnerships/{pid}/roles").json()}
    own = holders["coordinator@test.samverka.se"]["membership_id"]
    r = coord.delete(f"/api/roles/{own}")
    assert r.status_code == 409 and r.json()["code"] == "last_coordinator"
    assert leader.get("/api/auth/me").status_code == 200
    leo = holders["leader_sisu@test.samverka.se"]
    assert coord.post(f"/api/partnerships/{pid}/staff/{leo['user_id']}/deactivate").status_code == 204
    assert leader.get("/api/auth/me").status_code == 401
    r = leader.post("/api/auth/login", json={"email": "leader_sisu@test.samverka.se", "password": PASSWORD})
    assert r.status_code == 401
    # A new invitation (here from the same partnership) does not lift the deactivation.
    sent = invite(coord, pid, "leader_sisu@test.samverka.se", "leader", partner_id=str(world.partners["abf"]))
    r = accept(api(), LINK.search(sent.json()["link"]).group(1), password=PASSWORD)
    assert r.status_code == 403
    assert (
        leader.post("/api/auth/login", json={"email": "leader_sisu@test.samverka.se", "password": PASSWORD}).status_code
        == 401
    )
    # Roles change: Lina moves from ABF to RF-SISU, then becomes a coordinator.
    lina = holders["leader_abf@test.samverka.se"]["membership_id"]
    assert (
        coord.patch(
            f"/api/roles/{lina}", json={"role": "leader", "partner_id": str(world.partners["sisu"])}
        ).status_code
        == 204
    )
    assert coord.patch(f"/api/roles/{lina}", json={"role": "coordinator"}).status_code == 204
    after = {h["email"]: h for h in coord.get(f"/api/partnerships/{pid}/roles").json()}
    assert after["leader_abf@test.samverka.se"]["role"] == "coordinator"
    assert after["leader_sisu@test.samverka.se"]["is_active"] is False
    # Another partnership's coordinator cannot touch these roles.
    assert api("coordinator_other").delete(f"/api/roles/{lina}").status_code == 404


def test_bad_settings_are_refused_naming_the_field_and_nothing_changes(api, world):
    coord = api("coordinator")
    path = f"/api/partnerships/{world.partnership_id}/settings"
    before = coord.get(path).json()
    for change, field in (
        ({"name": "Kept?", "timezone": "Mars/Olympus"}, "timezone"),
        ({"name": "Kept?", "retention_days": 5}, "retention_days"),
        ({"cancel_deadline_hours": -1}, "cancel_deadline_hours"),
    ):
        r = coord.patch(path, json=change)
        assert r.status_code in (400, 422) and field in r.text
    assert coord.get(path).json() == before


def test_settings_are_for_coordinators_and_take_effect(api, world, settings):
    pid = world.partnership_id
    assert api("leader_sisu").get(f"/api/partnerships/{pid}/settings").status_code == 403
    coord = api("coordinator")
    signer = coord.get("/api/auth/me").json()["id"]
    r = coord.patch(
        f"/api/partnerships/{pid}/settings",
        json={
            "name": "IOP Pettersberg 2",
            "timezone": "Europe/Helsinki",
            "cancel_deadline_hours": 48,
            "leader_requests_publish_directly": True,
            "certificate_threshold_minutes": 300,
            "signatory_user_id": signer,
            "retention_days": 365,
            "followup_interval_months": 3,
        },
    )
    assert r.status_code == 200, r.text
    body = coord.get(f"/api/partnerships/{pid}/settings").json()
    assert (body["name"], body["timezone"], body["cancel_deadline_hours"], body["effective_retention_days"]) == (
        "IOP Pettersberg 2",
        "Europe/Helsinki",
        48,
        365,
    )
    assert body["signatory_user_id"] == signer
    r = coord.patch(f"/api/partnerships/{pid}/settings", json={"signatory_user_id": str(world.users["leader_sisu"])})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "signatory_user_id"


def test_the_cli_refuses_a_bad_time_zone_and_a_second_partnership_with_the_same_slug(settings):
    from click.testing import CliRunner

    from dayone_support import cli_env
    from volunteers.cli import main

    args = ["partnership", "create", "--name", "IOP Bäckby", "--coordinator", "a@b.se"]
    bad = CliRunner().invoke(main, [*args, "--timezone", "Mars/Olympus"], env=cli_env(settings))
    assert bad.exit_code != 0 and "time zone" in bad.output
    samverka(settings, *args)
    again = CliRunner().invoke(main, args, env=cli_env(settings))
    assert again.exit_code != 0 and "iop-backby" in again.output
