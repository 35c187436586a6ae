"""Her part of the stored match runs in her export, picked out by the database, against the Python reading.

The export asks the database for just her entries (privacy.run_export). What it must
give is what reading every run whole in Python gave, written here apart: for each of
the partnership's runs whose documents hold her id anywhere, her first entry among the
problem's volunteers and her elements of pinned, previous, excluded, the plan's
assignments and the warnings, in order, with every value as stored (nested lists,
non-ASCII text, escapes, fractions). The runs are generated at random with her in odd
places: twice among the volunteers, only in a shift's note, under a key that names
nobody, in no run at all, in another partnership's run.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import uuid
import zipfile
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from service_support import NOW, run_db
from volunteers.db.engine import create_engine
from volunteers.db.models import MatchRun, MatchRunStatus
from volunteers.privacy import run_export
from volunteers.privacy.run_documents import where_named

ODD_TEXT = ['Åsa "Lilla" Öberg', "line\nbreak", "tab\there", "emoji 🙂", "back\\slash", "ünïcödé"]


def _volunteer(rng: random.Random, person: str) -> dict[str, Any]:
    return {
        "id": person,
        "birth_date": f"19{rng.randrange(50, 99)}-0{rng.randrange(1, 9)}-1{rng.randrange(0, 9)}",
        "skills": rng.sample(["coach", "driver", "cook", "first_aid"], rng.randrange(0, 4)),
        "languages": [rng.choice(ODD_TEXT)],
        "max_minutes_per_week": rng.choice([90, 120.5, 0.25, None]),
        "availability": [{"weekday": rng.randrange(7), "windows": [[rng.randrange(0, 600), 720]]}],
    }


def _ref(rng: random.Random, person: str, shifts: list[str]) -> dict[str, Any]:
    return {"volunteer": person, "shift": rng.choice(shifts), "role": rng.choice(["coach", "cook"])}


def _run(rng: random.Random, me: str, people: list[str]) -> dict[str, Any]:
    """Problem, plan and warnings with her in some arrays (or none), sometimes twice, sometimes only in a note."""
    shifts = [str(uuid.uuid4()) for _ in range(5)]
    crowd = people + [me] * rng.randrange(0, 3)  # her entry absent, once or twice among the volunteers
    rng.shuffle(crowd)
    volunteers = [_volunteer(rng, p) for p in crowd]
    pick = [me, me, *people[:3]]

    def refs(n: int) -> list[dict[str, Any]]:
        return [_ref(rng, rng.choice(pick), shifts) for _ in range(rng.randrange(0, n))]

    problem: dict[str, Any] = {
        "format": "matching-problem/1",
        "volunteers": volunteers,
        "pinned": refs(6),
        "previous": refs(6),
        "shifts": [{"id": s, "note": rng.choice(["", f"ask {me}", "—"])} for s in shifts],  # her id, not an entry
        "labels": [{"owner": me, "id": "not-a-volunteer"}],  # a key that names nobody
    }
    if rng.random() < 0.6:
        problem["excluded"] = refs(6)
    plan = {"format": "matching-plan/1", "assignments": refs(12), "shortages": [], "objective": {"coverage": 1.5}}
    warnings = [
        {"volunteer": rng.choice(pick), "shift": shifts[0], "message": rng.choice(ODD_TEXT)}
        for _ in range(rng.randrange(0, 5))
    ]
    return {"problem": problem, "plan": plan, "warnings": warnings}


def _python_reading(runs: list[MatchRun], me: str) -> list[dict[str, Any]]:
    """The export's match-run part as it was: every run read whole and filtered here."""
    out = []
    for run in sorted(runs, key=lambda r: r.id):
        if me not in json.dumps([run.problem, run.plan, run.warnings], ensure_ascii=False):
            continue
        problem, plan = run.problem or {}, run.plan or {}

        def hers(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [x for x in items if x.get("volunteer") == me]

        out.append(
            {
                "id": str(run.id),
                "status": run.status.value,
                "period_start": run.period_start.isoformat(),
                "period_end": run.period_end.isoformat(),
                "created_at": run.created_at.isoformat(),
                "you_in_problem": next((v for v in problem.get("volunteers", []) if v.get("id") == me), None),
                "pinned": hers(problem.get("pinned", [])),
                "previous": hers(problem.get("previous", [])),
                "excluded": hers(problem.get("excluded", [])),
                "planned": hers(plan.get("assignments", [])),
                "warnings": hers(run.warnings or []),
            }
        )
    return out


def test_her_match_runs_in_the_export_are_what_reading_every_run_in_python_gave(api, world, settings):
    me = str(world.profiles["vol_anna"])
    rng = random.Random(1515)
    people = [str(uuid.uuid4()) for _ in range(40)]

    generated = [_run(rng, me, people) for _ in range(14)]
    # Her entry twice in some problem (the first is hers to see, as before), once in others.
    assert {[v["id"] for v in g["problem"]["volunteers"]].count(me) for g in generated} == {0, 1, 2}

    async def arrange(db: Any) -> None:
        statuses = [MatchRunStatus.PUBLISHED, MatchRunStatus.DONE, MatchRunStatus.FAILED]
        for n, documents in enumerate(generated):
            db.add(
                MatchRun(
                    partnership_id=world.partnership_id,
                    period_start=NOW.date() + dt.timedelta(days=7 * n),
                    period_end=NOW.date() + dt.timedelta(days=7 * n + 6),
                    session_ids=[],
                    status=rng.choice(statuses),
                    **documents,
                )
            )
        # A run naming her only in a note: listed, with nothing of hers in its arrays.
        only_noted = _run(rng, people[0], people[1:])
        only_noted["problem"]["shifts"][0]["note"] = f"ask {me}"
        db.add(
            MatchRun(
                partnership_id=world.partnership_id,
                period_start=NOW.date(),
                period_end=NOW.date(),
                session_ids=[],
                status=MatchRunStatus.DONE,
                **only_noted,
            )
        )
        # Runs that hold nothing of hers, or are not her partnership's: not in her export.
        db.add(
            MatchRun(
                partnership_id=world.partnership_id,
                period_start=NOW.date(),
                period_end=NOW.date(),
                session_ids=[],
                status=MatchRunStatus.FAILED,
            )
        )
        db.add(
            MatchRun(
                partnership_id=world.partnership_id,
                period_start=NOW.date(),
                period_end=NOW.date(),
                session_ids=[],
                status=MatchRunStatus.DONE,
                **_run(rng, people[0], people[1:]),
            )
        )
        db.add(
            MatchRun(
                partnership_id=world.other_partnership_id,
                period_start=NOW.date(),
                period_end=NOW.date(),
                session_ids=[],
                status=MatchRunStatus.PUBLISHED,
                **_run(rng, me, people),
            )
        )

    run_db(settings, arrange)

    async def stored(db: Any) -> list[MatchRun]:
        return list(
            (await db.execute(select(MatchRun).where(MatchRun.partnership_id == world.partnership_id))).scalars()
        )

    def exported(who: str) -> list[dict[str, Any]]:
        r = api(who).get(f"/api/volunteers/{world.profiles[who]}/export")
        assert r.status_code == 200, r.text
        with zipfile.ZipFile(io.BytesIO(r.content)) as z:
            return json.loads(z.read("samverka-export.json"))["match_runs"]

    runs = run_db(settings, stored)
    expected = _python_reading(runs, me)
    assert exported("vol_anna") == expected
    # Someone no run names (SQLite answers her from a text search alone): nothing, as before.
    assert exported("vol_bo") == _python_reading(runs, str(world.profiles["vol_bo"])) == []
    # The generated runs reach every case: her entry twice, only a note naming her, each array holding her.
    assert len(expected) == 15
    parts = ("pinned", "previous", "excluded", "planned", "warnings")
    assert any(r["you_in_problem"] is None and not any(r[p] for p in parts) for r in expected)
    assert any(r["you_in_problem"] is None for r in expected) and any(r["you_in_problem"] for r in expected)
    for part in parts:
        assert any(len(r[part]) > 1 for r in expected), part


def test_a_run_rewritten_between_finding_and_reading_never_gives_her_someone_elses_entry(world, settings, monkeypatch):
    """Another person's erasure lands between the finding and the reading: PostgreSQL's next statement sees it
    (without the check she got the next volunteer's assignment); SQLite's read keeps its snapshot."""
    me = str(world.profiles["vol_anna"])
    others = [str(uuid.uuid4()) for _ in range(3)]
    shift = str(uuid.uuid4())
    order = [others[0], others[1], me, others[2], me]
    assignments = [{"volunteer": v, "shift": shift, "role": f"r{n}"} for n, v in enumerate(order)]

    async def arrange(db: Any) -> None:
        db.add(
            MatchRun(
                partnership_id=world.partnership_id,
                period_start=NOW.date(),
                period_end=NOW.date(),
                session_ids=[],
                status=MatchRunStatus.DONE,  # unpublished: an erasure drops its assignments, shifting hers
                problem={"volunteers": [{"id": v} for v in [*others, me]]},
                plan={"assignments": assignments},
            )
        )

    run_db(settings, arrange)
    calls = []

    async def erased_meanwhile(db: Any, partnership_id: uuid.UUID, ids: list[str]) -> Any:
        found = await where_named(db, partnership_id, ids)
        if not calls:  # the first finding only: someone else's assignment dropped, committed elsewhere
            engine = create_engine(settings)
            try:
                async with async_sessionmaker(engine)() as other:
                    run = (await other.execute(select(MatchRun))).scalars().one()
                    run.plan = {"assignments": assignments[1:]}
                    await other.commit()
            finally:
                await engine.dispose()
        calls.append(ids)
        return found

    monkeypatch.setattr(run_export, "where_named", erased_meanwhile)
    got = run_db(settings, lambda db: run_export.her_part_of_runs(db, world.partnership_id, me))
    planned = got[0]["planned"]
    assert all(a["volunteer"] == me for a in planned)
    assert planned == [a for a in assignments if a["volunteer"] == me]  # both hers, found again where they are now
