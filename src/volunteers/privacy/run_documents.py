"""Erased volunteers' entries in stored match runs made anonymous by the database's own JSON functions.

A run stores its whole problem and plan (megabytes for a city: every volunteer with her
birth date, checks, skills and availability). Erasing one person used to read each such
run into Python, parse it, rewrite it and send it back. Here one UPDATE a run rebuilds
only the arrays that can name her (`problem.volunteers`, `.pinned`, `.previous`,
`.excluded`, `plan.assignments`, `warnings`) inside the database, in order, with her
entries swapped for the run's anonymous id for her:

- her entry in `problem.volunteers` becomes `{"id": <anonymous id>}`, none of her facts kept;
- in `pinned`, `previous`, `excluded`, a published plan's `assignments` and `warnings`
  her id becomes the anonymous one (a warning's message becomes "[erased]");
- an unpublished plan's assignments to her are dropped (publishing it later proposes
  nothing to someone who is gone).

Each person gets a new random id in each run: the same throughout that run (problem, plan
and warnings still agree), unlinkable to her or to her entries in other runs. SQLite
(json_each, json_group_array, json_replace) and PostgreSQL (jsonb_array_elements,
jsonb_agg, jsonb_set) each get the same rebuild, written in its own functions.
"""

# The statements are put together from this module's constants only; every value is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable

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


def _sqlite_array(column: str, path: str, key: str, edit: str) -> str:
    """The array at `path` of `column`, rebuilt in order with the subjects' elements edited."""
    who = f"(CASE WHEN x.type = 'object' THEN json_extract(x.value, '$.{key}') END)"
    anon = f"json_extract(:anon, '$.\"' || {who} || '\"')"
    kept = "(CASE WHEN x.type IN ('object', 'array') THEN json(x.value) ELSE x.value END)"
    source = f"(SELECT key, value, type FROM json_each({column}, '{path}') ORDER BY key) AS x"
    if edit == "drop":
        return f"(SELECT json_group_array({kept}) FROM {source} WHERE {anon} IS NULL)"
    changed = {
        "entry": f"json_object('id', {anon})",
        "ref": f"json_set(x.value, '$.{key}', {anon})",
        "warning": f"json_set(x.value, '$.{key}', {anon}, '$.message', :erased)",
    }[edit]
    return f"(SELECT json_group_array(CASE WHEN {anon} IS NULL THEN {kept} ELSE {changed} END) FROM {source})"


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


def _statement(dialect: str, published: bool) -> str:
    plan_edit = "ref" if published else "drop"
    if dialect == "postgresql":
        problem = "problem"
        for part, key, edit in _PROBLEM_PARTS:  # create_missing false: absent parts stay absent
            rebuilt = _postgres_array(f"problem -> '{part}'", key, edit)
            problem = f"jsonb_set({problem}, '{{{part}}}', {rebuilt}, false)"
        assignments = _postgres_array("plan -> 'assignments'", "volunteer", plan_edit)
        plan = f"jsonb_set(plan, '{{assignments}}', {assignments}, false)"
        is_list = "jsonb_typeof(warnings) = 'array'"
        warnings = _postgres_array("warnings", "volunteer", "warning")
    else:  # json_replace leaves a part the document does not have alone
        parts = [
            f"'$.{part}', {_sqlite_array('problem', f'$.{part}', key, edit)}" for part, key, edit in _PROBLEM_PARTS
        ]
        problem = f"json_replace(problem, {', '.join(parts)})"
        assignments = _sqlite_array("plan", "$.assignments", "volunteer", plan_edit)
        plan = f"json_replace(plan, '$.assignments', {assignments})"
        is_list = "json_type(warnings) = 'array'"
        warnings = _sqlite_array("warnings", "$", "volunteer", "warning")
    return (
        f"UPDATE match_run SET problem = {problem}, plan = {plan}, "
        f"warnings = CASE WHEN {is_list} THEN {warnings} ELSE warnings END WHERE id = :run_id"
    )


async def anonymise_in_place(db: AsyncSession, runs: Iterable[tuple[uuid.UUID, bool]], volunteer_ids: set[str]) -> None:
    """For each (run id, published) the subjects' entries made anonymous, in one statement a run."""
    dialect = db.bind.dialect.name
    statements = {published: _statement(dialect, published) for published in (True, False)}
    run_id = bindparam("run_id", type_=MatchRun.__table__.c.id.type)
    for rid, published in runs:
        anon = json.dumps({me: str(uuid.uuid4()) for me in sorted(volunteer_ids)})
        statement = text(statements[published]).bindparams(run_id)
        await db.execute(statement, {"run_id": rid, "anon": anon, "erased": ERASED})
