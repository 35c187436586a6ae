"""Every page answers for the roles that may see it, and refuses the others kindly."""

from __future__ import annotations

import pytest

from service_support import World


def test_start_page_explains_the_partnership_in_swedish_by_default(visitor, world: World) -> None:
    r = visitor().get("/")
    assert r.status_code == 200
    assert '<html lang="sv">' in r.text
    assert "Bli volontär" in r.text
    assert "IOP Pettersberg" in r.text
    assert "RF-SISU Västmanland" in r.text


def test_language_switch_remembers_english_and_comes_back(visitor, world: World) -> None:
    v = visitor()
    r = v.get("/lang/en", params={"next": "/login"})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    r = v.get("/login")
    assert '<html lang="en">' in r.text and "E-mail address" in r.text


def test_language_switch_ignores_a_foreign_next_address(visitor, world: World) -> None:
    r = visitor().get("/lang/en", params={"next": "//evil.example/"})
    assert r.headers["location"] == "/"


def test_page_for_logged_in_users_sends_an_anonymous_visitor_to_log_in(visitor, world: World) -> None:
    r = visitor().get("/profile")
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/profile"


def test_htmx_request_without_login_is_told_to_redirect(visitor, world: World) -> None:
    r = visitor().get("/volunteers", headers={"HX-Request": "true"})
    assert r.headers["HX-Redirect"].startswith("/login")


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("vol_anna", "/volunteers"),
        ("vol_anna", "/activities"),
        ("leader_sisu", "/volunteers"),
    ],
)
def test_pages_of_another_role_answer_with_a_friendly_403(visitor, world: World, key: str, path: str) -> None:
    r = visitor(key, "en").get(path)
    assert r.status_code == 403
    assert "Not for your role" in r.text
    assert r.headers["content-type"].startswith("text/html")


def test_leader_without_a_volunteer_profile_gets_a_friendly_404_for_profile(visitor, world: World) -> None:
    r = visitor("leader_sisu", "en").get("/profile")
    assert r.status_code == 404 and "Page not found" in r.text


def test_activity_of_another_partnership_is_not_found(visitor, world: World) -> None:
    r = visitor("coordinator_other", "en").get(f"/activities/{world.activities['football']}")
    assert r.status_code == 404


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_page_renders_for_its_role(visitor, world: World, language: str) -> None:
    pages = {
        None: ["/", "/login", "/register"],
        "vol_anna": ["/profile", "/availability", "/skills/search?field=skills&skills_q=foot"],
        "leader_sisu": ["/activities", f"/activities/{world.activities['football']}", "/week"],
        "coordinator": [
            "/volunteers",
            "/volunteers?q=anna",
            f"/volunteers/{world.profiles['vol_anna']}",
            "/activities",
            "/week",
        ],
    }
    for key, paths in pages.items():
        v = visitor(key, language)
        for path in paths:
            r = v.get(path)
            assert r.status_code == 200, (key, path, r.text[:500])
            assert r.headers["content-type"].startswith("text/html")


def test_login_with_a_wrong_password_shows_the_error_in_swedish(visitor, world: World) -> None:
    r = visitor().post("/login", {"email": "vol_anna@test.samverka.se", "password": "not-the-password"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
    assert "Fel e-postadress eller lösenord." in r.text


def test_login_goes_on_to_the_page_asked_for(visitor, world: World) -> None:
    v = visitor()
    r = v.post(
        "/login", {"email": "vol_anna@test.samverka.se", "password": "correct-horse-battery", "next": "/availability"}
    )
    assert r.status_code == 303 and r.headers["location"] == "/availability"


def test_logout_ends_the_session(visitor, world: World) -> None:
    v = visitor("vol_anna")
    assert v.get("/profile").status_code == 200
    r = v.post("/logout")
    assert r.status_code == 303
    assert v.get("/profile").status_code == 303


def test_form_without_csrf_token_is_refused(visitor, world: World) -> None:
    v = visitor("vol_anna")
    v.jar.delete("csrftoken")
    r = v.request("POST", "/profile", data={"first_name": "X", "last_name": "Y"})
    assert r.status_code == 403
