"""Erased volunteers' entries in stored match runs made anonymous by the database's own JSON functions.

A run stores its whole problem and plan (megabytes for a city: every volunteer with her
birth date, checks, skills and availability). Erasing one person used to read each such
run into Python, parse it, rewrite it and send it back (4.9 s on SQLite, 8.3 s on
PostgreSQL for 12 runs of 2,000 volunteers). Here the database edits the documents in
place, touching only the arrays that can name her (`problem.volunteers`, `.pinned`,
`.previous`, `.excluded`, `plan.assignments`, `warnings`):

- her entry in `problem.volunteers` becomes `{"id": <anonymous id>}`, none of her facts kept;
- in `pinned`, `previous`, `excluded`, a published plan's `assignments` and `warnings`
  her id becomes the anonymous one (a warning's message becomes "[erased]");
- an unpublished plan's assignments to her are dropped (publishing it later proposes
  nothing to someone who is gone).

Each person gets a new random id in each run: the same throughout that run (problem, plan
and warnings still agree), unlinkable to her or to her entries in other runs.

PostgreSQL rebuilds those arrays in order (jsonb_array_elements WITH ORDINALITY,
jsonb_agg, jsonb_set), one UPDATE a run. SQLite (3.40 reparses a JSON text at every
function) finds where each subject is named with one json_tree walk a document, then
sets or removes just those paths (json_set, json_remove): rebuilding the arrays there
parsed each 3 MB problem a dozen times.
"""

# The statements are put together from this module's constants only; every value is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.models import MatchRun
from volunteers.privacy.rules import ERASED

# The arrays of a problem that name volunteers, and the key that does.
_PROBLEM_PARTS: tuple[tuple[str, str, str], ...] = (
    ("volunteers", "id", "entry"),
    ("pinned", "volunteer", "ref"),
    ("previous", "volunteer", "ref"),
    ("excluded", "volunteer", "ref"),
)


def _postgres_array(source: str, key: str, edit: str) -> str:
    """The jsonb array `source` rebuilt in order with the subjects' elements edited ([] if not an array)."""
    array = f"(CASE WHEN jsonb_typeof({source}) = 'array' THEN {source} ELSE '[]'::jsonb END)"
    anon = f"(CAST(:anon AS jsonb) ->> (x.e ->> '{key}'))"
    rows = f"jsonb_array_elements({array}) WITH ORDINALITY AS x(e, o)"
    if edit == "drop":
        return f"(SELECT coalesce(jsonb_agg(x.e ORDER BY x.o), '[]'::jsonb) FROM {rows} WHERE {anon} IS NULL)"
    changed = {
        "entry": f"jsonb_build_object('id', {anon})",
        "ref": f"x.e || jsonb_build_object('{key}', {anon})",
        "warning": f"x.e || jsonb_build_object('{key}', {anon}, 'message', CAST(:erased AS text))",
    }[edit]
    value = f"CASE WHEN {anon} IS NULL THEN x.e ELSE {changed} END"
    return f"(SELECT coalesce(jsonb_agg({value} ORDER BY x.o), '[]'::jsonb) FROM {rows})"


def _postgres_statement(published: bool) -> str:
    problem = "problem"
    for part, key, edit in _PROBLEM_PARTS:  # create_missing false: absent parts stay absent
        rebuilt = _postgres_array(f"problem -> '{part}'", key, edit)
        problem = f"jsonb_set({problem}, '{{{part}}}', {rebuilt}, false)"
    assignments = _postgres_array("plan -> 'assignments'", "volunteer", "ref" if published else "drop")
    plan = f"jsonb_set(plan, '{{assignments}}', {assignments}, false)"
    warnings = _postgres_array("warnings", "volunteer", "warning")
    return (
        f"UPDATE match_run SET problem = {problem}, plan = {plan}, "
        f"warnings = CASE WHEN jsonb_typeof(warnings) = 'array' THEN {warnings} ELSE warnings END WHERE id = :run_id"
    )


