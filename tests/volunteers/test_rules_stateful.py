"""Random sequences of ordinary edits through the HTTP API; after every step no held future assignment breaks a rule.

Leaders move, cancel and add sessions and change needs; volunteers change their week, cap,
languages and skills; coordinators record, correct and remove checks, correct birth dates,
record and withdraw a guardian's consent, switch an activity to children, hand assign,
withdraw, run the matcher and publish (also stale plans); volunteers accept and decline;
time passes. Every change that would release someone is sent with or without
`confirm` at random. The invariant is the auditor's (tests/rules_invariant.py), written
apart from the service. No request may answer 5xx.

Sized for CI; SAMVERKA_LONG_TESTS=1 runs many more and longer sequences.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import settings as settings_
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import update

from rules_support import audit, sql
from volunteers.db.models import VolunteerProfile

LONG = os.environ.get("SAMVERKA_LONG_TESTS") == "1"
PROFILE = settings(
    max_examples=40 if LONG else 8,
    stateful_step_count=50 if LONG else 25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=not LONG,
)
VOLUNTEERS = ("vol_anna", "vol_bo")
LEADERS = {"football": "leader_sisu", "circle": "leader_abf"}
SKILLS = ("coach_young_people", "first_aid")
DAYS = ("2026-12-01", "2026-12-02", "2026-12-03", "2026-12-05", "2026-12-08")
HOURS = (8, 10, 16, 17, 18, 19, 20, 21)


def _pick(data: Any, items: list[Any]) -> Any:
    """One of `items`, drawn as an index that does not depend on how many there are (the database
    outlives an example, so the lists do too: a draw shaped by them would make hypothesis see flakiness)."""
    i = data.draw(st.integers(0, 63))
    return items[i % len(items)] if items else None


def _ok(r: Any) -> Any:
    assert r.status_code < 500, f"{r.request.method} {r.request.url}: {r.status_code} {r.text}"
    return r


def test_random_edits_never_leave_a_broken_hold(api, world, settings, clock):
    callers = {key: api(key) for key in ("coordinator", *LEADERS.values(), *VOLUNTEERS)}
    # A 14-year-old among the volunteers, so minors' hours and the age rules come into play.
    sql(
        settings,
        update(VolunteerProfile)
        .where(VolunteerProfile.id == world.profiles["vol_bo"])
        .values(birth_date=dt.date(2012, 6, 1), guardian_consent_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),
    )
    start_now = clock.now

    class Edits(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            clock.now = start_now
            self.sessions: list[tuple[str, str]] = []  # (activity key, session id)
            self.needs: list[tuple[str, str]] = []  # (activity key, need id)
            self.runs: list[str] = []
            self.checks: list[tuple[str, str]] = []  # (volunteer key, background-check record id)
            for i, (activity, leader) in enumerate(sorted(LEADERS.items())):
                path = f"/api/activities/{world.activities[activity]}/needs"
                found = [n for n in _ok(callers[leader].get(path)).json() if n["session_id"] is None]
                if not found:
                    found = [_ok(callers[leader].post(path, json={"role": f"r{i}", "count": 2})).json()]
                self.needs += [(activity, n["id"]) for n in found]
            # Every sequence starts from people held on sessions, so that there is something to break.
            week = {"rules": [{"weekday": d, "start_time": "06:00:00", "end_time": "23:00:00"} for d in range(7)]}
            for key in VOLUNTEERS:
                _ok(
                    callers[key].put(
                        f"/api/volunteers/{world.profiles[key]}/availability", json={**week, "confirm": True}
                    )
                )
                profile = {"languages": ["sv", "en"], "clear_max_minutes_per_week": True, "confirm": True}
                _ok(callers[key].patch(f"/api/volunteers/{world.profiles[key]}", json=profile))
                seen = (clock.now - dt.timedelta(days=30)).date().isoformat()
                r = _ok(
                    callers["coordinator"].post(
                        f"/api/volunteers/{world.profiles[key]}/background-checks", json={"seen_on": seen}
                    )
                )
                self.checks.append((key, r.json()["id"]))
            for (activity, leader), day in zip(sorted(LEADERS.items()), ("2026-12-01", "2026-12-03"), strict=True):
                body = {"starts_at": f"{day}T17:00:00+01:00", "ends_at": f"{day}T18:30:00+01:00"}
                sid = _ok(
                    callers[leader].post(f"/api/activities/{world.activities[activity]}/sessions", json=body)
                ).json()[0]["id"]
                self.sessions.append((activity, sid))
                role = "r0" if activity == "circle" else "r1"
                for key in VOLUNTEERS:
                    r = _ok(
                        callers["coordinator"].post(
                            f"/api/sessions/{sid}/assignments",
                            json={"volunteer_id": str(world.profiles[key]), "role": role},
                        )
                    )
                    if r.status_code == 201 and key == "vol_anna":
                        _ok(callers[key].post(f"/api/assignments/{r.json()['id']}/accept"))

        # --- leaders ---------------------------------------------------------------
        @rule(activity=st.sampled_from(sorted(LEADERS)), day=st.sampled_from(DAYS), hour=st.sampled_from(HOURS))
        def add_session(self, activity: str, day: str, hour: int) -> None:
            body = {"starts_at": f"{day}T{hour:02d}:00:00+01:00", "ends_at": f"{day}T{hour + 1:02d}:30:00+01:00"}
            r = _ok(
                callers[LEADERS[activity]].post(f"/api/activities/{world.activities[activity]}/sessions", json=body)
            )
            if r.status_code == 201:
                self.sessions.append((activity, r.json()[0]["id"]))

        @rule(data=st.data(), day=st.sampled_from(DAYS), hour=st.sampled_from(HOURS), confirm=st.booleans())
        def move_session(self, data: Any, day: str, hour: int, confirm: bool) -> None:
            picked = _pick(data, self.sessions)
            if picked is None:
                return
            activity, sid = picked
            body = {
                "starts_at": f"{day}T{hour:02d}:00:00+01:00",
                "ends_at": f"{day}T{hour + 1:02d}:30:00+01:00",
                "confirm": confirm,
            }
            _ok(callers[LEADERS[activity]].patch(f"/api/sessions/{sid}", json=body))

        @rule(data=st.data())
        def cancel_session(self, data: Any) -> None:
            picked = _pick(data, self.sessions)
            if picked is not None:
                activity, sid = picked
                _ok(callers[LEADERS[activity]].patch(f"/api/sessions/{sid}", json={"status": "cancelled"}))

        @rule(
            data=st.data(),
            count=st.integers(1, 2),
            skills=st.lists(st.sampled_from(SKILLS), max_size=1),
            languages=st.lists(st.sampled_from(("sv", "ar")), max_size=1),
            min_age=st.none() | st.sampled_from((16, 18)),
            confirm=st.booleans(),
        )
        def change_need(
            self, data: Any, count: int, skills: list[str], languages: list[str], min_age: Any, confirm: bool
        ) -> None:
            picked = _pick(data, self.needs)
            if picked is None:
                return
            activity, nid = picked
            body: dict[str, Any] = {"count": count, "skills": skills, "languages": languages, "confirm": confirm}
            body.update({"min_age": min_age} if min_age else {"clear_min_age": True})
            _ok(callers[LEADERS[activity]].patch(f"/api/needs/{nid}", json=body))

        @rule(data=st.data(), confirm=st.booleans())
        def delete_need(self, data: Any, confirm: bool) -> None:
            picked = _pick(data, self.needs)
            if picked is not None and len(self.needs) > 1:
                activity, nid = picked
                r = _ok(callers[LEADERS[activity]].delete(f"/api/needs/{nid}?confirm={str(confirm).lower()}"))
                if r.status_code == 204:
                    self.needs.remove((activity, nid))

        @rule(
            data=st.data(),
            languages=st.lists(st.sampled_from(("sv", "ar")), max_size=1),
            min_age=st.none() | st.just(18),
        )
        def session_override(self, data: Any, languages: list[str], min_age: Any) -> None:
            picked = _pick(data, self.sessions)
            if picked is None:
                return
            activity, sid = picked
            role = data.draw(st.sampled_from(["r0", "r1"]))
            body: dict[str, Any] = {
                "role": role,
                "count": 1,
                "languages": languages,
                "confirm": data.draw(st.booleans()),
            }
            if min_age:
                body["min_age"] = min_age
            _ok(callers[LEADERS[activity]].post(f"/api/sessions/{sid}/needs", json=body))

        # --- volunteers ------------------------------------------------------------
        @rule(
            key=st.sampled_from(VOLUNTEERS),
            days=st.lists(st.integers(0, 6), max_size=7, unique=True),
            start=st.sampled_from((6, 8, 15, 17)),
            end=st.sampled_from((19, 21, 23)),
            confirm=st.booleans(),
        )
        def set_availability(self, key: str, days: list[int], start: int, end: int, confirm: bool) -> None:
            rules = [{"weekday": d, "start_time": f"{start:02d}:00:00", "end_time": f"{end:02d}:00:00"} for d in days]
            _ok(
                callers[key].put(
                    f"/api/volunteers/{world.profiles[key]}/availability", json={"rules": rules, "confirm": confirm}
                )
            )

        @rule(
            key=st.sampled_from(VOLUNTEERS),
            cap=st.none() | st.sampled_from((15, 90, 180, 600)),
            languages=st.lists(st.sampled_from(("sv", "ar", "en")), max_size=2, unique=True),
            skills=st.lists(st.sampled_from(SKILLS), max_size=2, unique=True),
            confirm=st.booleans(),
        )
        def change_profile(self, key: str, cap: Any, languages: list[str], skills: list[str], confirm: bool) -> None:
            body: dict[str, Any] = {"languages": languages, "skills": skills, "confirm": confirm}
            body.update({"max_minutes_per_week": cap} if cap is not None else {"clear_max_minutes_per_week": True})
            _ok(callers[key].patch(f"/api/volunteers/{world.profiles[key]}", json=body))

        @rule(key=st.sampled_from(VOLUNTEERS), answer=st.sampled_from(("accept", "decline")), data=st.data())
        def answer(self, key: str, answer: str, data: Any) -> None:
            mine = [a for a in _ok(callers[key].get("/api/assignments/mine")).json() if a["status"] == "proposed"]
            a = _pick(data, mine)
            if a is not None:
                body = {"reason": "no"} if answer == "decline" else None
                _ok(callers[key].post(f"/api/assignments/{a['id']}/{answer}", json=body))

        # --- coordinators ----------------------------------------------------------
        @rule(key=st.sampled_from(VOLUNTEERS), days_ago=st.sampled_from((1, 200, 364, 400)))
        def record_check(self, key: str, days_ago: int) -> None:
            seen = (clock.now - dt.timedelta(days=days_ago)).date().isoformat()
            r = _ok(
                callers["coordinator"].post(
                    f"/api/volunteers/{world.profiles[key]}/background-checks", json={"seen_on": seen}
                )
            )
            if r.status_code == 201:
                self.checks.append((key, r.json()["id"]))

        @rule(data=st.data(), days_ago=st.sampled_from((1, 300, 364, 400)), confirm=st.booleans())
        def correct_check(self, data: Any, days_ago: int, confirm: bool) -> None:
            picked = _pick(data, self.checks)
            if picked is not None:
                key, cid = picked
                seen = (clock.now - dt.timedelta(days=days_ago)).date().isoformat()
                path = f"/api/volunteers/{world.profiles[key]}/background-checks/{cid}"
                _ok(callers["coordinator"].patch(path, json={"seen_on": seen, "confirm": confirm}))

        @rule(data=st.data(), confirm=st.booleans())
        def remove_check(self, data: Any, confirm: bool) -> None:
            picked = _pick(data, self.checks)
            if picked is not None:
                key, cid = picked
                path = f"/api/volunteers/{world.profiles[key]}/background-checks/{cid}"
                r = _ok(callers["coordinator"].delete(f"{path}?confirm={str(confirm).lower()}"))
                if r.status_code == 204:
                    self.checks.remove((key, cid))

        # 31, 15 turning 16 on 2026-12-04 (between the sessions' days), 14.
        @rule(
            key=st.sampled_from(VOLUNTEERS),
            born=st.sampled_from(("1995-05-17", "2010-12-04", "2012-06-01")),
            confirm=st.booleans(),
        )
        def correct_birth_date(self, key: str, born: str, confirm: bool) -> None:
            body = {"birth_date": born, "confirm": confirm}
            _ok(callers["coordinator"].patch(f"/api/volunteers/{world.profiles[key]}", json=body))

        @rule(key=st.sampled_from(VOLUNTEERS), given=st.booleans(), confirm=st.booleans())
        def guardian_consent(self, key: str, given: bool, confirm: bool) -> None:
            path = f"/api/volunteers/{world.profiles[key]}/guardian-consent"
            if given:
                _ok(callers["coordinator"].post(path, json={"given_by": "A Guardian"}))
            else:
                _ok(callers["coordinator"].delete(f"{path}?confirm={str(confirm).lower()}"))

        @rule(group=st.sampled_from(("children", "adults")), confirm=st.booleans())
        def switch_circle_group(self, group: str, confirm: bool) -> None:
            body = {"target_group": group, "confirm": confirm}
            _ok(callers["coordinator"].patch(f"/api/activities/{world.activities['circle']}", json=body))

        @rule(data=st.data(), key=st.sampled_from(VOLUNTEERS), role=st.sampled_from(("r0", "r1")))
        def hand_assign(self, data: Any, key: str, role: str) -> None:
            picked = _pick(data, self.sessions)
            if picked is not None:
                _, sid = picked
                body = {"volunteer_id": str(world.profiles[key]), "role": role}
                _ok(callers["coordinator"].post(f"/api/sessions/{sid}/assignments", json=body))

        @rule(data=st.data())
        def withdraw(self, data: Any) -> None:
            key = data.draw(st.sampled_from(VOLUNTEERS))
            mine = [a for a in _ok(callers[key].get("/api/assignments/mine")).json()]
            a = _pick(data, mine)
            if a is not None:
                _ok(
                    callers["coordinator"].post(
                        f"/api/assignments/{a['id']}/withdraw", json={"reason": "changed plans"}
                    )
                )

        @rule()
        def run(self) -> None:
            body = {"partnership_id": str(world.partnership_id), "start": "2026-11-30", "end": "2026-12-13"}
            r = _ok(callers["coordinator"].post("/api/match-runs", json=body))
            if r.status_code == 202:
                review = _ok(callers["coordinator"].get(f"/api/match-runs/{r.json()['id']}?wait=30")).json()
                assert review["run"]["status"] == "done", review["run"]  # a run never fails on old holds
                self.runs.append(r.json()["id"])

        @rule(data=st.data(), confirm=st.booleans())
        def publish(self, data: Any, confirm: bool) -> None:
            rid = _pick(data, self.runs)
            if rid is not None:
                _ok(callers["coordinator"].post(f"/api/match-runs/{rid}/publish", json={"confirm": confirm}))

        @rule(hours=st.sampled_from((1, 20, 72)))
        def time_passes(self, hours: int) -> None:
            clock.advance(hours=hours)

        # The writes that can break a rule come up more often than the rest.
        move_again = move_session
        move_once_more = move_session
        change_need_again = change_need
        set_availability_again = set_availability
        change_profile_again = change_profile
        hand_assign_again = hand_assign
        answer_again = answer

        @invariant()
        def no_broken_hold(self) -> None:
            broken = audit(settings, world, clock.now)
            assert broken == [], broken

    # PostgreSQL's round trips cost more here: fewer sequences keep the file under a minute there too.
    on_postgres = settings.database_url.startswith("postgresql")
    run_state_machine_as_test(
        Edits, settings=PROFILE if LONG or not on_postgres else settings_(PROFILE, max_examples=5)
    )
