"""A volunteer's part of the stored match runs, picked out inside the database for her export.

A city's run stores megabytes of JSON (every volunteer with her facts). The export used to
read each run that names her into Python and parse it whole (2.3-5.5 s on SQLite,
2.1-4.5 s on PostgreSQL for 12 runs of 2,000 volunteers, benchmarks/erasure.py; now 0.4-0.5
and 0.14-0.3 s). Here the database finds her entries with the erasure's own query
(`run_documents.where_named`: json_tree on SQLite, jsonb_array_elements on PostgreSQL)
and hands back just those elements, so only a few kilobytes cross into Python.

What she gets per run is what the Python reading gave (tests/volunteers/test_export_runs.py
compares the two): her entry in `problem.volunteers` (the first, if there were two), her
elements of `pinned`, `previous`, `excluded`, `plan.assignments` and `warnings` in their
order, for every run whose documents name her anywhere.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import msgspec
from sqlalchemy import Text, bindparam, cast, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.models import MatchRun
from volunteers.privacy.run_documents import where_named

# Where her entries are, per export key: the column, the array ("" for the document itself) and the key naming her.
_PARTS: dict[tuple[str, str, str], str] = {
    ("problem", "volunteers", "id"): "you_in_problem",
    ("problem", "pinned", "volunteer"): "pinned",
    ("problem", "previous", "volunteer"): "previous",
    ("problem", "excluded", "volunteer"): "excluded",
    ("plan", "assignments", "volunteer"): "planned",
    ("warnings", "", "volunteer"): "warnings",
}
_COLUMNS = ("problem", "plan", "warnings")

# The elements at the given places of one run, one row each: (place's ordinal, the element as JSON text).
# :places is a JSON array of [column, path]. SQLite's json_extract keeps a document it parsed for
# the next row, so each document is parsed once; PostgreSQL's `|| '{}'` decompresses each once.
_SQLITE_ELEMENTS = """
SELECT p.key, CASE json_extract(p.value, '$[0]')
    WHEN 'problem' THEN json_extract(d.problem, json_extract(p.value, '$[1]'))
    WHEN 'plan' THEN json_extract(d.plan, json_extract(p.value, '$[1]'))
    ELSE json_extract(d.warnings, json_extract(p.value, '$[1]')) END
