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

One query finds where the subjects are named in all of the partnership's runs: json_tree
on SQLite; on PostgreSQL jsonb_array_elements over each document, decompressed once.
Then an UPDATE sets or removes just those paths (json_set and json_remove; jsonb_set and
#-). On PostgreSQL a document with many of them (the retention job's fifty people) has
its arrays rebuilt in one pass instead (jsonb_array_elements WITH ORDINALITY, jsonb_agg),
as each jsonb_set copies the whole document.
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

from volunteers.db.models import MatchRun, MatchRunStatus
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
    f"SELECT m.id, m.status, '{column}', t.path, t.key, t.atom FROM match_run AS m, json_tree(m.{column}) AS t "
    "WHERE m.partnership_id = :partnership_id AND t.key IN ('id', 'volunteer') "
    "AND t.atom IN (SELECT value FROM json_each(:ids))"
    for column in ("problem", "plan", "warnings")
)
_ELEMENT = re.compile(r"^\$(?:\.(\w+))?\[(\d+)\]$")  # $.volunteers[12], or $[3] in the warnings
_PER_CALL = 50  # path-value pairs per json_set call (SQLite functions take at most 127 arguments)

# PostgreSQL: where each subject is named in every run of the partnership, in one query.
# `problem || '{}'` gives the document once, decompressed: each `problem -> part` on the
# stored value decompressed all 3 MB again (0.8 s for 12 runs, against 0.09 s).
_POSTGRES_FIND = """
SELECT d.id, d.status, p.col, p.part, x.o - 1, p.key, x.e ->> p.key
FROM (SELECT id, status, problem || '{}'::jsonb AS problem, plan || '{}'::jsonb AS plan, warnings
      FROM match_run WHERE partnership_id = :partnership_id OFFSET 0) AS d
CROSS JOIN (VALUES ('problem', 'volunteers', 'id'), ('problem', 'pinned', 'volunteer'),
                   ('problem', 'previous', 'volunteer'), ('problem', 'excluded', 'volunteer'),
                   ('plan', 'assignments', 'volunteer'), ('warnings', '', 'volunteer')) AS p(col, part, key)
CROSS JOIN LATERAL (SELECT CASE p.col WHEN 'problem' THEN d.problem -> p.part
                                      WHEN 'plan' THEN d.plan -> p.part ELSE d.warnings END AS a) AS s
CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(s.a) = 'array' THEN s.a ELSE '[]'::jsonb END)
     WITH ORDINALITY AS x(e, o)
WHERE x.e ->> p.key IN (SELECT jsonb_array_elements_text(CAST(:ids AS jsonb)))
"""
# A run with more edits than this in one document is rebuilt array by array instead
# (each jsonb_set copies the whole document: fine for one person, not for the retention job's fifty).
_POSTGRES_MAX_SETS = 8

Found = tuple[str, str | None, int, str, str]  # column, array ("" or None: the document), index, key, her id
Sets = list[tuple[str | None, int, str | None, str, str]]  # array, index, field (None: the element), kind, value


def _edits(
    found: Iterable[Found], anon: dict[str, str], published: bool
) -> dict[str, tuple[Sets, list[tuple[str, int]]]]:
    """Per column: what to set (array, index, field, "json" or "text", value) and which elements to remove."""
    edits: dict[str, tuple[Sets, list[tuple[str, int]]]] = {}
    for column, part, index, key, me in found:
        sets, removes = edits.setdefault(column, ([], []))
        if column == "problem" and part == "volunteers" and key == "id":
            sets.append((part, index, None, "json", json.dumps({"id": anon[me]})))
        elif column == "problem" and part in ("pinned", "previous", "excluded") and key == "volunteer":
            sets.append((part, index, "volunteer", "text", anon[me]))
        elif column == "plan" and part == "assignments" and key == "volunteer":
            if published:
                sets.append((part, index, "volunteer", "text", anon[me]))
            else:
                removes.append((part, index))
        elif column == "warnings" and not part and key == "volunteer":
            sets.append((None, index, "volunteer", "text", anon[me]))
            sets.append((None, index, "message", "text", ERASED))
    return edits


def _sqlite_path(part: str | None, index: int, field: str | None = None) -> str:
    return f"${'.' + part if part else ''}[{index}]{'.' + field if field else ''}"


