"""Builders for small, readable matching problems."""

from __future__ import annotations

from typing import Any

import pytest

from matching import Problem, parse_problem


def volunteer(ident: str = "v-1", **fields: Any) -> dict[str, Any]:
    """An adult volunteer, free all of 2026-03-17, with a fresh background check."""
    out: dict[str, Any] = {
        "id": ident,
        "birth_date": "1990-01-01",
        "skills": [],
        "languages": ["sv"],
        "background_check": "2026-01-10",
        "availability": [["2026-03-17T00:00:00+01:00", "2026-03-18T00:00:00+01:00"]],
    }
    out.update(fields)
    return out


def shift(
    ident: str = "s-1",
    start: str = "2026-03-17T17:00:00+01:00",
    end: str = "2026-03-17T18:30:00+01:00",
    roles: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A shift with one `helper` role for one person unless roles are given."""
    out: dict[str, Any] = {
        "id": ident,
        "activity": "a-1",
        "activity_type": "sport",
        "start": start,
        "end": end,
        "roles": roles if roles is not None else [{"role": "helper"}],
    }
    out.update(fields)
    return out


def problem_dict(volunteers: list[dict[str, Any]], shifts: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "format": "matching-problem/1",
        "timezone": "Europe/Stockholm",
        "volunteers": volunteers,
        "shifts": shifts,
    }
    out.update(fields)
    return out


class Maker:
    """Small problems written as JSON-like dicts, so tests read like the contract."""

    volunteer = staticmethod(volunteer)
    shift = staticmethod(shift)
    problem_dict = staticmethod(problem_dict)

    @staticmethod
    def problem(volunteers: list[dict[str, Any]], shifts: list[dict[str, Any]], **fields: Any) -> Problem:
        return parse_problem(problem_dict(volunteers, shifts, **fields))


@pytest.fixture
def mk() -> Maker:
    return Maker()
