"""The staffing model: one binary per eligible (volunteer, shift, role) triple.

Rows:

- role: `filled[r]` = the volunteers in role r, an integer of at most its `count`;
- clique: for every volunteer and every start of one of their eligible shifts, the
  shifts running at that moment take at most one of their roles.  One row per maximal
  clique of the volunteer's interval graph replaces one row per overlapping pair, and
  it also says "one role per shift";
- week: the time of the shifts a volunteer starts in an ISO week (in the problem's
  time zone) stays within `max_minutes_per_week` (only where the cap can bind);
- continuity, fairness and reward: links for the soft goals (see `SOFT_WEIGHTS`).

Pins are variables with lower bound 1; exclusions never become variables.

The model is held as plain arrays (`Model`): HiGHS takes them as they are, and
`solvers.to_pulp` turns them into a PuLP problem for CBC.  Building PuLP's objects
costs about 40 µs a row and 3 µs a variable in Python; at 10,000 x 5,000 that alone is
minutes, more than the whole time budget, so PuLP is the modelling layer only on the
CBC path.

The goals, in the contract's strict order: coverage (priority of filled places), then
stability (kept `previous` assignments), then one weighted soft objective.  Coverage
and stability are one objective whose weights provably cannot trade (see `build`); the
soft goals come after them, with each earlier optimum kept as a row.  Every goal takes
integer values at integer points, which lets the solvers prove each optimum exactly.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from matching.eligibility import IntArray, Pairs, ProblemIndex, word_bits
from matching.model import Assignment

FloatArray = NDArray[np.float64]
INF = math.inf

# Points per unit of each soft goal; they only ever trade against each other, never
# against coverage or stability, which are fixed before the soft goals are optimised.
SOFT_WEIGHTS = {
    "preferences": 600,  # per assignment to an activity type the volunteer prefers
    "employability": 1200,  # per assignment whose role develops one of their learning goals
    "employability_seeking_work": 1200,  # on top of that when they are seeking work
    "continuity": 900,  # per two consecutive sessions of one activity done by one person
}
# Fairness: a concave reward per minute of a volunteer's load in each ISO week: 3 points
# a minute in the first quarter of their weekly cap (or UNCAPPED_REFERENCE_MINUTES), 2 in
# the second, 1 in the third, 0 beyond; so minutes go first to those furthest below
# their own cap that week.  Caps are weekly, so the load is measured against the cap
# week by week; it also leaves the weeks tied together by continuity alone.
FAIRNESS_SLOPES = (3, 2, 1)
UNCAPPED_REFERENCE_MINUTES = 600


@dataclass
class Rows:
    """A block of rows, row-wise sparse: lower <= sum(value * x[index]) <= upper."""

    start: list[int] = field(default_factory=lambda: [0])
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)

    _arrays: RowArrays | None = field(default=None, init=False, repr=False, compare=False)

    def add(self, index: Sequence[int], value: Sequence[float], lower: float, upper: float) -> None:
        self._arrays = None
        self.index.extend(index)
        self.value.extend(value)
        self.start.append(len(self.index))
        self.lower.append(lower)
        self.upper.append(upper)

    def __len__(self) -> int:
        return len(self.lower)

    def row(self, i: int) -> tuple[list[int], list[float]]:
        a, b = self.start[i], self.start[i + 1]
        return self.index[a:b], self.value[a:b]

    def arrays(self) -> RowArrays:
        """The same rows as numpy arrays (kept until the next `add`)."""
        if self._arrays is None:
            self._arrays = self._to_arrays()
        return self._arrays

    def _to_arrays(self) -> RowArrays:
        return RowArrays(
            np.array(self.lower, dtype=np.float64),
            np.array(self.upper, dtype=np.float64),
            np.array(self.start, dtype=np.int64),
            np.array(self.index, dtype=np.int64),
            np.array(self.value, dtype=np.float64),
        )


@dataclass(frozen=True)
class RowArrays:
    """Rows in compressed sparse row form, as numpy arrays."""

    lower: FloatArray
    upper: FloatArray
    start: NDArray[np.int64]  # one more than there are rows
    index: NDArray[np.int64]
    value: FloatArray

    def __len__(self) -> int:
        return len(self.lower)

    def row_of(self) -> NDArray[np.int64]:
        """The row of every entry."""
        return np.repeat(np.arange(len(self.lower), dtype=np.int64), np.diff(self.start))

    def take(self, rows: NDArray[np.int64], columns: NDArray[np.int64], n_columns: int) -> RowArrays:
        """The rows `rows` (which hold only columns in `columns`), renumbered so that
        column columns[k] becomes k."""
        local = np.full(n_columns, -1, dtype=np.int64)
        local[columns] = np.arange(len(columns), dtype=np.int64)
        keep = np.zeros(len(self.lower), dtype=bool)
        keep[rows] = True
        entries = keep[self.row_of()]
        lengths = np.diff(self.start)[rows]
        return RowArrays(
            self.lower[rows],
            self.upper[rows],
            np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
            local[self.index[entries]],
            self.value[entries],
        )


@dataclass
class Columns:
    """Every variable: bounds and whether it must be integral."""

    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)

    def add(self, lower: float, upper: float, integer: bool) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.lower) - 1

    def __len__(self) -> int:
        return len(self.lower)


@dataclass(frozen=True)
class Linear:
    """A sparse linear expression: sum(value * x[index])."""

    index: NDArray[np.int32]
    value: FloatArray

    @classmethod
    def of(cls, terms: dict[int, float]) -> Linear:
        return cls(np.fromiter(terms.keys(), np.int32, len(terms)), np.fromiter(terms.values(), np.float64, len(terms)))

    def at(self, values: FloatArray) -> float:
        return float(values[self.index] @ self.value) if len(self.index) else 0.0

    def __len__(self) -> int:
        return len(self.index)


@dataclass(frozen=True)
class Goal:
    """One objective to maximise, made of contract goals weighted so that none can trade
    a unit of the one before it; `rows` are constraints only this objective needs."""

    name: str
    objective: Linear
    parts: tuple[tuple[str, Linear, int], ...]  # (contract goal, expression, weight)
    rows: Rows = field(default_factory=Rows)


@dataclass(frozen=True)
class SoftTerms:
    """The soft goals as plain arrays, for evaluating a plan and for the weekly split.

    The same goals as the soft rows of `build`: a reward per triple (preferences and
    employability), continuity pairs of consecutive sessions (a session is a volunteer
    and a shift they could take), and fairness, a concave function of each
    volunteer's minutes in each ISO week (a `slot`) with breakpoints at every `quarter`.
    """

    reward: IntArray  # per triple
    minutes: IntArray  # per triple
    session: IntArray  # per triple: its (volunteer, shift) session
    session_volunteer: IntArray
    pair_first: IntArray  # per continuity pair: the earlier session
    pair_second: IntArray
    slot: IntArray  # per triple: its (volunteer, ISO week) for fairness
    quarter: IntArray  # per slot

    def loads(self, chosen: NDArray[np.bool_]) -> FloatArray:
        """Minutes per slot (volunteer and week)."""
        return np.bincount(self.slot, weights=self.minutes * chosen, minlength=len(self.quarter)).astype(np.float64)

    def fairness(self, minutes: FloatArray) -> FloatArray:
        """Fairness points per volunteer for these minutes."""
        out = np.zeros(len(minutes))
        for i, slope in enumerate(FAIRNESS_SLOPES):
            out += slope * np.clip(minutes - i * self.quarter, 0, self.quarter)
        return out

    def taken(self, chosen: NDArray[np.bool_]) -> NDArray[np.bool_]:
        """Per session: is one of its roles chosen."""
        return np.bincount(self.session, weights=chosen, minlength=len(self.session_volunteer)) > 0.5

    def value(self, chosen: NDArray[np.bool_]) -> float:
        """The weighted soft objective of the chosen triples."""
        taken = self.taken(chosen)
        pairs = int(np.count_nonzero(taken[self.pair_first] & taken[self.pair_second]))
        return float(
            self.reward[chosen].sum() + SOFT_WEIGHTS["continuity"] * pairs + self.fairness(self.loads(chosen)).sum()
        )


@dataclass
class Formulation:
    """A built model: columns, the rows of the hard rules and the goals in order."""

    triples: Pairs
    columns: Columns
    rows: Rows
    goals: list[Goal | Callable[[], Goal]]  # in strict order; callables build on demand
    pinned: IntArray  # triple indices
    previous: IntArray
    preference: IntArray  # 0/1 per triple
    employability: IntArray  # 0/1 per triple
    build_seconds: float = 0.0  # how long the hard rules took to build

    triple_week: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    soft_terms: SoftTerms | None = None
    coverage: Linear | None = None  # over the role aggregates
    stability: Linear | None = None  # over the weekly aggregates of kept `previous`

    @property
    def n_triples(self) -> int:
        return len(self.triples.volunteer)


def triple_positions(ix: ProblemIndex, triples: Pairs, assignments: Sequence[Assignment]) -> IntArray:
    """The triple index of every assignment that is an eligible triple (others dropped)."""
    keys = triples.volunteer * max(ix.n_roles, 1) + triples.role
    wanted = np.array(
        [ix.volunteer_pos[a.volunteer] * max(ix.n_roles, 1) + ix.role_pos[(a.shift, a.role)] for a in assignments],
        dtype=np.int64,
    )
    at = np.searchsorted(keys, wanted)
    found = at < len(keys)
    found[found] = keys[at[found]] == wanted[found]
    return np.asarray(at[found], dtype=np.int64)


def build(ix: ProblemIndex, triples: Pairs) -> Formulation:
    """The model of a problem whose eligible triples are `triples` (column t is triple t)."""
    started = time.perf_counter()
    n = len(triples.volunteer)
    columns = Columns([0.0] * n, [1.0] * n, [True] * n)
    pinned = triple_positions(ix, triples, ix.problem.pinned)
    for t in pinned.tolist():
        columns.lower[t] = 1.0
    previous = triple_positions(ix, triples, ix.problem.previous)
    rows = Rows()
    filled = _role_rows(rows, columns, ix, triples)
    _clique_rows(rows, ix, triples)
    _week_rows(rows, ix, triples)

    # Goals are sums of integer aggregates, not of the binaries themselves: HiGHS
    # partitions the binaries of an objective into cliques before it starts, which
    # takes minutes on a city-sized model, and with the aggregates it has nothing to do.
    coverage = Linear.of({f: float(ix.role_priority[r]) for r, f in filled.items()})
    # one aggregate per ISO week, so that the weeks stay independent problems
    kept_terms: dict[int, float] = {}
    weeks_of_previous = ix.shift_week[triples.shift[previous]]
    for w in sorted(set(weeks_of_previous.tolist())):
        members = previous[weeks_of_previous == w].tolist()
        kept_terms[_aggregate(rows, columns, members, [1.0] * len(members))] = 1.0
    stability = Linear.of(kept_terms)
    # Stability lies in [0, len(previous)], so with coverage weighted len(previous) + 1
    # one unit of coverage outweighs any stability: one solve settles both goals in
    # their strict order, and every coefficient stays a small integer.
    weight = len(previous) + 1
    first = Linear(
        np.concatenate([coverage.index, stability.index]), np.concatenate([coverage.value * weight, stability.value])
    )

    preference, employability = _affinities(ix, triples)
    seeking = np.array([v.seeking_work for v in ix.problem.volunteers], dtype=bool)
    reward = np.asarray(
        SOFT_WEIGHTS["preferences"] * preference
        + SOFT_WEIGHTS["employability"] * employability
        + SOFT_WEIGHTS["employability_seeking_work"] * employability * seeking[triples.volunteer],
        dtype=np.int64,
    )

    def soft_goal() -> Goal:
        """Built only when the soft goals get their turn (and time): at city size
        their rows outnumber the hard rules'."""
        soft_rows = Rows()
        terms = _continuity(soft_rows, columns, ix, triples)
        terms.update(_fairness(soft_rows, columns, ix, triples))
        order, starts, ends = _groups(triples.role)
        idx = order.tolist()
        weights = reward.tolist()
        for a, b in zip(starts, ends, strict=True):
            members = [t for t in idx[a:b] if weights[t]]
            total = _aggregate(soft_rows, columns, members, [float(weights[t]) for t in members])
            if total >= 0:
                terms[total] = 1.0
        soft = Linear.of(terms)
        return Goal("soft", soft, (("soft", soft, 1),), soft_rows)

    goals: list[Goal | Callable[[], Goal]] = [
        Goal("coverage+stability", first, (("coverage", coverage, weight), ("stability", stability, 1))),
        soft_goal,
    ]
    return Formulation(
        triples,
        columns,
        rows,
        goals,
        pinned,
        previous,
        preference,
        employability,
        time.perf_counter() - started,
        ix.shift_week[triples.shift],
        _soft_terms(ix, triples, reward),
        coverage,
        stability,
    )


