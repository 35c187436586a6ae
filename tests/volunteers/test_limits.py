"""Whatever anyone sends gets a clear 4xx naming the field, never a 500, on both databases.

Each case here answered 500 (or was stored, or stalled the server) before the limits:
issue 15, findings 1, 4 and 7.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from service_support import run_db
from volunteers import limits
from volunteers.db.models import AvailabilityRule, User, VolunteerProfile

RULE = {"weekday": 1, "start_time": "17:00:00", "end_time": "20:00:00"}


def count(settings, model):
    async def q(db):
        return (await db.execute(select(func.count()).select_from(model))).scalar_one()

    return run_db(settings, q)


def registration(**more):
    body = {
        "partnership": "pettersberg",
        "email": "new.person@test.samverka.se",
        "password": "a long and unusual passphrase 42",
        "first_name": "Ny",
        "last_name": "Person",
        "birth_date": "2000-03-04",
        "consent": True,
    }
    body.update(more)
    return body


def field_named(response, name):
    """The problem details name the field (in `errors` or in the detail)."""
    body = response.json()
    fields = [e.get("field", "") for e in body.get("errors") or []]
    return any(name in f for f in fields) or name in body.get("detail", "")


def test_availability_rules_and_exceptions_are_counted(api, world, settings):
    anna = api("vol_anna")
    vid = world.profiles["vol_anna"]
    too_many = [RULE] * (limits.MAX_RULES + 1)
    r = anna.put(f"/api/volunteers/{vid}/availability", json={"rules": too_many})
    assert r.status_code == 400 and field_named(r, "rules")
    exc = {"kind": "away", "date_from": "2026-12-01", "date_to": "2026-12-02"}
    r = anna.put(
        f"/api/volunteers/{vid}/availability", json={"rules": [], "exceptions": [exc] * (limits.MAX_EXCEPTIONS + 1)}
    )
    assert r.status_code == 400 and field_named(r, "exceptions")
    assert count(settings, AvailabilityRule) == 0
    assert anna.put(f"/api/volunteers/{vid}/availability", json={"rules": [RULE] * limits.MAX_RULES}).status_code == 200


def test_expanded_availability_is_at_most_a_year(api, world):
    anna = api("vol_anna")
    vid = world.profiles["vol_anna"]
    r = anna.get(f"/api/volunteers/{vid}/availability/expanded", params={"start": "2026-01-01", "end": "2027-06-01"})
    assert r.status_code == 422 and field_named(r, "end")


@pytest.mark.parametrize("year", ["0001", "9999"])
def test_dates_outside_2000_to_2100_are_refused_everywhere(api, world, year):
    anna, leader, coordinator = api("vol_anna"), api("leader_sisu"), api("coordinator")
    vid = world.profiles["vol_anna"]
    day = f"{year}-06-01"
    r = anna.get(f"/api/volunteers/{vid}/availability/expanded", params={"start": day, "end": day})
    assert r.status_code == 400 and field_named(r, "start")
    rule = {**RULE, "valid_from": day}
    r = anna.put(f"/api/volunteers/{vid}/availability", json={"rules": [rule]})
    assert r.status_code == 400 and field_named(r, "valid_from")
    r = anna.put(
        f"/api/volunteers/{vid}/availability",
        json={"rules": [], "exceptions": [{"kind": "away", "date_from": day, "date_to": day}]},
    )
    assert r.status_code == 400 and field_named(r, "date_from")
    r = leader.get("/api/sessions", params={"start": f"{day}T00:00:00Z", "end": f"{day}T23:00:00Z"})
    assert r.status_code == 400
    r = leader.post(
        f"/api/activities/{world.activities['football']}/sessions",
        json={"starts_at": f"{day}T16:00:00Z", "ends_at": f"{day}T17:00:00Z"},
    )
    assert r.status_code == 400 and field_named(r, "starts_at")
    # A match run for year 9999 is refused up front, not failed in the worker.
    r = coordinator.post(
        "/api/match-runs", json={"partnership_id": str(world.partnership_id), "start": day, "end": day}
    )
    assert r.status_code == 400 and field_named(r, "start")
    r = coordinator.get("/api/reports/impact", params={"start": day, "end": day})
    assert r.status_code == 400 and field_named(r, "start")


def test_offsets_past_what_a_database_counts_are_refused(api, world):
    coordinator = api("coordinator")
    for offset in (2**31, 2**63, 2**64):
        r = coordinator.get("/api/activities", params={"offset": offset})
        assert r.status_code == 400 and field_named(r, "offset"), (offset, r.text)
        r = coordinator.get(
            "/api/sessions", params={"start": "2026-12-01T00:00:00Z", "end": "2026-12-08T00:00:00Z", "offset": offset}
        )
        assert r.status_code == 400, r.text
    assert coordinator.get("/api/activities", params={"offset": limits.MAX_OFFSET}).status_code == 200


def test_deeply_nested_json_is_a_400(api, world):
    anna = api("vol_anna")
    vid = world.profiles["vol_anna"]
    for body in ("[" * 100_000 + "]" * 100_000, '{"rules": [], "exceptions": ' + "[" * 50_000 + "]" * 50_000 + "}"):
        r = anna.put(f"/api/volunteers/{vid}/availability", content=body, headers={"content-type": "application/json"})
        assert r.status_code == 400, r.text


def test_options_on_any_route_is_not_a_server_error(api, world):
    anon = api()
    vid = world.profiles["vol_anna"]
    for path in ("/health", "/api/volunteers/me", f"/api/volunteers/{vid}/availability", "/api/auth/login", "/"):
        r = anon.request("OPTIONS", path)
        assert r.status_code < 500, (path, r.status_code, r.text)
    for method in ("TRACE", "PROPFIND", "PATCH"):
        assert api().request(method, "/health").status_code < 500


@pytest.mark.parametrize("nul", ["\u0000", "a\u0000b"])
def test_nul_is_refused_in_every_kind_of_input(api, world, nul):
    anon, anna = api(), api("vol_anna")
    vid = world.profiles["vol_anna"]
    r = anon.post("/api/auth/login", json={"email": f"vol_anna{nul}@test.samverka.se", "password": nul})
    assert r.status_code == 400
    r = anon.post("/api/auth/register", json=registration(first_name=f"Ny{nul}"))
    assert r.status_code == 400
    r = anna.patch(f"/api/volunteers/{vid}", json={"phone": nul})
    assert r.status_code == 400
    r = api("leader_sisu").post(
        f"/api/activities/{world.activities['football']}/sessions",
        json={"starts_at": "2026-12-01T16:00:00Z", "ends_at": "2026-12-01T17:00:00Z", "note": f"note{nul}"},
    )
    assert r.status_code == 400
    r = api("coordinator").get("/api/volunteers", params={"q": f"Anna{nul}"})
    assert r.status_code == 400
    assert anon.get("/calendar/abc%00def.ics").status_code == 400  # the calendar token
    r = anna.post("/profile", data={"first_name": f"Anna{nul}", "last_name": "V"}, headers={"hx-request": "true"})
    assert r.status_code == 400
    assert anna.get("/api/volunteers/me").json()["first_name"] == "Anna"


def test_control_characters_in_names_are_refused_naming_the_field(api, world, settings):
    anna = api("vol_anna")
    vid = world.profiles["vol_anna"]
    for bad in ("Warsame\u0001", "War\nsame", "War\tsame", "War\u2028same", "War\x85same"):
        r = anna.patch(f"/api/volunteers/{vid}", json={"last_name": bad})
        assert r.status_code == 400 and field_named(r, "last_name"), (bad, r.text)
        r = api().post("/api/auth/register", json=registration(last_name=bad))
        assert r.status_code == 400 and field_named(r, "last_name"), (bad, r.text)
    # Through the web form too (a tab or a line break passes the form's own character check).
    r = anna.post("/profile", data={"first_name": "Anna", "last_name": "War\tsame"})
    assert r.status_code in (400, 422)
    assert anna.get("/api/volunteers/me").json()["last_name"] == "Volunteer"
    # A multi-line note may hold line breaks.
    r = api("leader_sisu").post(
        f"/api/activities/{world.activities['football']}/sessions",
        json={"starts_at": "2026-12-01T16:00:00Z", "ends_at": "2026-12-01T17:00:00Z", "note": "Ta med\nvattenflaska"},
    )
    assert r.status_code == 201, r.text


def test_text_fields_are_as_long_as_their_columns(api, world, settings):
    anon = api()
    r = anon.post("/api/auth/register", json=registration(consent_version="x" * 41))
    assert r.status_code == 400 and field_named(r, "consent_version")
    r = anon.post("/api/auth/register", json=registration(consent_version="x" * 5_000_000))
    assert r.status_code in (400, 413)
    # The longest names the schema allows fit the columns on both databases.
    r = anon.post("/api/auth/register", json=registration(first_name="F" * 100, last_name="L" * 100))
    assert r.status_code == 202, r.text  # registration now answers 202 (a mail confirms it)

    async def longest(db):
        return (await db.execute(select(func.max(func.length(User.display_name))))).scalar_one()

    assert run_db(settings, longest) == 201
    r = api("vol_anna").patch(f"/api/volunteers/{world.profiles['vol_anna']}", json={"skills": ["x"] * 101})
    assert r.status_code == 400 and field_named(r, "skills")
    assert count(settings, VolunteerProfile) == 3


def _unbounded_strings(schema, where, found, bounded=False):
    """Paths of string schemas with no length limit (an enum, a format or a fixed pattern bounds one too)."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return
    bounded = bounded or "maxLength" in schema  # Litestar puts it beside a oneOf with null
    fixed = "pattern" in schema and not {"*", "+"} & set(schema["pattern"].split("]")[-1])
    if schema.get("type") == "string" and not (bounded or fixed or {"enum", "format", "const"} & schema.keys()):
        found.append(where)
    for key in ("items", "additionalProperties"):
        _unbounded_strings(schema.get(key), f"{where}[]", found)
    for key in ("oneOf", "anyOf", "allOf"):
        for sub in schema.get(key) or []:
            _unbounded_strings(sub, where, found, bounded)
    for name, sub in (schema.get("properties") or {}).items():
        _unbounded_strings(sub, f"{where}.{name}", found)