def _postgres_path(part: str | None, index: int, field: str | None = None) -> list[str]:
    return [*([part] if part else []), str(index), *([field] if field else [])]


def _set_expression(
    dialect: str, column: str, sets: Sets, removes: list[tuple[str, int]], params: dict[str, Any]
) -> str:
    """`column` with these paths set and these elements removed (the last first, so indexes stay true)."""
    expression = column
    ordered = sorted(removes, key=lambda r: r[1], reverse=True)
    if dialect == "postgresql":
        for n, (part, index, field, kind, value) in enumerate(sets):
            params[f"p{n}"], params[f"v{n}"] = _postgres_path(part, index, field), value
            new = f"CAST(:v{n} AS jsonb)" if kind == "json" else f"to_jsonb(CAST(:v{n} AS text))"
            expression = f"jsonb_set({expression}, CAST(:p{n} AS text[]), {new})"
        for n, (part, index) in enumerate(ordered):
            params[f"r{n}"] = _postgres_path(part, index)
            expression = f"({expression} #- CAST(:r{n} AS text[]))"
        return expression
    for start in range(0, len(sets), _PER_CALL):
        pairs = []
        for n, (part, index, field, kind, value) in enumerate(sets[start : start + _PER_CALL], start):
            params[f"p{n}"], params[f"v{n}"] = _sqlite_path(part, index, field), value
            pairs.append(f":p{n}, json(:v{n})" if kind == "json" else f":p{n}, :v{n}")
        expression = f"json_set({expression}, {', '.join(pairs)})"
    for start in range(0, len(ordered), _PER_CALL):
        names = []
        for n, (part, index) in enumerate(ordered[start : start + _PER_CALL], start):
            params[f"r{n}"] = _sqlite_path(part, index)
            names.append(f":r{n}")
        expression = f"json_remove({expression}, {', '.join(names)})"
    return expression


async def where_named(
    db: AsyncSession, partnership_id: uuid.UUID, ids: list[str]
) -> dict[tuple[Any, bool], list[Found]]:
    """Per (run id, published): where the subjects are named in it, among all the partnership's runs."""
    postgres = db.bind.dialect.name == "postgresql"
    partnership = bindparam("partnership_id", type_=MatchRun.__table__.c.partnership_id.type)
    rows = await db.execute(
        text(_POSTGRES_FIND if postgres else _SQLITE_FIND).bindparams(partnership),
        {"partnership_id": partnership_id, "ids": json.dumps(ids)},
    )
    found: dict[tuple[Any, bool], list[Found]] = {}
    for rid, status, column, where, *rest in rows.tuples():
        places = found.setdefault((rid, status == MatchRunStatus.PUBLISHED.value), [])
        if postgres:
            index, key, me = rest
            places.append((column, where, index, key, me))
        elif m := _ELEMENT.match(where):  # an element of a top-level array; deeper mentions are no entry of hers
            key, me = rest
            places.append((column, m.group(1), int(m.group(2)), key, me))
    return found


async def anonymise_in_place(db: AsyncSession, partnership_id: uuid.UUID, volunteer_ids: set[str]) -> None:
    """The subjects' entries in the partnership's stored runs made anonymous inside the database."""
    dialect = db.bind.dialect.name
    found = await where_named(db, partnership_id, sorted(volunteer_ids))
    # The ids come back as the database stores them, and go back to it as they came.
    for (rid, published), places in sorted(found.items(), key=lambda item: str(item[0][0])):
        anon = {me: str(uuid.uuid4()) for me in sorted(volunteer_ids)}
        edits = _edits(places, anon, published)
        if dialect == "postgresql" and any(len(s) + len(r) > _POSTGRES_MAX_SETS for s, r in edits.values()):
            whole = {"run_id": rid, "anon": json.dumps(anon), "erased": ERASED}
            await db.execute(text(_postgres_statement(published)), whole)
            continue
        for column, (sets, removes) in edits.items():
            params: dict[str, Any] = {"run_id": rid}
            expression = _set_expression(dialect, column, sets, removes, params)
            statement = text(f"UPDATE match_run SET {column} = {expression} WHERE id = :run_id")
            await db.execute(statement, params)
