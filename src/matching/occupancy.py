"""What a set of assignments already occupies: used for rules 8–10 by `check`,
`why_not` and the shortage explanations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matching.eligibility import BoolArray, IntArray, Pairs, ProblemIndex, pairs, unique_sorted
from matching.model import Assignment, PlanError


@dataclass(frozen=True)
class Occupancy:
    """Assignments (assumed to keep rules 8–10 among themselves) as lookup arrays."""

    ix: ProblemIndex
    taken_key: IntArray  # sorted volunteer * n_shifts + shift of every assignment
    busy_key: IntArray  # sorted volunteer * span + start - origin of every assigned shift
    busy_end: IntArray  # end - origin of the same shifts, in the same order
    load_key: IntArray  # sorted volunteer * weeks + week
    load: IntArray  # seconds started in that week
    filled: IntArray  # per role, how many are assigned

    @classmethod
    def of(cls, ix: ProblemIndex, p: Pairs) -> Occupancy:
        """The occupancy of the assignments `p`."""
        taken = unique_sorted(p.volunteer * ix.n_shifts + p.shift)
        v, s = taken // max(ix.n_shifts, 1), taken % max(ix.n_shifts, 1)
        busy = v * ix.span + ix.shift_start[s] - ix.origin
        order = np.argsort(busy, kind="stable")
        weeks = max(len(ix.weeks), 1)
        week_key = v * weeks + ix.shift_week[s]
        load_key = unique_sorted(week_key)
        load = np.zeros(len(load_key), dtype=np.int64)
        np.add.at(load, np.searchsorted(load_key, week_key), ix.shift_seconds[s])
        return cls(
            ix=ix,
            taken_key=taken,
            busy_key=busy[order],
            busy_end=(ix.shift_end[s] - ix.origin)[order],
            load_key=load_key,
            load=load,
            filled=np.bincount(p.role, minlength=ix.n_roles).astype(np.int64),
        )

    def in_same_shift(self, p: Pairs) -> BoolArray:
        """The volunteer already has a role in this shift."""
        return np.isin(p.volunteer * self.ix.n_shifts + p.shift, self.taken_key)

    def overlapping(self, p: Pairs) -> BoolArray:
        """The volunteer already has another shift that overlaps this one.

        Assigned shifts of one volunteer do not overlap, so they are sorted by end as
        well as by start; the last one starting before this shift ends is the only one
        that can reach into it.
        """
        ix = self.ix
        if len(self.busy_key) == 0:
            return np.zeros(len(p.volunteer), dtype=bool)
        base = p.volunteer * ix.span - ix.origin
        at = np.searchsorted(self.busy_key, base + ix.shift_end[p.shift], side="left") - 1
        safe = np.maximum(at, 0)
        same_volunteer = (at >= 0) & (self.busy_key[safe] >= p.volunteer * ix.span)
        reaches = self.busy_end[safe] > ix.shift_start[p.shift] - ix.origin
        # an earlier shift that ends before this one starts can hide one that overlaps
        # only if assignments overlap each other, which `check` reports separately
        return same_volunteer & reaches & ~self.in_same_shift(p)

    def week_load(self, p: Pairs) -> IntArray:
        """Seconds the volunteer already works in the ISO week of this shift."""
        key = p.volunteer * max(len(self.ix.weeks), 1) + self.ix.shift_week[p.shift]
        if len(self.load_key) == 0:
            return np.zeros(len(key), dtype=np.int64)
        at = np.searchsorted(self.load_key, key)
        safe = np.minimum(at, len(self.load_key) - 1)
        return np.where(self.load_key[safe] == key, self.load[safe], 0)

    def over_cap(self, p: Pairs) -> BoolArray:
        """Taking this shift would take the volunteer over their weekly cap."""
        cap = self.ix.cap_seconds[p.volunteer]
        return (cap >= 0) & (self.week_load(p) + self.ix.shift_seconds[p.shift] > cap)


def assignment_pairs(ix: ProblemIndex, assignments: Sequence[Assignment], field: str) -> Pairs:
    """Assignments as index pairs; unknown ids raise `PlanError` naming the entry."""
    vols: list[int] = []
    roles: list[int] = []
    for i, a in enumerate(assignments):
        v = ix.volunteer_pos.get(a.volunteer)
        if v is None:
            raise PlanError(f"{field}[{i}].volunteer: unknown volunteer {a.volunteer!r}")
        if a.shift not in ix.shift_pos:
            raise PlanError(f"{field}[{i}].shift: unknown shift {a.shift!r}")
        r = ix.role_pos.get((a.shift, a.role))
        if r is None:
            raise PlanError(f"{field}[{i}].role: shift {a.shift!r} has no role {a.role!r}")
        vols.append(v)
        roles.append(r)
    return pairs(ix, vols, roles)
