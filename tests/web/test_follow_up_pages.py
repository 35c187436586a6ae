"""The volunteer's follow-up form: an answer only with consent, their own history, withdrawing consent."""

from __future__ import annotations

from service_support import World


def test_volunteer_answers_with_consent_sees_history_and_withdraws(visitor, world: World) -> None:
    v = visitor("vol_anna", "en")
    r = v.get("/me/follow-ups")
    assert r.status_code == 200 and "You have not answered yet." in r.text
    r = v.post("/me/follow-ups", {"situation": "working", "helped": ["certificate", "reference"]})
    assert r.status_code == 422 and 'id="consent-error"' in r.text  # no consent, nothing kept
    assert "You have not answered yet." in r.text
    r = v.post("/me/follow-ups", {"situation": "working", "helped": ["certificate"], "consent": "yes"})
    assert r.status_code == 303, r.text
    page = v.get(r.headers["location"]).text
    assert "Thank you! Your answer is saved." in page and "I have a job" in page and "The certificate" in page
    sv = visitor("vol_anna", "sv").get("/me/follow-ups").text
    assert "Jag har ett arbete" in sv and "I have a job" not in sv
    r = v.post("/me/follow-ups/withdraw")
    assert r.status_code == 303
    page = v.get(r.headers["location"]).text
    assert "Your consent is withdrawn" in page and "You have not answered yet." in page


def test_a_volunteer_sees_only_their_own_answers(visitor, world: World) -> None:
    anna = visitor("vol_anna", "en")
    answer = {"situation": "studying", "comment": "Nursing at MDU", "consent": "yes"}
    assert anna.post("/me/follow-ups", answer).status_code == 303
    bo = visitor("vol_bo", "en")
    assert "Nursing at MDU" not in bo.get("/me/follow-ups").text
    assert bo.get(f"/api/volunteers/{world.profiles['vol_anna']}/follow-ups").status_code in (403, 404)
    assert visitor().get("/me/follow-ups").status_code in (302, 303, 401)
