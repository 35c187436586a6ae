"""Settings that moved from the environment into the partnership take effect; invitations are erased with a person."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from dayone_support import LINK
from service_support import run_db
from volunteers.accounts.sessions import actor_for_user
from volunteers.certify.drafting import signatory
from volunteers.db.models import Invitation, User
from volunteers.privacy.services import retention_sweep

NEW_PASSWORD = "tre-blåa-cyklar-i-regn"


def test_a_partnerships_own_retention_period_replaces_the_installations(api, world, settings):
    path = f"/api/partnerships/{world.partnership_id}/settings"
    coord = api("coordinator")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=61)

    def sweep(db):
        return retention_sweep(db, later, 730)

    assert coord.patch(path, json={"retention_days": 365}).status_code == 200
    assert run_db(settings, sweep) == 0
    assert coord.patch(path, json={"retention_days": 60}).status_code == 200
    assert run_db(settings, sweep) == 2  # Anna and Bo; staff are never swept

    async def anonymised(db):
        ids = [world.users["vol_anna"], world.users["vol_bo"], world.users["coordinator"]]
        rows = (await db.execute(select(User.id, User.anonymised_at).where(User.id.in_(ids)))).all()
        return {uid: at is not None for uid, at in rows}

    state = run_db(settings, anonymised)
    assert state[world.users["vol_anna"]] and state[world.users["vol_bo"]] and not state[world.users["coordinator"]]


def test_a_volunteers_own_certificate_is_signed_by_the_chosen_coordinator(api, world, settings):
    pid = world.partnership_id
    coord = api("coordinator")
    sent = coord.post(
        f"/api/partnerships/{pid}/invitations", json={"email": "signer@test.samverka.se", "role": "coordinator"}
    )
    token = LINK.search(sent.json()["link"]).group(1)
    body = {"token": token, "password": NEW_PASSWORD, "display_name": "Sigrid Signer"}
    me = api().post("/api/invitations/accept", json=body).json()

    def signer(user_key: str = "vol_anna"):
        async def name(db):
            user = await db.get(User, world.users[user_key])
            return (await signatory(db, await actor_for_user(db, user), pid)).name

        return run_db(settings, name)

    # None chosen: a volunteer's own certificate names nobody (no coordinator who did nothing is printed),
    # while a coordinator who issues one approves it and is named.
    assert signer() == ""
    assert signer("coordinator") == "Cora Coordinator"
    assert coord.patch(f"/api/partnerships/{pid}/settings", json={"signatory_user_id": me["id"]}).status_code == 200
    assert signer() == "Sigrid Signer"
    assert signer("coordinator") == "Cora Coordinator"  # the issuing coordinator, not the chosen one
    # No longer a coordinator: she approves nothing any more, so nobody is named again.
    holders = {h["email"]: h for h in coord.get(f"/api/partnerships/{pid}/roles").json()}
    assert coord.delete(f"/api/roles/{holders['signer@test.samverka.se']['membership_id']}").status_code == 204
    assert signer() == ""


def test_erasing_a_volunteer_erases_the_invitations_to_their_address(api, world, settings):
    coord = api("coordinator")
    sisu = str(world.partners["sisu"])
    invited = coord.post(
        f"/api/partnerships/{world.partnership_id}/invitations",
        json={"email": "vol_anna@test.samverka.se", "role": "leader", "partner_id": sisu},
    )
    assert invited.status_code == 201
    anna = api("vol_anna")
    r = anna.post(f"/api/volunteers/{world.profiles['vol_anna']}/erase", json={"confirm": "ERASE"})
    assert r.status_code == 204, r.text

    async def left(db):
        return (await db.execute(select(Invitation.email))).scalars().all()

    assert "vol_anna@test.samverka.se" not in run_db(settings, left)
