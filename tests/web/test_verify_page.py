"""The public certificate check: in the site's layout and languages, no inline style, the same 404 for any id."""

from __future__ import annotations

import re

from service_support import run_db
from volunteers.settings import Settings
from web.test_work_pages import TODAY, add_verified_hours

INLINE = re.compile(r"<style|\sstyle=|<script(?![^>]*\ssrc=)", re.I)


def issued_certificate(settings: Settings, visitor, world) -> str:  # type: ignore[no-untyped-def]
    run_db(settings, lambda db: add_verified_hours(db, world, "vol_anna", TODAY))
    v = visitor("vol_anna", "en")
    assert v.post("/me/certificates", {"language": "en"}).status_code == 303
    r = v.get(f"/api/volunteers/{world.profiles['vol_anna']}/certificates", headers={"Accept": "application/json"})
    return str(r.json()[0]["public_id"])


def test_a_valid_certificate_reads_valid_in_the_site_layout(settings: Settings, visitor, world) -> None:
    public_id = issued_certificate(settings, visitor, world)
    r = visitor().get(f"/verify/{public_id}", headers={"Accept": "text/html", "Accept-Language": "en-GB,en;q=0.9"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "verdict-valid" in r.text and "This certificate is genuine and has not been revoked." in r.text
    assert "Anna Volunteer" in r.text and "What this proves" in r.text and "Samverka" in r.text
    assert '<link rel="stylesheet" href="/static/css/app.css">' in r.text
    assert not INLINE.search(r.text), "the CSP would block inline style or script"
    assert r.headers["cache-control"] == "no-store"
    sv = visitor(language="sv").get(f"/verify/{public_id}")
    assert "Giltigt" in sv.text and "Vad detta visar" in sv.text and "What this proves" not in sv.text


def test_a_revoked_certificate_shows_revoked_first_and_the_reason(settings: Settings, visitor, world) -> None:
    public_id = issued_certificate(settings, visitor, world)
    r = visitor("coordinator", "en").post(f"/api/certificates/{public_id}/revoke", json={"reason": "Wrong person"})
    assert r.status_code == 200, r.text
    page = visitor().get(f"/verify/{public_id}").text  # no cookie, no Accept-Language: Swedish
    assert "verdict-revoked" in page and "Återkallat" in page and "Wrong person" in page
    assert "Giltigt" not in page and "Vad detta visar" not in page


def test_unknown_ids_get_one_and_the_same_page(visitor) -> None:
    pages = [visitor().get(f"/verify/{bad}") for bad in ("AAAAAAAAAAAAAAAAAAAA", "nope", "<script>")]
    assert all(p.status_code == 404 for p in pages)
    # Nothing tells one unknown id from another (but the language switch's way back here).
    assert len({re.sub(r'href="/lang/[^"]*"', "", p.text) for p in pages}) == 1
    assert "Intyget finns inte" in pages[0].text and "Kontrollera ett annat intyg" in pages[0].text
    en = visitor(language="en").get("/verify/AAAAAAAAAAAAAAAAAAAA")
    assert en.status_code == 404 and "No such certificate" in en.text
    json = visitor().get("/verify/AAAAAAAAAAAAAAAAAAAA", headers={"Accept": "application/json"})
    assert json.status_code == 404 and json.json()["code"] == "not_found"


def test_the_form_takes_an_id_or_a_pasted_link(visitor) -> None:
    v = visitor(language="en")
    r = v.get("/verify")
    assert r.status_code == 200 and 'name="id"' in r.text and "Check a certificate" in r.text
    assert not INLINE.search(r.text)
    r = v.get("/verify", params={"id": " https://samverka.example/verify/abcdefghijklmnopqrst/ "})
    assert r.status_code == 303 and r.headers["location"] == "/verify/ABCDEFGHIJKLMNOPQRST"
    assert 'action="/verify"' in visitor().get("/").text  # the start page links employers here
