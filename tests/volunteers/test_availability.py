"""Weekly availability expanded across the daylight-saving changes in Europe/Stockholm."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from service_support import run_db
from volunteers.db.models import Activity
from volunteers.people.availability import DatedException, WeeklyRule, expand_availability

STHLM = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC


def utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


def test_sunday_rule_keeps_local_hours_when_summer_time_starts():
    # 2026-03-29: clocks go from 02:00 CET to 03:00 CEST.
    rule = WeeklyRule(weekday=6, start=dt.time(10), end=dt.time(12))
    got = expand_availability([rule], [], dt.date(2026, 3, 22), dt.date(2026, 3, 29), STHLM)
    assert got == [(utc(2026, 3, 22, 9), utc(2026, 3, 22, 11)), (utc(2026, 3, 29, 8), utc(2026, 3, 29, 10))]


def test_night_rule_is_an_hour_shorter_on_the_spring_change():
    rule = WeeklyRule(weekday=6, start=dt.time(1), end=dt.time(4))
    ((start, end),) = expand_availability([rule], [], dt.date(2026, 3, 29), dt.date(2026, 3, 29), STHLM)
    assert (start, end) == (utc(2026, 3, 29, 0), utc(2026, 3, 29, 2))
    assert end - start == dt.timedelta(hours=2)


def test_night_rule_is_an_hour_longer_on_the_autumn_change():
    # 2026-10-25: clocks go back from 03:00 CEST to 02:00 CET.
    rule = WeeklyRule(weekday=6, start=dt.time(1), end=dt.time(4))
    ((start, end),) = expand_availability([rule], [], dt.date(2026, 10, 25), dt.date(2026, 10, 25), STHLM)
    assert (start, end) == (utc(2026, 10, 24, 23), utc(2026, 10, 25, 3))
    assert end - start == dt.timedelta(hours=4)


def test_evening_rule_across_autumn_change_moves_in_utc():
    rule = WeeklyRule(weekday=1, start=dt.time(17), end=dt.time(20))  # Tuesdays
    got = expand_availability([rule], [], dt.date(2026, 10, 20), dt.date(2026, 10, 27), STHLM)
    assert got == [(utc(2026, 10, 20, 15), utc(2026, 10, 20, 18)), (utc(2026, 10, 27, 16), utc(2026, 10, 27, 19))]


def test_away_exception_removes_days_and_extra_time_adds():
    rule = WeeklyRule(weekday=1, start=dt.time(17), end=dt.time(20))
    away = DatedException(available=False, date_from=dt.date(2026, 12, 22), date_to=dt.date(2027, 1, 6))
    extra = DatedException(
        available=True,
        date_from=dt.date(2026, 12, 19),
        date_to=dt.date(2026, 12, 19),
        start=dt.time(10),
        end=dt.time(14),
    )
    got = expand_availability([rule], [away, extra], dt.date(2026, 12, 14), dt.date(2027, 1, 13), STHLM)
    assert got == [
        (utc(2026, 12, 15, 16), utc(2026, 12, 15, 19)),
        (utc(2026, 12, 19, 9), utc(2026, 12, 19, 13)),
        (utc(2027, 1, 12, 16), utc(2027, 1, 12, 19)),
    ]


def test_partial_away_cuts_a_window_and_touching_rules_merge():
    rules = [WeeklyRule(3, dt.time(16), dt.time(18)), WeeklyRule(3, dt.time(18), dt.time(21))]
    away = DatedException(False, dt.date(2026, 12, 3), dt.date(2026, 12, 3), dt.time(17), dt.time(19))
    got = expand_availability(rules, [away], dt.date(2026, 12, 3), dt.date(2026, 12, 3), STHLM)
    assert got == [(utc(2026, 12, 3, 15), utc(2026, 12, 3, 16)), (utc(2026, 12, 3, 18), utc(2026, 12, 3, 20))]


def test_rule_validity_bounds_are_kept():
    rule = WeeklyRule(0, dt.time(9), dt.time(10), valid_from=dt.date(2026, 12, 7), valid_until=dt.date(2026, 12, 14))
    got = expand_availability([rule], [], dt.date(2026, 11, 30), dt.date(2026, 12, 28), STHLM)
    assert [s.date() for s, _ in got] == [dt.date(2026, 12, 7), dt.date(2026, 12, 14)]


def test_expanded_availability_through_the_api_is_in_local_time(api, world):
    anna = api("vol_anna")
    vid = world.profiles["vol_anna"]
    rules = [{"weekday": 6, "start_time": "10:00:00", "end_time": "12:00:00"}]
    assert anna.put(f"/api/volunteers/{vid}/availability", json={"rules": rules}).status_code == 200
    r = anna.get(f"/api/volunteers/{vid}/availability/expanded?start=2026-03-22&end=2026-03-29")
    assert r.status_code == 200, r.text
    assert [i["start"] for i in r.json()["intervals"]] == ["2026-03-22T10:00:00+01:00", "2026-03-29T10:00:00+02:00"]


def test_weekly_session_series_keeps_local_time_across_dst(api, world):
    leader = api("leader_sisu")
    body = {
        "recurrence": {
            "weekday": 1,
            "start_time": "17:00:00",
            "end_time": "18:30:00",
            "first_date": "2026-10-13",
            "last_date": "2026-11-03",
        }
    }
    r = leader.post(f"/api/activities/{world.activities['football']}/sessions", json=body)
    assert r.status_code == 201, r.text
    starts = [s["starts_at"] for s in r.json()]
    assert starts == [
        "2026-10-13T17:00:00+02:00",
        "2026-10-20T17:00:00+02:00",
        "2026-10-27T17:00:00+01:00",
        "2026-11-03T17:00:00+01:00",
    ]
    assert len({s["series_id"] for s in r.json()}) == 1
    week = leader.get("/api/sessions?start=2026-10-26T00:00:00Z&end=2026-11-02T00:00:00Z").json()
    assert week["total"] == 1 and week["items"][0]["starts_at"] == "2026-10-27T17:00:00+01:00"


def test_session_list_holds_sessions_that_overlap_the_range_edges(api, world):
    """The list finds sessions by their start time's index; one running into the range still counts."""
    leader = api("leader_sisu")
    aid = world.activities["football"]
    times = [
        ("2026-12-06T20:00:00+01:00", "2026-12-07T19:00:00+01:00"),  # a 23-hour camp into the range
        ("2026-12-06T10:00:00+01:00", "2026-12-06T12:00:00+01:00"),  # over before the range
        ("2026-12-09T17:00:00+01:00", "2026-12-09T18:00:00+01:00"),  # inside
        ("2026-12-14T00:00:00+01:00", "2026-12-14T01:00:00+01:00"),  # starts as the range ends
    ]
    for starts, ends in times:
        r = leader.post(f"/api/activities/{aid}/sessions", json={"starts_at": starts, "ends_at": ends})
        assert r.status_code == 201, r.text
    week = leader.get("/api/sessions?start=2026-12-07T00:00:00%2B01:00&end=2026-12-14T00:00:00%2B01:00").json()
    assert [s["starts_at"] for s in week["items"]] == ["2026-12-06T20:00:00+01:00", "2026-12-09T17:00:00+01:00"]
    assert week["total"] == 2
    url = "/api/sessions?start=2026-12-07T00:00:00%2B01:00&end=2026-12-14T00:00:00%2B01:00"
    for limit, offset, starts in [
        (1, 0, ["2026-12-06T20:00:00+01:00"]),
        (1, 1, ["2026-12-09T17:00:00+01:00"]),
        (5, 2, []),
    ]:
        page = leader.get(f"{url}&limit={limit}&offset={offset}").json()
        assert [s["starts_at"] for s in page["items"]] == starts and page["total"] == 2, (limit, offset, page)


