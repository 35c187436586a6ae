"""Disclosure control: no published figure describes fewer than MIN_CELL people, nor lets one be worked out.

Primary suppression: a count of 1 to 4 people is hidden ("<5"), with the minutes of its
cell. An empty cell (0 people) names nobody and is shown.

Complementary suppression: a reader who knows a table's total, its shown cells and the
rule itself knows that a "<5" cell holds 1 to 4 people and that any other hidden cell
holds 5 or more. `protect` hides further cells, smallest first, until that reader is
left with at least three possible values for every "<5" cell and cannot pin any other
hidden cell to one value, and
hides the cell's total instead when the table runs out of cells. Cells hidden to protect
another are labelled "hidden", never "<5" (they hold 5 or more). Additive tables (each
person in exactly one cell) give the reader an equation; the others (a person may count
in several cells) an inequality: the cells add up to at least the total.
"""

from __future__ import annotations

from volunteers.reports.schemas import Cell, Count

MIN_CELL = 5
SMALL = "small"  # hidden because it holds 1-4 people
COMPLEMENT = "complement"  # hidden so that a small cell cannot be worked out
# A reader must be left with at least three possible values for a "<5" cell (of its four).
PROTECTION = 2


def hides(people: int) -> bool:
    """Whether a count of people is too small to publish."""
    return 0 < people < MIN_CELL


def count(people: int) -> Count:
    """A headline count of people, hidden when small."""
    if hides(people):
        return Count(value=None, suppressed=True)
    return Count(value=people, suppressed=False)


def _bounds(kind: str, total: int) -> tuple[int, int]:
    return (1, MIN_CELL - 1) if kind == SMALL else (MIN_CELL, max(total, MIN_CELL))


def safe(people: list[int], hidden: dict[int, str], total: int, additive: bool) -> bool:
    """Whether a reader of the table learns no more of a hidden cell than its label says."""
    if not hidden:
        return True
    rest = total - sum(n for i, n in enumerate(people) if i not in hidden)
    for i, kind in hidden.items():
        lo, hi = _bounds(kind, total)
        others_lo = sum(_bounds(k, total)[0] for j, k in hidden.items() if j != i)
        others_hi = sum(_bounds(k, total)[1] for j, k in hidden.items() if j != i)
        floor = max(lo, rest - others_hi)  # the others hold at most their bounds
        ceiling = min(hi, rest - others_lo) if additive else hi
        if kind == SMALL and ceiling - floor < PROTECTION:
            return False
        if kind == COMPLEMENT and ceiling <= floor:
            return False
    return True


def protect(cells: list[Cell], total: int | None, additive: bool = True) -> tuple[list[Cell], bool]:
    """The table's cells with small ones hidden and others beside them; and whether its total must go too.

    `total` is the published number of people the cells break down (None: none is published).
    Iterates to a fixpoint: each round hides the smallest shown non-empty cell.
    """
    people = [c.people or 0 for c in cells]
    hidden = {i: SMALL for i, n in enumerate(people) if hides(n)}
    if not hidden:
        return cells, False
    total_hidden = False
    known = total if total is not None else None
    if known is None:  # no total to difference against: only the minutes, which add up, need a second cell
        known = sum(people)
        additive = True
    while not safe(people, hidden, known, additive) or len(hidden) == 1:
        shown = [(n, i) for i, n in enumerate(people) if i not in hidden and n > 0]
        if not shown:
            total_hidden = True
            break
        hidden[min(shown)[1]] = COMPLEMENT
    return [_hidden(c, hidden[i]) if i in hidden else c for i, c in enumerate(cells)], total_hidden


def suppress(cells: list[Cell], total: int | None = None, additive: bool = True) -> list[Cell]:
    """`protect` for a table whose total stays published elsewhere (a hidden total is the caller's)."""
    return protect(cells, total, additive)[0]


def _hidden(c: Cell, why: str) -> Cell:
    return Cell(key=c.key, label=c.label, people=None, minutes=None, hours=None, suppressed=True, hidden=why)