FROM match_run AS d, json_each(:places) AS p WHERE d.id = :run_id
"""
_POSTGRES_ELEMENTS = """
SELECT x.o - 1, CAST(CASE x.p ->> 0 WHEN 'problem' THEN d.problem WHEN 'plan' THEN d.plan ELSE d.warnings END
                     #> ARRAY(SELECT jsonb_array_elements_text(x.p -> 1)) AS text)
FROM (SELECT problem || '{}'::jsonb AS problem, plan || '{}'::jsonb AS plan, warnings
      FROM match_run WHERE id = :run_id OFFSET 0) AS d
CROSS JOIN LATERAL jsonb_array_elements(CAST(:places AS jsonb)) WITH ORDINALITY AS x(p, o)
"""

_ATTEMPTS = 3  # readings of her entries before those still naming her are all she gets
Place = tuple[str, str, int, str]  # column, array ("" for the document), index, the key naming her


async def _runs_naming(db: AsyncSession, partnership_id: uuid.UUID, me: str, found: set[uuid.UUID]) -> list[Any]:
    """The partnership's runs whose problem, plan or warnings name her anywhere, with what the export says of them.

    Those where she has an entry are `found` already. The others are searched as text, as
    before, so that a run naming her only outside the arrays still appears (with empty
    lists); this is the slow part (each document rendered and scanned), so it is spared the
    runs already found, which for someone in every run is all of them.
    """
    columns = (MatchRun.id, MatchRun.status, MatchRun.period_start, MatchRun.period_end, MatchRun.created_at)
    runs = list((await db.execute(select(*columns).where(MatchRun.id.in_(found)))).tuples()) if found else []
    mentions = or_(*(cast(getattr(MatchRun, c), Text).contains(me) for c in _COLUMNS))
    rest = select(*columns).where(MatchRun.partnership_id == partnership_id, MatchRun.id.not_in(found), mentions)
    runs += (await db.execute(rest)).tuples()
    return sorted(runs, key=lambda run: run[0])  # in id order, as the database sorted them before


async def _elements(db: AsyncSession, run_id: Any, places: list[Place]) -> list[Any]:
    """The elements at `places` in this run, in the same order."""
    if not places:
        return []
    postgres = db.bind.dialect.name == "postgresql"
    paths = [
        [column, [*([part] if part else []), str(index)] if postgres else f"${'.' + part if part else ''}[{index}]"]
        for column, part, index, _key in places
    ]
    statement = text(_POSTGRES_ELEMENTS if postgres else _SQLITE_ELEMENTS).bindparams(
        bindparam("run_id", type_=MatchRun.__table__.c.id.type)
    )
    rows = await db.execute(statement, {"run_id": run_id, "places": msgspec.json.encode(paths).decode()})
    found = {int(n): element for n, element in rows.tuples()}
    return [msgspec.json.decode(found[n]) if found.get(n) else None for n in range(len(places))]


async def her_part_of_runs(db: AsyncSession, partnership_id: uuid.UUID, me: str) -> list[dict[str, Any]]:
    """Per run naming her: its id, status, period and creation, and her entries in it."""
    postgres = db.bind.dialect.name == "postgresql"
    if not postgres and not await _runs_naming(db, partnership_id, me, set()):
        # SQLite searches its stored text fast (LIKE, 0.04 s for 24 MB) but walks it slowly
        # (json_tree, a second for a city's runs): someone no run names is answered at once.
        return []
    # Where she is named in which run (its id as the database stores it: read through the column's type).
    to_id: Callable[[Any], Any] = MatchRun.__table__.c.id.type.result_processor(db.bind.dialect, None) or (
        lambda raw: raw
    )
    # On PostgreSQL each statement sees the latest commit: someone else's erasure between the
    # finding and the reading can shift an unpublished plan's elements. What is read is checked
    # to name her (never someone else's entry in her export) and, if not, found again.
    for attempt in range(_ATTEMPTS):
        places: dict[uuid.UUID, list[Place]] = {}
        for (raw_id, _published), found in (await where_named(db, partnership_id, [me])).items():
            places[to_id(raw_id)] = [
                (c, part or "", index, key) for c, part, index, key, _me in found if (c, part or "", key) in _PARTS
            ]
        runs = await _runs_naming(db, partnership_id, me, set(places))
        read = {}
        stale = False
        for rid, *_ in runs:
            mine = sorted(set(places.get(rid, [])))  # in document order; an element found twice is one
            elements = await _elements(db, rid, mine)
            read[rid] = [
                (p, e) for p, e in zip(mine, elements, strict=True) if isinstance(e, dict) and e.get(p[3]) == me
            ]
            stale = stale or len(read[rid]) < len(mine)
        if not stale or attempt == _ATTEMPTS - 1:
            break
    exported = []
    for rid, status, period_start, period_end, created_at in runs:
        entries: dict[str, list[Any]] = {name: [] for name in _PARTS.values()}
        for (column, part, _index, key), element in read[rid]:
            entries[_PARTS[(column, part, key)]].append(element)
        you = entries.pop("you_in_problem")
        exported.append(
            {
                "id": str(rid),
                "status": status.value,
                "period_start": period_start.isoformat(),
                "period_end": period_end.isoformat(),
                "created_at": created_at.isoformat(),
                "you_in_problem": you[0] if you else None,
                "pinned": entries["pinned"],
                "previous": entries["previous"],
                "excluded": entries["excluded"],
                "planned": entries["planned"],
                "warnings": entries["warnings"],
            }
        )
    return exported
