"""The page for employers, linked from every certificate: in the certificate's language, no account needed."""

from __future__ import annotations

import io
import re

import pypdf

from service_support import run_db
from volunteers.settings import Settings
from web.test_work_pages import TODAY, add_verified_hours

INLINE = re.compile(r"<style|\sstyle=|<script(?![^>]*\ssrc=)", re.I)


def test_each_certificate_links_the_employer_page_in_its_own_language(settings: Settings, visitor, world) -> None:
    run_db(settings, lambda db: add_verified_hours(db, world, "vol_anna", TODAY))
    anna = visitor("vol_anna", "en")
    pages = {}
    for language in ("sv", "en"):
        assert anna.post("/me/certificates", {"language": language}).status_code == 303
    listed = anna.get(
        f"/api/volunteers/{world.profiles['vol_anna']}/certificates", headers={"Accept": "application/json"}
    )
    for item in listed.json():
        pdf = anna.get(f"/api/certificates/{item['public_id']}.pdf").content
        text = re.sub(r"\s+", "", " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))
        (address,) = re.findall(
            r"(?:intyg:|certificate:)(https?://\S+?/(?:intyg/kontrollera|certificates/check))", text
        )
        pages[address.rsplit("/", 2)[-2]] = address
    assert set(pages) == {"intyg", "certificates"}

    # An employer without an account and with an English browser still gets the page in
    # the language of the certificate that links it.
    employer = visitor()
    sv = employer.get("/intyg/kontrollera", headers={"Accept-Language": "en-GB,en"})
    en = employer.get("/certificates/check", headers={"Accept-Language": "sv-SE,sv"})
    assert sv.status_code == 200 and en.status_code == 200
    assert "Så kontrollerar du ett intyg" in sv.text and "How to check a certificate" not in sv.text
    assert "How to check a certificate" in en.text and "Så kontrollerar" not in en.text
    for page in (sv, en):
        assert 'action="/verify"' in page.text and "/.well-known/did.json" in page.text
        assert '<meta name="viewport"' in page.text
        assert not INLINE.search(page.text)