def _soft_terms(ix: ProblemIndex, triples: Pairs, reward: IntArray) -> SoftTerms:
    n_shifts = max(ix.n_shifts, 1)
    sessions, session = np.unique(triples.volunteer * n_shifts + triples.shift, return_inverse=True)
    volunteer, shift = sessions // n_shifts, sessions % n_shifts
    activity = activities(ix)
    order = np.lexsort((shift, ix.shift_start[shift], activity[shift], volunteer))
    same = (volunteer[order][1:] == volunteer[order][:-1]) & (activity[shift][order][1:] == activity[shift][order][:-1])
    weeks = max(len(ix.weeks), 1)
    caps = [v.max_minutes_per_week for v in ix.problem.volunteers]
    per_volunteer = np.array(
        [max(1, round((UNCAPPED_REFERENCE_MINUTES if cap is None else cap) / 4)) for cap in caps], dtype=np.int64
    )
    return SoftTerms(
        reward=reward,
        minutes=ix.shift_minutes[triples.shift].astype(np.int64),
        session=session.astype(np.int64),
        session_volunteer=volunteer,
        pair_first=order[:-1][same],
        pair_second=order[1:][same],
        slot=triples.volunteer * weeks + ix.shift_week[triples.shift],
        quarter=np.repeat(per_volunteer, weeks),
    )


