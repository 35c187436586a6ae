"""A minor sees their own guardian's consent: on record or not, what it means, and what to do (sv and en).

Consent is a placing rule (an under-16 without it is not placed before their 16th birthday):
the volunteer learns it on their profile, and an open place or a released one closed by it
links there.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import insert, update

from choose_support import arrange_open_places
from rules_support import audit, sql, statuses
from volunteers.db.models import Consent, VolunteerProfile


def _section(page: str) -> str:
    found = re.search(r'<section[^>]*id="guardian-consent".*?</section>', page, re.S)
    assert found, "no guardian's consent section"
    return found.group(0)


def test_a_minor_sees_her_consent_and_what_its_withdrawal_means(visitor, world, settings):
    ids = arrange_open_places(settings, world)  # Anna is 15 (born 2011-06-01), consent on record since 1 January
    anna_id = world.profiles["vol_anna"]
    # As registration records it: the guardian's name and their consent.
    given = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    sql(
        settings,
        update(VolunteerProfile).where(VolunteerProfile.id == anna_id).values(guardian_name="Karin Guardian"),
        insert(Consent).values(
            user_id=world.users["vol_anna"], kind="guardian", wording_version="v1", given_at=given, given_by="Karin"
        ),
    )
    anna = visitor("vol_anna", language="sv")
    mine = _section(anna.get("/profile").text)
    assert "Din vårdnadshavares samtycke" in mine and "Registrerat" in mine
    assert "Samtycket från din vårdnadshavare (Karin Guardian) är registrerat sedan 1 januari 2026." in mine
    assert "Du kan få pass." in mine
    assert "Tills du fyller 16 den 1 juni 2027" in mine
    assert "Så gör du" not in mine
    en = _section(visitor("vol_anna", language="en").get("/profile").text)
    assert "On record" in en and "You can be placed on sessions." in en and "1 June 2027" in en

    # She takes the open circle place; the coordinator then records that her guardian withdrew consent.
    assert anna.post(f"/me/open-places/{ids['circle']}/take", {"role": "samtalsledare"}).status_code == 303
    coord = visitor("coordinator", language="sv")
    withdraw = f"/volunteers/{anna_id}/guardian-consent/withdraw"
    assert coord.post(withdraw, {}).status_code == 409
    assert coord.post(withdraw, {"confirm": "yes"}).status_code == 303
    assert "cancelled" in statuses(settings).values()

    mine = _section(anna.get("/profile").text)
    assert "Samtycket återkallat" in mine and "Registrerat" not in mine
    assert "Din vårdnadshavare återkallade sitt samtycke den 26 november 2026" in mine
    assert "Du kan inte få pass innan du fyller 16 förrän samtycket ges igen." in mine
    assert "Så gör du: be din vårdnadshavare säga till samordnaren" in mine
    en = _section(visitor("vol_anna", language="en").get("/profile").text)
    assert "Consent withdrawn" in en and "What to do: ask your guardian to tell the coordinator" in en

    # The released place says why, in her words, and where to read what to do.
    released = re.search(r'id="released".*?</section>', anna.get("/me/sessions").text, re.S).group(0)
    assert "Swedish circle" in released
    assert "Under 16: din vårdnadshavares samtycke måste finnas registrerat" in released
    assert 'href="/profile#guardian-consent">så ger din vårdnadshavare sitt samtycke</a>' in released
    # So does the open place she can no longer take.
    places = anna.get("/me/open-places").text
    assert "under 16: din vårdnadshavares samtycke måste finnas registrerat (fråga samordnaren)" in places
    assert 'href="/profile#guardian-consent">så ger din vårdnadshavare sitt samtycke</a>' in places

    # Given again: on record, with who gave it; the open place is hers to take again.
    r = coord.post(f"/volunteers/{anna_id}/guardian-consent", {"correct_given_by": "Karin Guardian"})
    assert r.status_code == 303, r.text
    mine = _section(anna.get("/profile").text)
    assert "Registrerat" in mine and "(Karin Guardian) är registrerat sedan 26 november 2026" in mine
    assert "profile#guardian-consent" not in anna.get("/me/open-places").text
    assert audit(settings, world) == []


def test_no_consent_on_record_says_what_to_do_and_adults_see_nothing(visitor, world, settings):
    bo_id = world.profiles["vol_bo"]
    sql(settings, update(VolunteerProfile).where(VolunteerProfile.id == bo_id).values(birth_date=dt.date(2013, 2, 28)))
    mine = _section(visitor("vol_bo", language="sv").get("/profile").text)
    assert "Inte registrerat" in mine
    assert "Vi har inget samtycke från din vårdnadshavare registrerat" in mine
    assert "Tills du fyller 16 den 28 februari 2029" in mine and "Så gör du" in mine
    en = _section(visitor("vol_bo", language="en").get("/profile").text)
    assert "Not on record" in en and "We have no consent from your guardian on record" in en

    # Sixteen today: no consent is asked, so nothing is shown; nor to an adult.
    sql(settings, update(VolunteerProfile).where(VolunteerProfile.id == bo_id).values(birth_date=dt.date(2010, 11, 26)))
    assert 'id="guardian-consent"' not in visitor("vol_bo").get("/profile").text
    sql(settings, update(VolunteerProfile).where(VolunteerProfile.id == bo_id).values(birth_date=dt.date(2010, 11, 27)))
    assert 'id="guardian-consent"' in visitor("vol_bo").get("/profile").text
    assert 'id="guardian-consent"' not in visitor("vol_anna").get("/profile").text  # the world's Anna is an adult
