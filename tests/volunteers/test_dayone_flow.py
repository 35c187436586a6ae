"""Day one without the demo, through the CLI and the HTTP API only.

From an empty database, through the CLI and HTTP to a uvicorn server:
`samverka partnership create` prints the first coordinator's
link; they accept it, add a partner, invite a second coordinator and a leader (by real
SMTP); the leader accepts and creates an activity; 500 volunteers import after a clean
dry run, and a file with three bad rows imports nothing and names the three rows.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from dayone_support import Inbox, live_server, smtp, start_partnership, volunteers_csv, with_smtp  # noqa: F401
from service_support import Api, run_db
from volunteers.db.engine import create_engine
from volunteers.db.models import Consent, User
from volunteers.notify import send_pending
from volunteers.settings import Settings

PASSWORD = "tre-blåa-cyklar-i-regn"


def accept(api: Api, token: str, name: str, password: str = PASSWORD, **more: object) -> dict:
    preview = api.post("/api/invitations/preview", json={"token": token})
    assert preview.status_code == 200, preview.text
    r = api.post("/api/invitations/accept", json={"token": token, "password": password, "display_name": name, **more})
    assert r.status_code == 200, r.text
    return r.json()


def send_outbox(settings: Settings) -> int:
    """What the server's periodic job does with queued account mail: send it through SMTP."""

    async def main() -> int:
        engine = create_engine(settings)
        try:
            return await send_pending(
                async_sessionmaker(engine, expire_on_commit=False), settings, dt.datetime.now(dt.UTC)
            )
        finally:
            await engine.dispose()

    return asyncio.run(main())


def count(settings, model, *where) -> int:
    async def q(db):
        return (await db.execute(select(func.count()).select_from(model).where(*where))).scalar_one()

    return run_db(settings, q)