def _groups(keys: IntArray) -> tuple[IntArray, list[int], list[int]]:
    """Order that sorts `keys`, with the [start, end) bounds of each run of equal keys."""
    order = np.argsort(keys, kind="stable")
    if len(keys) == 0:
        return order, [], []
    sorted_keys = keys[order]
    cut = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
    return order, [0, *cut.tolist()], [*cut.tolist(), len(keys)]


def _aggregate(rows: Rows, columns: Columns, index: list[int], value: list[float]) -> int:
    """A new integer column equal to sum(value * x[index]); -1 if the sum is empty."""
    if not index:
        return -1
    total = columns.add(0.0, float(sum(value)), True)
    rows.add([*index, total], [*value, -1.0], 0.0, 0.0)
    return total


def _role_rows(rows: Rows, columns: Columns, ix: ProblemIndex, triples: Pairs) -> dict[int, int]:
    """filled[r] = the volunteers in role r, an integer at most its `count`."""
    order, starts, ends = _groups(triples.role)
    roles = triples.role[order].tolist()
    idx = order.tolist()
    filled: dict[int, int] = {}
    for a, b in zip(starts, ends, strict=True):
        r = roles[a]
        f = filled[r] = columns.add(0.0, float(min(int(ix.role_count[r]), b - a)), True)
        rows.add([*idx[a:b], f], [1.0] * (b - a) + [-1.0], 0.0, 0.0)
    return filled


