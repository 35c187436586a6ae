from __future__ import annotations

from sqlalchemy import func, select

from service_support import PASSWORD, run_db
from volunteers.db.models import Consent, User, VolunteerProfile


def registration(**over):
    data = {
        "partnership": "pettersberg",
        "email": "new.volunteer@example.se",
        "password": "a-long-enough-passphrase",
        "first_name": "Nadia",
        "last_name": "Ahmed",
        "birth_date": "2000-02-03",
        "consent": True,
        "languages": ["sv", "ar"],
    }
    data.update(over)
    return data


def count(settings, model):
    async def q(db):
        return (await db.execute(select(func.count()).select_from(model))).scalar_one()

    return run_db(settings, q)


def test_volunteer_registers_with_consent_and_logs_in_with_the_password(api, world, settings):
    caller = api()
    r = caller.post("/api/auth/register", json=registration())
    assert r.status_code == 202, r.text
    assert "samverka_session" not in caller.cookies  # the answer must match a known address's
    r = caller.post(
        "/api/auth/login", json={"email": "new.volunteer@example.se", "password": "a-long-enough-passphrase"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["roles"] == ["volunteer"]
    me = caller.get("/api/auth/me")
    assert me.status_code == 200
    assert me.json()["email"] == "new.volunteer@example.se"
    profile = caller.get("/api/volunteers/me").json()
    assert profile["languages"] == ["ar", "sv"]

    async def consents(db):
        return (await db.execute(select(Consent.kind, Consent.wording_version))).all()

    assert [tuple(c) for c in run_db(settings, consents)] == [("data_processing", "2026-1")]


def test_registration_without_consent_is_refused_naming_the_field(api, world, settings):
    users_before = count(settings, User)
    r = api().post("/api/auth/register", json=registration(consent=False))
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["field"] == "consent"
    assert count(settings, User) == users_before


def test_under_13_cannot_register(api, world, settings):
    r = api().post("/api/auth/register", json=registration(birth_date="2015-01-01"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "birth_date"
    assert count(settings, VolunteerProfile) == 2


def test_under_16_needs_a_guardian(api, world, settings):
    r = api().post("/api/auth/register", json=registration(birth_date="2012-06-01"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "guardian_name"
    r = api().post(
        "/api/auth/register",
        json=registration(birth_date="2012-06-01", guardian_name="Fatima Ahmed", guardian_consent=True),
    )
    assert r.status_code == 202, r.text

    async def kinds(db):
        return sorted((await db.execute(select(Consent.kind))).scalars())

    assert run_db(settings, kinds) == ["data_processing", "guardian"]


def test_weak_password_is_refused(api, world):
    r = api().post("/api/auth/register", json=registration(password="short"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "password"
    r = api().post("/api/auth/register", json=registration(password="password123"))
    assert r.status_code == 422


def test_registering_a_known_address_answers_as_a_new_one_and_changes_nothing(api, world, settings):
    first = api().post("/api/auth/register", json=registration())
    again = api().post("/api/auth/register", json=registration(email="NEW.volunteer@example.se", first_name="Eve"))
    assert (again.status_code, again.json()) == (first.status_code, first.json()) == (202, first.json())
    assert count(settings, User) == 7

    async def names(db):
        return (await db.execute(select(VolunteerProfile.first_name).order_by(VolunteerProfile.first_name))).all()

    assert [n for (n,) in run_db(settings, names)] == ["Anna", "Bo", "Nadia"]


def test_unknown_field_and_wrong_type_are_named(api, world):
    r = api().post("/api/auth/register", json=registration(birth_date="not-a-date"))
    assert r.status_code == 400
    assert "birth_date" in r.json()["detail"]
    r = api().post("/api/auth/register", json=registration(personnummer="200001011234"))
    assert r.status_code == 400
    assert "personnummer" in r.json()["detail"]


def test_login_logout(api, world):
    caller = api().login("vol_anna")
    assert caller.get("/api/auth/me").status_code == 200
    assert caller.post("/api/auth/logout").status_code == 204
    assert caller.get("/api/auth/me").status_code == 401


def test_wrong_password_backs_off_after_repeated_failures(api, world, clock):
    caller = api()
    body = {"email": "vol_anna@test.samverka.se", "password": "wrong-password-here"}
    for _ in range(5):
        assert caller.post("/api/auth/login", json=body).status_code == 401
    # Locked now: even the right password is refused until the back-off passes.
    right = {"email": "vol_anna@test.samverka.se", "password": PASSWORD}
    r = caller.post("/api/auth/login", json=right)
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) > 0
    clock.advance(seconds=31)
    assert caller.post("/api/auth/login", json=right).status_code == 200


def test_login_is_rate_limited_per_client(api, world, app, clock):
    app.state.settings = app.state.settings.__class__(**{**app.state.settings.__dict__, "rate_limit_per_minute": 3})
    caller = api()
    body = {"email": "nobody@test.samverka.se", "password": "whatever-password"}
    codes = [caller.post("/api/auth/login", json=body).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    clock.advance(seconds=61)
    assert caller.post("/api/auth/login", json=body).status_code == 401


def test_a_write_without_the_csrf_token_is_refused(api, world):
    caller = api("vol_anna")
    profile_id = caller.get("/api/volunteers/me").json()["id"]
    r = caller.patch(f"/api/volunteers/{profile_id}", json={"phone": "070-1234567"}, csrf=False)
    assert r.status_code == 403
    assert caller.get("/api/volunteers/me").json()["phone"] == ""
    r = caller.patch(f"/api/volunteers/{profile_id}", json={"phone": "070-1234567"})
    assert r.status_code == 200
    assert r.json()["phone"] == "070-1234567"


def test_logout_and_deactivation_take_effect_at_once_on_another_worker(api, world, settings, clock):
    """Each worker asks the database who is behind a cookie on every request; none remembers."""
    from litestar.testing import TestClient

    from volunteers.accounts.middleware import SESSION_COOKIE
    from volunteers.app import create_app

    first = api().login("vol_anna")
    second = api().login("vol_anna")
    with TestClient(create_app(settings, clock=clock), base_url="http://testserver.local") as other:
        for caller in (first, second):
            other.cookies.set(SESSION_COOKIE, caller.cookies[SESSION_COOKIE])
            assert other.get("/api/auth/me").status_code == 200
        # Logged out on this worker: refused on the other at once.
        other.cookies.set(SESSION_COOKIE, first.cookies[SESSION_COOKIE])
        assert first.post("/api/auth/logout").status_code == 204
        assert other.get("/api/auth/me").status_code == 401
        # Deactivated: the other session is refused at once too.
        other.cookies.set(SESSION_COOKIE, second.cookies[SESSION_COOKIE])
        assert other.get("/api/volunteers/me").status_code == 200

        async def deactivate(db):  # type: ignore[no-untyped-def]
            user = (await db.execute(select(User).where(User.email == "vol_anna@test.samverka.se"))).scalar_one()
            user.is_active = False

        run_db(settings, deactivate)
        assert other.get("/api/volunteers/me").status_code == 401
