"""Small-number suppression: no published figure describes fewer than MIN_CELL people.

A cell with 1 to 4 people is hidden (its count and its minutes). An empty cell (0 people)
names nobody and is shown. When a breakdown whose total is published would hide exactly
one cell, the total minus the shown cells would give that cell away, so the smallest
other non-empty cell is hidden too (complementary suppression).
"""

from __future__ import annotations

from volunteers.reports.schemas import Cell, Count

MIN_CELL = 5


def hides(people: int) -> bool:
    """Whether a count of people is too small to publish."""
    return 0 < people < MIN_CELL


def count(people: int) -> Count:
    """A headline count of people, hidden when small."""
    if hides(people):
        return Count(value=None, suppressed=True)
    return Count(value=people, suppressed=False)


def suppress(cells: list[Cell]) -> list[Cell]:
    """Hide the cells of one breakdown that are too small, and one more if only one is hidden."""
    hidden = {i for i, c in enumerate(cells) if c.people is not None and hides(c.people)}
    if len(hidden) == 1:
        rest = [(c.people or 0, i) for i, c in enumerate(cells) if i not in hidden and (c.people or 0) > 0]
        if rest:
            hidden.add(min(rest)[1])
    return [_hidden(c) if i in hidden else c for i, c in enumerate(cells)]


def _hidden(c: Cell) -> Cell:
    return Cell(key=c.key, label=c.label, people=None, minutes=None, hours=None, suppressed=True)