# SQLite: where each subject is named, one walk (json_tree) over each document: the
# container's path and the key that holds her id.
_SQLITE_FIND = " UNION ALL ".join(
    f"SELECT '{column}', t.path, t.key, t.atom FROM match_run, json_tree(match_run.{column}) AS t "
    "WHERE match_run.id = :run_id AND t.key IN ('id', 'volunteer') AND t.atom IN (SELECT value FROM json_each(:ids))"
    for column in ("problem", "plan", "warnings")
)
_ELEMENT = re.compile(r"^\$(?:\.(\w+))?\[(\d+)\]$")  # $.volunteers[12], or $[3] in the warnings
_PER_CALL = 50  # path-value pairs per json_set call (SQLite functions take at most 127 arguments)


def _sqlite_edits(
    found: Iterable[tuple[str, str, str, str]], anon: dict[str, str], published: bool
) -> dict[str, tuple[list[tuple[str, str, str]], list[tuple[int, str]]]]:
    """Per column: the paths to set (path, "json" or "text", value) and the elements to remove."""
    edits: dict[str, tuple[list[tuple[str, str, str]], list[tuple[int, str]]]] = {}
    for column, path, key, me in found:
        m = _ELEMENT.match(path)
        if m is None:
            continue
        part, index = m.group(1), int(m.group(2))
        sets, removes = edits.setdefault(column, ([], []))
        if column == "problem" and part == "volunteers" and key == "id":
            sets.append((path, "json", json.dumps({"id": anon[me]})))
        elif column == "problem" and part in ("pinned", "previous", "excluded") and key == "volunteer":
            sets.append((f"{path}.volunteer", "text", anon[me]))
        elif column == "plan" and part == "assignments" and key == "volunteer":
            if published:
                sets.append((f"{path}.volunteer", "text", anon[me]))
            else:
                removes.append((index, path))
        elif column == "warnings" and part is None and key == "volunteer":
            sets.append((f"{path}.volunteer", "text", anon[me]))
            sets.append((f"{path}.message", "text", ERASED))
    return edits


async def _sqlite_in_place(db: AsyncSession, rid: uuid.UUID, published: bool, anon: dict[str, str]) -> None:
    run_id = bindparam("run_id", type_=MatchRun.__table__.c.id.type)
    found = await db.execute(text(_SQLITE_FIND).bindparams(run_id), {"run_id": rid, "ids": json.dumps(sorted(anon))})
    for column, (sets, removes) in _sqlite_edits(found.tuples(), anon, published).items():
        expression = column
        params: dict[str, Any] = {"run_id": rid}
        for start in range(0, len(sets), _PER_CALL):
            pairs = []
            for n, (path, kind, value) in enumerate(sets[start : start + _PER_CALL], start):
                params[f"p{n}"], params[f"v{n}"] = path, value
                pairs.append(f":p{n}, json(:v{n})" if kind == "json" else f":p{n}, :v{n}")
            expression = f"json_set({expression}, {', '.join(pairs)})"
        ordered = [path for _, path in sorted(removes, reverse=True)]  # the last first: indexes stay true
        for start in range(0, len(ordered), _PER_CALL):
            names = []
            for n, path in enumerate(ordered[start : start + _PER_CALL], start):
                params[f"r{n}"] = path
                names.append(f":r{n}")
            expression = f"json_remove({expression}, {', '.join(names)})"
        statement = text(f"UPDATE match_run SET {column} = {expression} WHERE id = :run_id").bindparams(run_id)
        await db.execute(statement, params)


async def anonymise_in_place(db: AsyncSession, runs: Iterable[tuple[uuid.UUID, bool]], volunteer_ids: set[str]) -> None:
    """For each (run id, published) the subjects' entries made anonymous inside the database."""
    postgres = db.bind.dialect.name == "postgresql"
    statements = {published: _postgres_statement(published) for published in (True, False)}
    run_id = bindparam("run_id", type_=MatchRun.__table__.c.id.type)
    for rid, published in runs:
        anon = {me: str(uuid.uuid4()) for me in sorted(volunteer_ids)}
        if postgres:
            params = {"run_id": rid, "anon": json.dumps(anon), "erased": ERASED}
            await db.execute(text(statements[published]).bindparams(run_id), params)
        else:
            await _sqlite_in_place(db, rid, published, anon)