def _unbounded_fields(info, where, found, seen):
    """Paths of strings and lists in a request body's type (as msgspec validates it) with no limit."""
    import msgspec.inspect as mi

    if isinstance(info, mi.StructType):
        if info.cls in seen:
            return
        seen.add(info.cls)
        for f in info.fields:
            _unbounded_fields(f.type, f"{info.cls.__name__}.{f.name}", found, seen)
    elif isinstance(info, mi.UnionType):
        for t in info.types:
            _unbounded_fields(t, where, found, seen)
    elif isinstance(info, (mi.ListType, mi.SetType, mi.FrozenSetType, mi.VarTupleType)):
        if info.max_length is None:
            found.append(f"{where} (list)")
        _unbounded_fields(info.item_type, f"{where}[]", found, seen)
    elif isinstance(info, mi.DictType):
        # A map is bounded when its size is, and its keys and values are.
        if info.max_length is None:
            found.append(f"{where} (dict)")
        _unbounded_fields(info.key_type, f"{where}{{key}}", found, seen)
        _unbounded_fields(info.value_type, f"{where}{{}}", found, seen)
    elif isinstance(info, mi.StrType):
        fixed = info.pattern is not None and not {"*", "+"} & set(info.pattern.split("]")[-1])
        if info.max_length is None and not fixed:
            found.append(where)


