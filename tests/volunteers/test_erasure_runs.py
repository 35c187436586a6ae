"""Stored match runs made anonymous inside the database (privacy.run_documents), checked against the rule in Python.

The SQL rebuilds the arrays that can name a volunteer; what must come out is written
here apart, element by element: her entries anonymous under one id per run, everyone
else's untouched and in their order, parts a document lacks still lacking, an
unpublished plan's assignments to her dropped.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from service_support import NOW, run_db
from volunteers.db.models import MatchRun, MatchRunStatus
from volunteers.privacy.run_documents import anonymise_in_place


def _document(rng: random.Random, people: list[str]) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    shifts = [str(uuid.uuid4()) for _ in range(6)]
    problem = {
        "format": "matching-problem/1",
        "volunteers": [{"id": p, "birth_date": f"19{rng.randrange(50, 99)}-01-02", "skills": ["x"]} for p in people],
        "pinned": [{"volunteer": rng.choice(people), "shift": rng.choice(shifts), "role": "r"} for _ in range(8)],
        "previous": [{"volunteer": rng.choice(people), "shift": rng.choice(shifts)} for _ in range(8)],
        "shifts": [{"id": s, "note": "people named in shifts are not volunteers' ids"} for s in shifts],
    }  # no "excluded": a part the run does not have stays absent
    plan = {
        "format": "matching-plan/1",
        "assignments": [{"volunteer": rng.choice(people), "shift": rng.choice(shifts), "role": "r"} for _ in range(60)],
        "shortages": [],
    }
    warnings = [{"volunteer": rng.choice(people), "shift": shifts[0], "message": "born 1990-01-02"} for _ in range(5)]
    return problem, plan, warnings


def _expected(doc: Any, gone: set[str], anon: dict[str, str], published: bool) -> Any:
    """The same rule, written apart: what each array must hold after erasure."""
    problem, plan, warnings = doc
    problem = {
        **problem,
        "volunteers": [{"id": anon[v["id"]]} if v["id"] in gone else v for v in problem["volunteers"]],
        "pinned": [
            {**p, "volunteer": anon[p["volunteer"]]} if p["volunteer"] in gone else p for p in problem["pinned"]
        ],
        "previous": [
            {**p, "volunteer": anon[p["volunteer"]]} if p["volunteer"] in gone else p for p in problem["previous"]
        ],
    }
    mine = [a for a in plan["assignments"] if a["volunteer"] in gone]
    others = [a for a in plan["assignments"] if a["volunteer"] not in gone]
    assignments = (
        [{**a, "volunteer": anon[a["volunteer"]]} if a in mine else a for a in plan["assignments"]]
        if published
        else others
    )
    warnings = [
        {**w, "volunteer": anon[w["volunteer"]], "message": "[erased]"} if w["volunteer"] in gone else w
        for w in warnings
    ]
    return problem, {**plan, "assignments": assignments}, warnings


@pytest.mark.parametrize("erased", [1, 70])  # one person; the retention job's many (edits past one SQL call's)
def test_runs_rewritten_in_the_database_match_the_rule_element_by_element(settings, world, erased):
    rng = random.Random(15)
    people = [str(uuid.uuid4()) for _ in range(80)]
    gone = set(rng.sample(people, erased))
    docs = {status: _document(rng, people) for status in (MatchRunStatus.PUBLISHED, MatchRunStatus.DONE)}

    async def arrange(db: Any) -> dict[MatchRunStatus, uuid.UUID]:
        ids = {}
        for status, (problem, plan, warnings) in docs.items():
            run = MatchRun(
                partnership_id=world.partnership_id,
                period_start=NOW.date(),
                period_end=NOW.date() + dt.timedelta(days=7),
                session_ids=[],
                status=status,
                problem=problem,
                plan=plan,
                warnings=warnings,
            )
            db.add(run)
            await db.flush()
            ids[status] = run.id
        untouched = MatchRun(
            partnership_id=world.partnership_id,
            period_start=NOW.date(),
            period_end=NOW.date(),
            session_ids=[],
            status=MatchRunStatus.FAILED,
        )  # no problem, no plan: nothing to rewrite, nothing made up
        db.add(untouched)
        await db.flush()
        ids[MatchRunStatus.FAILED] = untouched.id
        return ids

    ids = run_db(settings, arrange)
    run_db(settings, lambda db: anonymise_in_place(db, world.partnership_id, gone))

    async def read(db: Any) -> dict[uuid.UUID, MatchRun]:
        return {r.id: r for r in (await db.execute(select(MatchRun))).scalars()}

    runs = run_db(settings, read)
    anon_ids = []
    for status in (MatchRunStatus.PUBLISHED, MatchRunStatus.DONE):
        run = runs[ids[status]]
        # Her anonymous id in this run, read off her entry's place among the volunteers.
        anon = {p: run.problem["volunteers"][people.index(p)]["id"] for p in gone}
        assert all(a not in people for a in anon.values()) and len(set(anon.values())) == len(gone)
        anon_ids.append(set(anon.values()))
        problem, plan, warnings = _expected(docs[status], gone, anon, status == MatchRunStatus.PUBLISHED)
        assert run.problem == problem and "excluded" not in run.problem
        assert run.plan == plan
        assert run.warnings == warnings
        assert not any(p in str((run.problem, run.plan, run.warnings)) for p in gone)
    assert not anon_ids[0] & anon_ids[1]  # a new anonymous id in each run
    failed = runs[ids[MatchRunStatus.FAILED]]
    assert (failed.problem, failed.plan, failed.warnings) == (None, None, [])