def test_a_partnership_starts_from_an_empty_database(settings, smtp):  # noqa: F811
    controller, inbox = smtp
    assert count(settings, User) == 0
    token = start_partnership(settings, "cora@ny.example.se")
    served = with_smtp(settings, controller.port, jobs_interval_seconds=0)
    # The server uvicorn runs, spoken to over a socket: the real HTTP API.
    with live_server(served) as url, httpx.Client(base_url=url, timeout=60) as client:
        cora = Api(client)
        me = accept(cora, token, "Cora Samordnare")
        assert me["roles"] == ["coordinator"]
        pid = me["memberships"][0]["partnership_id"]
        partner = cora.post(f"/api/partnerships/{pid}/partners", json={"slug": "bk-backby", "name": "BK Bäckby"})
        assert partner.status_code == 201, partner.text
        partner_id = partner.json()["id"]

        r = cora.post(
            f"/api/partnerships/{pid}/invitations", json={"email": "carl@ny.example.se", "role": "coordinator"}
        )
        assert r.status_code == 201, r.text
        assert r.json()["mailed"] is True and r.json()["link"] is None  # mailed links never come back to the inviter
        r = cora.post(
            f"/api/partnerships/{pid}/invitations",
            json={"email": "lea@ny.example.se", "role": "leader", "partner_id": partner_id, "locale": "en"},
        )
        assert r.status_code == 201, r.text
        pending = cora.get(f"/api/partnerships/{pid}/invitations").json()
        assert sorted(p["email"] for p in pending) == ["carl@ny.example.se", "lea@ny.example.se"]
        assert "Invitation to IOP Bäckby" in inbox.to("lea@ny.example.se")[0]["Subject"]

        carl = Api(client)
        assert accept(carl, inbox.token_for("carl@ny.example.se"), "Carl Samordnare")["roles"] == ["coordinator"]
        lea = Api(client)
        me = accept(lea, inbox.token_for("lea@ny.example.se"), "Lea Ledare")
        assert me["roles"] == ["leader"] and me["memberships"][0]["partner_id"] == partner_id
        activity = lea.post(
            "/api/activities",
            json={
                "partner_id": partner_id,
                "name": "Fotboll F10",
                "kind": "sport",
                "target_group": "children",
            },
        )
        assert activity.status_code == 201, activity.text
        assert cora.get(f"/api/partnerships/{pid}/invitations").json() == []

        # A volunteer registers, confirms the address, forgets the password and resets it.
        slug = cora.get(f"/api/partnerships/{pid}/settings").json()["slug"]
        sara, address = Api(client), "sara.svensson@example.se"
        registration = {
            "partnership": slug,
            "email": address,
            "password": PASSWORD,
            "first_name": "Sara",
            "last_name": "Svensson",
            "birth_date": "2001-04-05",
            "consent": True,
        }
        assert sara.post("/api/auth/register", json=registration).status_code == 202
        assert send_outbox(served) == 1
        confirm = inbox.link_for(address, "/confirm-email")
        assert count(settings, User, User.email == address, User.email_confirmed_at.is_not(None)) == 0
        assert sara.post("/api/auth/confirm-email", json={"token": confirm}).status_code == 204
        assert count(settings, User, User.email == address, User.email_confirmed_at.is_not(None)) == 1
        assert sara.post("/api/auth/confirm-email", json={"token": confirm}).status_code == 422  # single use
        r = sara.post("/api/auth/login", json={"email": address, "password": PASSWORD})
        assert r.status_code == 200 and r.json()["roles"] == ["volunteer"]
        elsewhere = Api(client)  # a second log-in, which the reset must end
        assert elsewhere.post("/api/auth/login", json={"email": address, "password": PASSWORD}).status_code == 200
        forgetful = Api(client)
        r = forgetful.post("/api/auth/login", json={"email": address, "password": "fel-lösenord-igen"})
        assert r.status_code == 401
        assert forgetful.post("/api/auth/password-reset", json={"email": address}).status_code == 202
        assert send_outbox(served) == 1
        reset = inbox.link_for(address, "/reset-password")
        new_password = "blå-cykel-på-berget"
        r = forgetful.post("/api/auth/password-reset/complete", json={"token": reset, "password": new_password})
        assert r.status_code == 204, r.text
        assert elsewhere.get("/api/auth/me").status_code == 401
        assert forgetful.post("/api/auth/login", json={"email": address, "password": PASSWORD}).status_code == 401
        r = forgetful.post("/api/auth/login", json={"email": address, "password": new_password})
        assert r.status_code == 200 and r.json()["email"] == address
        again = forgetful.post("/api/auth/password-reset/complete", json={"token": reset, "password": "en-annan-cykel"})
        assert again.status_code == 422  # single use
        holders = cora.get(f"/api/partnerships/{pid}/roles").json()
        assert sorted((h["email"], h["role"], h["partner_name"]) for h in holders) == [
            ("carl@ny.example.se", "coordinator", None),
            ("cora@ny.example.se", "coordinator", None),
            ("lea@ny.example.se", "leader", "BK Bäckby"),
        ]

        # 500 volunteers: a clean dry run, then the import, each invited by mail.
        big = volunteers_csv(500)
        headers = {"content-type": "text/csv"}
        dry = cora.post(f"/api/partnerships/{pid}/imports/volunteers?dry_run=true", content=big, headers=headers)
        assert dry.status_code == 200, dry.text
        assert dry.json()["problems"] == [] and dry.json()["rows"] == 500 and dry.json()["imported"] == 0
        assert count(settings, User) == 4
        done = cora.post(f"/api/partnerships/{pid}/imports/volunteers", content=big, headers=headers)
        assert done.status_code == 200, done.text
        assert (done.json()["imported"], done.json()["mailed"], done.json()["links"]) == (500, 500, [])
        assert count(settings, User) == 504
        # Consent is never imported as given; an imported account cannot log in until accepted.
        assert count(settings, Consent) == 1  # Sara's, given when she registered
        assert count(settings, User, User.is_active.is_(True)) == 4
        vol = Api(client)
        r = vol.post("/api/auth/login", json={"email": "vol7@import.example.se", "password": PASSWORD})
        assert r.status_code == 401
        token = inbox.token_for("vol7@import.example.se")
        r = vol.post("/api/invitations/accept", json={"token": token, "password": PASSWORD})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "consent"
        me = accept(vol, token, "", consent=True)
        assert me["roles"] == ["volunteer"] and me["volunteer_profile_id"]
        assert count(settings, Consent) == 2
        profile = vol.get(f"/api/volunteers/{me['volunteer_profile_id']}").json()
        assert profile["phone"] == "070-123 45 07" and sorted(profile["languages"]) == ["en", "sv"]

        # Three bad rows among good ones: the dry run names exactly them, the import takes nothing.
        rows = volunteers_csv(20, start=1000).splitlines()
        rows[3] = "Bad,Row,not-an-address,,1990-01-01,sv,"  # line 4
        rows[9] = "Bad,Row,bad9@import.example.se,,1990-02-30,sv,"  # line 10: no 30 February
        rows[15] = "Bad,Row,bad15@import.example.se,,1990-01-01,sv,juggling chainsaws"  # line 16
        bad = "\n".join(rows) + "\n"
        dry = cora.post(f"/api/partnerships/{pid}/imports/volunteers?dry_run=true", content=bad, headers=headers)
        problems = dry.json()["problems"]
        assert [(p["line"], p["column"]) for p in problems] == [(4, "email"), (10, "birth_date"), (16, "skills")]
        refused = cora.post(f"/api/partnerships/{pid}/imports/volunteers", content=bad, headers=headers)
        assert refused.status_code == 422 and refused.json()["code"] == "import_refused"
        assert sorted({p["line"] for p in refused.json()["problems"]}) == [4, 10, 16]
        assert count(settings, User) == 504

        exported = cora.get(f"/api/partnerships/{pid}/exports/volunteers.csv")
        assert exported.status_code == 200 and exported.text.count("\n") == 502  # the header, Sara and the 500
        assert "vol7@import.example.se" in exported.text