def test_every_text_field_a_client_sends_has_a_length_limit(api, app):
    """Query parameters in the OpenAPI document, and every request body's type as msgspec
    validates it (Litestar's OpenAPI drops the items' limits of a list that has its own)."""
    import msgspec
    import msgspec.inspect

    spec = api().get("/schema/openapi.json").json()
    found: list[str] = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for p in op.get("parameters", []) if isinstance(op, dict) else []:
                if p["in"] == "query":
                    _unbounded_strings(p.get("schema"), f"{method} {path} ?{p['name']}", found)
    bodies = 0
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is None or not isinstance(data.annotation, type) or not issubclass(data.annotation, msgspec.Struct):
                continue
            bodies += 1
            _unbounded_fields(msgspec.inspect.type_info(data.annotation), data.annotation.__name__, found, set())
    assert bodies >= 20
    assert found == [], "\n".join(found)


def test_web_forms_keep_the_same_limits_as_the_api(api, world, settings):
    """A form builds its struct in code, which msgspec does not check: the pages check it."""
    from volunteers.db.models import Session as ActivitySession
    from volunteers.db.models import StaffingNeed

    leader = api("leader_sisu")
    aid = world.activities["football"]
    r = leader.post(
        f"/activities/{aid}/sessions",
        data={"mode": "one", "date": "2026-12-01", "start_time": "16:00", "end_time": "17:00", "note": "x" * 1001},
    )
    assert r.status_code in (400, 422), r.status_code
    assert count(settings, ActivitySession) == 0
    r = leader.post(f"/activities/{aid}/needs", data={"role": "r" * 81, "count": "1"})
    assert r.status_code in (400, 422), r.status_code
    assert count(settings, StaffingNeed) == 0
