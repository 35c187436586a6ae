"""Names in Ethiopic, Chinese, Tamil and Persian, entered through the API: issued, downloaded, verified.

Before the certificate package shipped fonts for these scripts, an Amharic or Chinese
name was drawn as .notdef boxes and the issued certificate failed its own verifier.
"""

from __future__ import annotations

import io

import pypdf

from certificates import KeySet, verify_pdf
from experience_support import confirm, standard_work

# (first name, last name, language of the certificate)
NAMES = {
    "vol_anna": ("ሰላም", "ገብረሚካኤል", "sv"),  # Tigrinya
    "vol_bo": ("秀英", "王", "en"),
}


def test_names_in_other_scripts_are_issued_and_verify(api, world, settings):
    work = standard_work(settings, world)
    sisu = api("leader_sisu")
    for session in ("f1", "f2"):
        assert confirm(sisu, work, session, {"vol_anna": (True, 90), "vol_bo": (True, 90)}).status_code == 200
    keys = KeySet.loads(api().get("/.well-known/samverka-keys.json").content)
    coord = api("coordinator")
    for key, (first, last, language) in NAMES.items():
        profile = world.profiles[key]
        changed = api(key).patch(
            f"/api/volunteers/{profile}",
            json={
                "first_name": first,
                "last_name": last,
                "skills": ["coach_young_people", "work_in_teams", "listen_actively"],
            },
        )
        assert changed.status_code == 200, changed.text
        issued = coord.post(f"/api/volunteers/{profile}/certificates", json={"language": language})
        assert issued.status_code == 201, issued.text
        pdf = coord.get(f"/api/certificates/{issued.json()['public_id']}.pdf").content
        result = verify_pdf(pdf, keys)
        assert result.ok, result.reason
        text = "".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
        assert first in text and last in text
        fonts = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()
        assert all("Samverka" in str(font.get_object()["/BaseFont"]) for font in fonts)
