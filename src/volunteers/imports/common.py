"""What both CSV shapes share: reading, the problems found, the refusal, the skills catalogue."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.models import Skill
from volunteers.errors import DomainError
from volunteers.imports.reasons import REASONS, sentence

MAX_ROWS = 5000
MAX_BYTES = 5_000_000


class Problem(msgspec.Struct):
    """A wrong cell: `reason` is the English sentence; `code` and `params` let a page say it in its language."""

    line: int
    column: str
    reason: str
    code: str = ""
    params: dict[str, str] = {}


class ImportRefused(DomainError):
    """Some row is wrong: nothing was imported; every problem is listed by line and column."""

    status = 422
    title = "Import refused"
    code = "import_refused"

    def __init__(self, problems: list[Problem]):
        lines = sorted({p.line for p in problems})
        super().__init__(
            f"{len(problems)} problem(s) on line(s) {', '.join(map(str, lines[:20]))}; nothing was imported",
            extra={"problems": [msgspec.to_builtins(p) for p in problems]},
        )
        self.problems = problems


@dataclass
class Rows:
    """The data rows of a CSV file, each with its line number, and the problems found so far."""

    items: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, line: int, column: str, code: str, **params: object) -> None:
        values = {k: str(v) for k, v in params.items()}
        self.problems.append(Problem(line, column, sentence(REASONS[code], values), code, values))


def read_csv(text: str, required: tuple[str, ...], known: tuple[str, ...]) -> Rows:
    """Parse CSV text (comma or semicolon, as spreadsheets in Sweden save it); line 1 is the header."""
    rows = Rows()
    if len(text) > MAX_BYTES:
        rows.add(0, "file", "file_too_large", limit=MAX_BYTES)
        return rows
    text = text.lstrip("\ufeff")  # Excel's byte-order mark
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        rows.add(1, "header", "not_csv", error=exc)
        return rows
    reader.fieldnames = header
    for name in required:
        if name not in header:
            rows.add(1, name, "missing_column")
    for name in header:
        if name not in known:
            rows.add(1, name or "(empty)", "unknown_column", columns=", ".join(known))
    if rows.problems:
        return rows
    try:
        for record in reader:
            line = reader.line_num
            if len(rows.items) >= MAX_ROWS:
                rows.add(line, "file", "too_many_rows", limit=MAX_ROWS)
                break
            if None in record:
                rows.add(line, "row", "too_many_values")
                continue
            values = {k: (v or "").strip() for k, v in record.items()}
            if not any(values.values()):
                continue  # a blank line
            rows.items.append((line, values))
    except csv.Error as exc:
        rows.add(reader.line_num, "row", "not_csv", error=exc)
    return rows


def split_list(value: str) -> Iterator[str]:
    """Items of a list cell, separated by '|' (or ';' in a comma-separated file)."""
    for part in value.replace(";", "|").split("|"):
        if part.strip():
            yield part.strip()


async def skill_index(db: AsyncSession) -> dict[str, str]:
    """Catalogue code by every name a skill may be given: ESCO URI, code, Swedish or English label."""
    index: dict[str, str] = {}
    for code, uri, en, sv in (
        await db.execute(select(Skill.code, Skill.esco_uri, Skill.label_en, Skill.label_sv))
    ).all():
        for key in (uri, code, en, sv):
            if key:
                index.setdefault(key.strip().lower(), code)
    return index


def to_csv(header: list[str], rows: list[list[str]]) -> str:
    """CSV text with a header, as the import reads it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