def test_session_list_shows_changes_made_behind_the_service_at_once(api, world, settings):
    """The list a server process keeps (SQLite) is dropped by any change to its tables,
    also one written by another connection, as another worker or program would."""
    leader = api("leader_sisu")
    aid = world.activities["football"]
    made = leader.post(
        f"/api/activities/{aid}/sessions",
        json={"starts_at": "2026-12-09T17:00:00+01:00", "ends_at": "2026-12-09T18:00:00+01:00"},
    )
    assert made.status_code == 201, made.text
    sid = made.json()[0]["id"]
    url = "/api/sessions?start=2026-12-07T00:00:00%2B01:00&end=2026-12-14T00:00:00%2B01:00"
    anna = api("vol_anna")

    def shown() -> list[tuple[str, str, str]]:
        got = [(s["id"], s["note"], s["activity_name"]) for s in anna.get(url).json()["items"]]
        assert got == [(s["id"], s["note"], s["activity_name"]) for s in leader.get(url).json()["items"]]
        return got

    before = shown()
    assert [row[0] for row in before] == [sid] and before[0][1] != "Flyttad till hall B"
    old_name = before[0][2]

    async def change(db):
        await db.execute(sa.text("UPDATE activity_session SET note = 'Flyttad till hall B'"))

    run_db(settings, change)
    assert shown() == [(sid, "Flyttad till hall B", old_name)]

    async def rename(db):
        await db.execute(sa.update(Activity).where(Activity.id == uuid.UUID(str(aid))).values(name="Fotboll F12"))

    run_db(settings, rename)
    assert shown() == [(sid, "Flyttad till hall B", "Fotboll F12")]

    async def remove(db):
        await db.execute(sa.text("DELETE FROM activity_session"))

    run_db(settings, remove)
    assert shown() == []


def test_replaced_availability_is_answered_as_stored_and_only_the_volunteer_may_replace_it(api, world):
    anna = api("vol_anna")
    vid = world.profiles["vol_anna"]
    body = {
        "rules": [
            {"weekday": 3, "start_time": "17:30:00", "end_time": "21:00:00"},
            {"weekday": 0, "start_time": "09:00:00", "end_time": "11:00:00", "valid_from": "2026-12-01"},
        ],
        "exceptions": [{"kind": "away", "date_from": "2026-12-24", "date_to": "2026-12-26", "note": "Jul"}],
    }
    put = anna.put(f"/api/volunteers/{vid}/availability", json=body)
    assert put.status_code == 200, put.text
    stored = anna.get(f"/api/volunteers/{vid}/availability").json()
    assert put.json() == stored
    assert [r["weekday"] for r in stored["rules"]] == [0, 3]
    coordinator = api("coordinator")
    refused = coordinator.put(f"/api/volunteers/{vid}/availability", json={"rules": []})
    assert refused.status_code == 403
    assert coordinator.get(f"/api/volunteers/{vid}/availability").json() == stored
