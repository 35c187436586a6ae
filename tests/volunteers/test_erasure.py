"""Erasure erases: every column that can hold personal data has a rule, and after erasing a
volunteer with a rich history a search of every table and column finds nothing of her.

The search (`privacy_support.find_in_every_table`) is written apart from the erasure code:
it lists the database's own tables and columns and looks for her name, e-mail, phone and
birth date in every value.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
import zipfile

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Time,
    select,
)

from privacy_support import find_in_every_table
from service_support import NOW, run_db
from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    Attendance,
    BackgroundCheck,
    Certificate,
    Consent,
    Endorsement,
    Exclusion,
    FollowUp,
    MatchRun,
    MatchRunStatus,
    OutboxMessage,
    Partnership,
    Session,
    Situation,
    Training,
    User,
    VolunteerProfile,
    metadata,
)
from volunteers.privacy.erasure import Subject, scope_of
from volunteers.privacy.rules import RULES, rule_for
from volunteers.privacy.services import retention_sweep
from volunteers.staffing.problem import build_problem, target_row

PERSON_TABLES = {"user_account.id", "volunteer_profile.id"}
FIRST, LAST = "Amina", "Warsame"
EMAIL = "vol_anna@test.samverka.se"
PHONE = "070-555 12 34"
BIRTH = dt.date(1998, 2, 3)
CERT_ID = "QQQQCERT2345ABCDEFGH"


def can_hold_personal_data(column: Column) -> bool:
    """Text, JSON, dates and times, binary, or a reference to a person (an enum's fixed words cannot)."""
    if isinstance(column.type, Enum):
        return False
    if isinstance(column.type, String | Text | JSON | Date | DateTime | Time | LargeBinary):
        return True
    return any(fk.target_fullname in PERSON_TABLES for fk in column.foreign_keys)


def missing_rules(meta: MetaData) -> list[str]:
    return [
        f"{t.name}.{c.name}"
        for t in meta.sorted_tables
        for c in t.columns
        if can_hold_personal_data(c) and rule_for(t.name, c.name) is None
    ]


def test_every_column_that_can_hold_personal_data_has_an_erasure_rule():
    assert missing_rules(metadata) == []
    # Every rule names a table or column that exists (none left over from a removed one).
    columns = {f"{t.name}.{c.name}" for t in metadata.sorted_tables for c in t.columns}
    assert [k for k in RULES if k not in columns and k not in metadata.tables] == []
    # A rule the generic code applies has rows to apply it to.
    subject = Subject(uuid.uuid4(), uuid.uuid4(), ())
    generic = {k.split(".")[0] for k, r in RULES.items() if r.action in ("delete", "set", "erased")}
    assert [t for t in sorted(generic) if scope_of(metadata.tables[t], subject) is None] == []


def test_a_new_personal_column_without_a_rule_fails_the_check():
    meta = MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(meta)
    Table(
        "waiting_list",
        meta,
        Column("id", String(36), primary_key=True),
        Column("volunteer_id", String(36), ForeignKey("volunteer_profile.id")),
        Column("note", String(200)),
        Column("kind", Enum("a", "b", name="waiting_kind")),
    )
    meta.tables["certificate"].append_column(Column("remarks", Text))
    meta.tables["follow_up"].append_column(Column("mood", Text))  # its rows are deleted whole: covered
    assert sorted(missing_rules(meta)) == ["certificate.remarks", "waiting_list.note", "waiting_list.volunteer_id"]


async def rich_history(db, world) -> dict:
    """Anna becomes Amina Warsame, with everything a volunteer leaves behind in a year."""
    pid = world.profiles["vol_anna"]
    profile = await db.get(VolunteerProfile, pid)
    user = await db.get(User, profile.user_id)
    profile.first_name, profile.last_name, profile.birth_date, profile.phone = FIRST, LAST, BIRTH, PHONE
    profile.guardian_name = "Hodan Warsame"
    profile.languages, profile.learning_goals = ["so", "sv"], ["leading_groups"]
    user.display_name = f"{FIRST} {LAST}"
    coordinator = world.users["coordinator"]
    db.add(Consent(user_id=user.id, kind="data_processing", wording_version="v1", given_at=NOW, given_by="Hodan"))
    football = await db.get(Activity, world.activities["football"])
    past = Session(
        activity_id=football.id,
        starts_at=NOW - dt.timedelta(days=20),
        ends_at=NOW - dt.timedelta(days=20, hours=-2),
        note=f"{FIRST} {LAST} brings the balls",
    )
    future = Session(
        activity_id=football.id, starts_at=NOW + dt.timedelta(days=5), ends_at=NOW + dt.timedelta(days=5, hours=2)
    )
    db.add_all([past, future])
    await db.flush()
    done = Assignment(
        session_id=past.id,
        volunteer_id=pid,
        role="coach",
        status=AssignmentStatus.COMPLETED,
        starts_at=past.starts_at,
        ends_at=past.ends_at,
        reason=f"moved by {FIRST}",
    )
    coming = Assignment(
        session_id=future.id,
        volunteer_id=pid,
        role="coach",
        status=AssignmentStatus.ACCEPTED,
        starts_at=future.starts_at,
        ends_at=future.ends_at,
    )
    db.add_all([done, coming])
    await db.flush()
    db.add_all(
        [
            AssignmentEvent(
                assignment_id=done.id,
                from_status="proposed",
                to_status="declined",
                by_user_id=user.id,
                reason=f"Jag, {FIRST}, är sjuk; ring {PHONE}",
            ),
            Attendance(
                assignment_id=done.id, attended=True, minutes=120, confirmed_by_id=coordinator, confirmed_at=NOW
            ),
            Endorsement(
                volunteer_id=pid, skill_code="coach_young_people", by_user_id=coordinator, note=f"{FIRST} was calm"
            ),
            Training(volunteer_id=pid, name=f"First aid for {FIRST}", issuer="Röda korset", completed_on=BIRTH),
            FollowUp(
                volunteer_id=pid, answered_on=NOW.date(), situation=Situation.WORKING, comment=f"{FIRST} fick jobb!"
            ),
            BackgroundCheck(profile_id=pid, partnership_id=world.partnership_id, seen_on=dt.date(2026, 1, 5)),
            Exclusion(activity_id=world.activities["circle"], volunteer_id=pid, reason=f"{FIRST} {LAST} asked not to"),
            Certificate(
                public_id=CERT_ID,
                volunteer_id=pid,
                partnership_id=world.partnership_id,
                issued_at=NOW - dt.timedelta(days=3),
                language="sv",
                snapshot={
                    "volunteer_name": f"{FIRST} {LAST}",
                    "birth_date": BIRTH.isoformat(),
                    "issued_on": "2026-11-23",
                },
                credential={"credentialSubject": {"name": f"{FIRST} {LAST}"}},
                key_id="k-1",
                content_sha256="0" * 64,
                verified_minutes=700,
                pdf=f"%PDF {FIRST} {LAST}".encode(),
            ),
            OutboxMessage(
                to_address=EMAIL,
                kind="proposal",
                subject="Nytt förslag",
                body=f"Hej {FIRST}!",
                send_after=NOW,
                sent_at=NOW,
                dedupe_key=f"proposal:{done.id}:x",
            ),
            OutboxMessage(
                to_address=EMAIL.upper(),
                kind="reminder",
                subject="Påminnelse",
                body=f"Hej {FIRST}!",
                send_after=NOW,
                last_error=f"550 <{EMAIL}>: mailbox full",
            ),
            OutboxMessage(to_address="other@example.org", kind="reminder", subject="x", body="Hej Bo!", send_after=NOW),
        ]
    )
    await db.flush()
    # Two stored match runs that included her: one published, one done and not yet published.
    partnership = await db.get(Partnership, world.partnership_id)
    built = await build_problem(db, partnership, [target_row(future, football)], check_pins=False)
    problem = built.problem
    mine = next(v for v in problem["volunteers"] if v["id"] == str(pid))
    mine["background_check"] = "2026-01-05"  # her entry as a run stores it: check date, birth date, skills
    mine["skills"] = ["coach_young_people"]
    # Her week as a run stores it (a held place no longer widens availability, so set it here).
    mine["availability"] = mine["availability"] or [[future.starts_at.isoformat(), future.ends_at.isoformat()]]
    plan = {
        "format": "matching-plan/1",
        "status": "optimal",
        "assignments": [{"volunteer": str(pid), "shift": str(future.id), "role": "coach"}],
        "shortages": [],
    }
    warnings = [{"volunteer": str(pid), "shift": str(future.id), "message": f"born {BIRTH.isoformat()}"}]
    runs = {}
    for status in (MatchRunStatus.PUBLISHED, MatchRunStatus.DONE):
        run = MatchRun(
            partnership_id=world.partnership_id,
            period_start=NOW.date(),
            period_end=NOW.date() + dt.timedelta(days=7),
            session_ids=[str(future.id)],
            status=status,
            problem=problem,
            plan=plan,
            warnings=warnings,
        )
        db.add(run)
        await db.flush()
        runs[status] = run.id
    assert mine["birth_date"] == BIRTH.isoformat() and mine["languages"] == ["so", "sv"] and mine["availability"]
    return {"runs": runs, "coming": coming.id, "past_session": past.id}


def needles() -> list[str]:
    return [FIRST, LAST, EMAIL, PHONE, PHONE.replace("-", "").replace(" ", ""), BIRTH.isoformat(), "Hodan"]


async def find_everywhere(db) -> list[tuple[str, str, str]]:
    return await find_in_every_table(db, needles())


def test_erasure_leaves_nothing_of_her_in_any_table_and_her_revoked_certificate_stays_revoked(api, world, settings):
    vid = world.profiles["vol_anna"]
    made = run_db(settings, lambda db: rich_history(db, world))
    anna = api("vol_anna")  # a log-in session of hers
    anna.put(
        f"/api/volunteers/{vid}/availability",
        json={"rules": [{"weekday": 2, "start_time": "17:00:00", "end_time": "19:00:00"}]},
    )
    coordinator = api("coordinator")
    reason = f"Utfärdat till {FIRST} {LAST} ({EMAIL}) av misstag"
    assert coordinator.post(f"/api/certificates/{CERT_ID}/revoke", json={"reason": reason}).status_code == 200
    assert coordinator.get(f"/api/volunteers/{vid}/background-checks").status_code == 200
    before = run_db(settings, find_everywhere)
    for table in ("outbox_message", "match_run", "audit_entry", "certificate", "assignment_event", "activity_session"):
        assert any(t == table for t, _, _ in before), table  # the search sees her where she is

    assert anna.post(f"/api/volunteers/{vid}/erase", json={"confirm": "ERASE"}).status_code == 204

    assert run_db(settings, find_everywhere) == []
    # Her revoked certificate still says so, with the date, and nothing about her.
    verdict = api().get(f"/verify/{CERT_ID}", headers={"Accept": "application/json"}).json()
    assert verdict["status"] == "revoked" and verdict["revoked_on"] == NOW.date().isoformat()
    assert "name" not in verdict and "revoked_reason" not in verdict
    page = api().get(f"/verify/{CERT_ID}", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert "Revoked" in page.text and FIRST not in page.text

    async def after(db):
        runs = {s: await db.get(MatchRun, rid) for s, rid in made["runs"].items()}
        outbox = (await db.execute(select(OutboxMessage).order_by(OutboxMessage.body))).scalars().all()
        coming = await db.get(Assignment, made["coming"])
        note = (await db.execute(select(Session.note).where(Session.id == made["past_session"]))).scalar_one()
        event = (await db.execute(select(AssignmentEvent.reason))).scalars().all()
        bo = await db.get(VolunteerProfile, world.profiles["vol_bo"])
        return runs, outbox, coming, note, event, bo

    runs, outbox, coming, note, events, bo = run_db(settings, after)
    published = runs[MatchRunStatus.PUBLISHED]
    anon = published.plan["assignments"][0]["volunteer"]
    assert anon != str(vid)
    entry = next(v for v in published.problem["volunteers"] if v["id"] == anon)
    assert entry == {"id": anon}  # no birth date, check date, skills, languages or availability
    assert published.warnings[0]["volunteer"] == anon and published.warnings[0]["message"] == "[erased]"
    assert any(v["id"] == str(world.profiles["vol_bo"]) and v["birth_date"] for v in published.problem["volunteers"])
    unpublished = runs[MatchRunStatus.DONE]
    assert unpublished.plan["assignments"] == []  # nothing would be proposed to someone who is gone
    other_anon = next(v["id"] for v in unpublished.problem["volunteers"] if v == {"id": v["id"]})
    assert other_anon != anon  # a different anonymous id in each run
    # Outbox: the unsent message to her is gone, the sent one kept blank, Bo's untouched.
    assert sorted((m.to_address, m.body, m.sent_at is not None) for m in outbox) == [
        ("", "[erased]", True),
        ("other@example.org", "Hej Bo!", False),
    ]
    assert coming.status == AssignmentStatus.CANCELLED  # her future slot is free again
    assert note == "[erased] brings the balls"
    assert events == ["[erased]"]
    assert bo.first_name == "Bo" and bo.birth_date == dt.date(1995, 5, 17)


def test_export_holds_what_other_tables_keep_about_her_and_her_answers_only_for_her(api, world, settings):
    vid = world.profiles["vol_anna"]
    made = run_db(settings, lambda db: rich_history(db, world))
    anna = api("vol_anna")

    def export(caller):
        r = caller.get(f"/api/volunteers/{vid}/export")
        assert r.status_code == 200
        with zipfile.ZipFile(io.BytesIO(r.content)) as z:
            return json.loads(z.read("samverka-export.json"))

    coordinator = api("coordinator")
    coordinator.get(f"/api/volunteers/{vid}/background-checks")
    mine = export(anna)
    assert sorted(m["body"] for m in mine["messages_to_you"]) == [f"Hej {FIRST}!", f"Hej {FIRST}!"]
    assert {"background_check.viewed"} <= {a["action"] for a in mine["audit_entries"]}
    runs = {r["id"]: r for r in mine["match_runs"]}
    assert set(runs) == {str(r) for r in made["runs"].values()}
    some = next(iter(runs.values()))
    assert some["you_in_problem"]["birth_date"] == BIRTH.isoformat() and len(some["planned"]) == 1
    assert some["warnings"][0]["message"].startswith("born")
    assert len(mine["login_sessions"]) == 1 and "token_hash" not in mine["login_sessions"][0]
    assert [f["comment"] for f in mine["follow_ups"]] == [f"{FIRST} fick jobb!"]
    # A coordinator's export of her leaves out her follow-up answers and comments.
    theirs = export(coordinator)
    assert "follow_ups" not in theirs and "fick jobb" not in json.dumps(theirs)
    assert theirs["profile"]["first_name"] == FIRST


def test_the_retention_job_erases_by_the_same_rules(world, settings):
    run_db(settings, lambda db: rich_history(db, world))
    assert run_db(settings, find_everywhere) != []
    later = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    assert run_db(settings, lambda db: retention_sweep(db, later, inactive_days=730)) == 2  # Amina and Bo
    assert run_db(settings, find_everywhere) == []


def test_an_erased_account_cannot_log_in_whatever_password_is_tried(api, world, settings):
    anna = api("vol_anna")
    assert (
        anna.post(f"/api/volunteers/{world.profiles['vol_anna']}/erase", json={"confirm": "ERASE"}).status_code == 204
    )

    async def stored(db):
        return await db.get(User, world.users["vol_anna"])

    user = run_db(settings, stored)
    for password in ("!erased", "", "correct-horse-battery", user.password_hash):
        r = api().post("/api/auth/login", json={"email": user.email, "password": password or "x"})
        assert r.status_code in (401, 422), r.text