def _clique_rows(rows: Rows, ix: ProblemIndex, triples: Pairs) -> None:
    """One row per volunteer and shift start where the shifts running then overlap."""
    start = ix.shift_start[triples.shift]
    order = np.lexsort((triples.shift, start, triples.volunteer))
    vol = triples.volunteer[order].tolist()
    st = start[order].tolist()
    en = ix.shift_end[triples.shift][order].tolist()
    idx = order.tolist()
    n, i = len(idx), 0
    while i < n:
        v, j = vol[i], i
        active: list[int] = []  # positions (into idx) of triples running now
        while j < n and vol[j] == v:
            now = st[j]
            active = [k for k in active if en[k] > now]
            while j < n and vol[j] == v and st[j] == now:
                active.append(j)
                j += 1
            # The clique at `now` is maximal unless the next start keeps all of it.
            nxt = st[j] if j < n and vol[j] == v else None
            if len(active) > 1 and (nxt is None or min(en[k] for k in active) <= nxt):
                rows.add([idx[k] for k in active], [1.0] * len(active), -INF, 1.0)
        i = j


def _week_rows(rows: Rows, ix: ProblemIndex, triples: Pairs) -> None:
    """Per volunteer with a cap and ISO week: the minutes stay within the cap.

    Each such knapsack row comes with a cardinality row, the number of shifts that can
    fit at all (the shortest ones first): it holds for every plan and closes most of the
    gap between the relaxation and the integer optimum, which the knapsack alone leaves
    open (a 180-minute shift 2/3 taken under a 120-minute cap).
    """
    cap = ix.cap_seconds[triples.volunteer]
    capped = np.flatnonzero(cap >= 0)
    if len(capped) == 0:
        return
    weeks = max(len(ix.weeks), 1)
    keys = triples.volunteer[capped] * weeks + ix.shift_week[triples.shift[capped]]
    order, starts, ends = _groups(keys)
    idx = capped[order].tolist()
    shift = triples.shift.tolist()
    # in units of the largest common divisor (a minute, usually a quarter or half hour)
    unit = math.gcd(*ix.shift_seconds.tolist(), *cap[capped].tolist()) or 1
    seconds = (ix.shift_seconds // unit).tolist()
    caps = (cap // unit).tolist()
    for a, b in zip(starts, ends, strict=True):
        members = idx[a:b]
        limit = caps[members[0]]
        sizes = sorted(seconds[s] for s in {shift[t] for t in members})
        if sum(sizes) <= limit:
            continue  # even every eligible shift of that week fits under the cap
        rows.add(members, [float(seconds[shift[t]]) for t in members], -INF, float(limit))
        fit = sum(1 for total in itertools.accumulate(sizes) if total <= limit)
        rows.add(members, [1.0] * len(members), -INF, float(fit))
        # Two shifts that do not fit together under the cap exclude each other.  The
        # shifts longer than half the cap all exclude each other; each shorter one
        # excludes those long ones that it does not fit beside.  These cliques of the
        # cap's conflict graph close most of the soft goals' relaxation gap.
        size = {t: seconds[shift[t]] for t in members}
        big = [t for t in members if 2 * size[t] > limit]
        if len(big) > 1 and fit > 1:
            rows.add(big, [1.0] * len(big), -INF, 1.0)
        for t in members:
            if 2 * size[t] <= limit:
                against = [u for u in big if size[u] + size[t] > limit]
                if against:
                    rows.add([t, *against], [1.0] * (len(against) + 1), -INF, 1.0)


def placeable(ix: ProblemIndex, triples: Pairs) -> Pairs:
    """The triples whose shift alone fits in the volunteer's weekly cap (rule 10).

    The others can never be part of a plan; left in, they weaken the relaxation
    (a 180-minute shift taken 2/3 under a 120-minute cap).
    """
    cap = ix.cap_seconds[triples.volunteer]
    return triples.take((cap < 0) | (ix.shift_seconds[triples.shift] <= cap))


def _affinities(ix: ProblemIndex, triples: Pairs) -> tuple[IntArray, IntArray]:
    """Per triple: does the activity type suit the volunteer; does the role develop a goal."""
    problem = ix.problem
    types = {s.activity_type for s in problem.shifts}
    type_vocab = {t: i for i, t in enumerate(sorted(types))}
    goals = {g for s in problem.shifts for r in s.roles for g in r.develops}
    goal_vocab = {g: i for i, g in enumerate(sorted(goals))}
    prefers = word_bits([v.preferred_activity_types for v in problem.volunteers], type_vocab)
    is_type = word_bits([frozenset([s.activity_type]) for s in problem.shifts], type_vocab)
    wants = word_bits([v.learning_goals for v in problem.volunteers], goal_vocab)
    develops = word_bits([r.develops for s in problem.shifts for r in s.roles], goal_vocab)
    v, s, r = triples.volunteer, triples.shift, triples.role
    preference = np.any(prefers[v] & is_type[s], axis=1).astype(np.int64)
    employability = np.any(wants[v] & develops[r], axis=1).astype(np.int64)
    return preference, employability


def activities(ix: ProblemIndex) -> IntArray:
    """Per shift, the index of its activity."""
    names = {a: i for i, a in enumerate(sorted({s.activity for s in ix.problem.shifts}))}
    return np.array([names[s.activity] for s in ix.problem.shifts], dtype=np.int64)


def _continuity(rows: Rows, columns: Columns, ix: ProblemIndex, triples: Pairs) -> dict[int, float]:
    """Reward a volunteer taking two consecutive sessions of the same activity.

    For consecutive eligible sessions k and k+1 of one activity, z <= (roles taken in
    k) and z <= (roles taken in k + 1), so z is 1 exactly when both are taken.  This
    linearisation of a minimum is tight, unlike a "works in this activity at all"
    switch (sessions <= m * y), whose weak relaxation leaves the solver a large gap.
    """
    weight = float(SOFT_WEIGHTS["continuity"])
    activity = activities(ix)
    keys = triples.volunteer * (int(activity.max(initial=0)) + 1) + activity[triples.shift]
    order, starts, ends = _groups(keys)
    idx = order.tolist()
    shift = triples.shift.tolist()
    start = ix.shift_start.tolist()
    terms: dict[int, float] = {}
    for a, b in zip(starts, ends, strict=True):
        sessions: dict[int, list[int]] = {}
        for t in idx[a:b]:
            sessions.setdefault(shift[t], []).append(t)
        if len(sessions) < 2:
            continue
        ordered = sorted(sessions, key=lambda s: (start[s], s))
        for first, second in itertools.pairwise(ordered):
            z = columns.add(0.0, 1.0, False)
            for s in (first, second):
                rows.add([z, *sessions[s]], [1.0] + [-1.0] * len(sessions[s]), -INF, 0.0)
            terms[z] = weight
    return terms


def _fairness(rows: Rows, columns: Columns, ix: ProblemIndex, triples: Pairs) -> dict[int, float]:
    """A concave reward of each volunteer's minutes in each ISO week, against their cap."""
    weeks = max(len(ix.weeks), 1)
    order, starts, ends = _groups(triples.volunteer * weeks + ix.shift_week[triples.shift])
    idx = order.tolist()
    minutes = ix.shift_minutes[triples.shift].tolist()
    terms: dict[int, float] = {}
    for a, b in zip(starts, ends, strict=True):
        v = int(triples.volunteer[order[a]])
        cap = ix.problem.volunteers[v].max_minutes_per_week
        quarter = max(1, round((UNCAPPED_REFERENCE_MINUTES if cap is None else cap) / 4))
        pieces = [columns.add(0.0, float(quarter), False) for _ in FAIRNESS_SLOPES]
        terms.update(zip(pieces, map(float, FAIRNESS_SLOPES), strict=True))
        members = idx[a:b]
        rows.add([*pieces, *members], [1.0] * len(pieces) + [-float(minutes[t]) for t in members], -INF, 0.0)
    return terms
