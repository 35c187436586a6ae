"""Solving the goals of a `Formulation` one after the other (lexicographically).

For each goal in the contract's order we maximise it, then add rows that keep what was
reached (``goal >= value found``) before the next goal is optimised, warm-started from
the previous solution.  No weight ever trades a unit of a higher goal: the higher goal
is a constraint by the time a lower one is looked at.

Every goal takes integer values at integer points, so an absolute gap below 1 proves a
goal optimal; we set that tolerance explicitly (``mip_rel_gap = 0``,
``mip_abs_gap = 0.999``; CBC: ``ratio 0``, ``allow 0.999``).  A goal counts as
`optimal` only when the solver proved it; when the time limit stops the search we keep
the best solution found, report `feasible` and its relative gap, and still keep what
was reached before moving on.

The solvers themselves are in `backends`.
"""

from __future__ import annotations

import logging
import math
import time
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
from numpy.typing import NDArray

from matching.backends import Attempt, CbcBackend, HighsBackend
from matching.formulation import FAIRNESS_SLOPES, INF, SOFT_WEIGHTS, Columns, Formulation, Goal, Linear, Rows
from matching.model import SolverError, TierResult

FloatArray = NDArray[np.float64]
log = logging.getLogger(__name__)
TierStatus = Literal["optimal", "feasible", "skipped"]


class Backend(Protocol):
    def add_columns(self, columns: Columns, first: int) -> None: ...

    def add_rows(self, rows: Rows) -> None: ...

    def maximise(self, goal: Linear, seconds: float | None, warm: FloatArray | None) -> Attempt: ...

    def keep(self, goal: Linear, value: float) -> None: ...


@dataclass(frozen=True)
class Outcome:
    """The chosen triples and how each goal was solved."""

    chosen: NDArray[np.bool_]
    tiers: tuple[TierResult, ...]
    variables: int
    constraints: int


def run_goals(
    form: Formulation, solver: str, deadline: float | None, start: NDArray[np.bool_] | None = None
) -> Outcome:
    """Optimise the goals of `form` in order, within `deadline` (a perf_counter time),
    starting from the chosen triples `start` (which must keep every hard rule)."""
    backend: Backend
    if solver == "highs":
        backend = HighsBackend(form.columns, form.rows)
    elif solver == "cbc":
        backend = CbcBackend(form.columns, form.rows)
    else:
        raise SolverError(f"unknown solver {solver!r}: expected 'highs' or 'cbc'")
    values: FloatArray | None = None
    if start is not None:
        values = _extend(start.astype(np.float64), form.rows, form.n_triples, form.columns)
    tiers: list[TierResult] = []
    rows = len(form.rows)
    for k, item in enumerate(form.goals):
        started = time.perf_counter()
        goals_left = len(form.goals) - k
        split: SoftOutcome | None = None
        if not isinstance(item, Goal):
            if deadline is not None and values is not None and len(form.columns) > SOFT_MAX_COLUMNS:
                # Too big for the soft goals within a time limit (see SOFT_MAX_COLUMNS).
                tiers.append(TierResult("soft", "skipped", 0.0, math.inf, 1.0, 0.0))
                continue
            # With a time limit, a plan for the soft goals part by part first (fast, and
            # good); the one model after it only if time is left.  Without one, the one
            # model proves the optimum.  Setting up the parts costs about what the hard
            # rules cost to build: with less than three times that left, no soft goals.
            left = None if deadline is None else deadline - time.perf_counter()
            if (
                solver == "highs"
                and left is not None
                and values is not None
                and form.soft_terms is not None
                and left >= 3 * form.build_seconds + 0.25
            ):
                split = _soft_by_component(form, values, deadline)
                values = _extend(split.chosen.astype(np.float64), form.rows, form.n_triples, form.columns)
                if split.proven or (deadline is not None and split.gap <= SOFT_GAP):
                    tiers.append(
                        TierResult(
                            "soft",
                            "optimal" if split.proven else "feasible",
                            split.value,
                            math.floor(split.bound + 1e-9) if split.proven else split.bound,
                            split.gap,
                            time.perf_counter() - started,
                        )
                    )
                    continue
            # Building the soft goals as one model costs about what the hard rules cost
            # again; skip them rather than overrun the time limit.
            left = None if deadline is None else deadline - time.perf_counter()
            if left is not None and values is not None and left < 3 * form.build_seconds + 0.25:
                if split is not None:
                    tiers.append(
                        TierResult(
                            "soft", "feasible", split.value, split.bound, split.gap, time.perf_counter() - started
                        )
                    )
                else:
                    tiers.append(TierResult("soft", "skipped", 0.0, math.inf, 1.0, 0.0))
                continue
            known = len(form.columns)
            item = item()
            backend.add_columns(form.columns, known)
            if values is not None:
                values = _extend(values, item.rows, known, form.columns)
        goal = item
        if not len(goal.objective):
            tiers += [TierResult(name, "optimal", 0, 0, 0.0, 0.0) for name, _, _ in goal.parts]
            continue
        seconds = _share(deadline, goals_left)
        if seconds is not None and seconds < 0.05 and values is not None:
            tiers += [TierResult(name, "skipped", expr.at(values), math.inf, 1.0, 0.0) for name, expr, _ in goal.parts]
            continue
        backend.add_rows(goal.rows)
        rows += len(goal.rows)
        if k == 0 and solver == "highs":
            attempt = _by_component(form, goal.objective, seconds, values)
        else:
            attempt = backend.maximise(goal.objective, seconds, values)
        attempt = Attempt(
            attempt.proven,
            attempt.values,
            min(
                attempt.bound,
                _trivial_bound(goal.objective, form.columns),
                split.bound if split is not None else math.inf,
            ),
        )
        if attempt.values is not None:
            values = attempt.values
        current = values if values is not None else _pins_only(form)
        tiers += _results(goal, attempt, current, time.perf_counter() - started)
        if goals_left > 1:
            # One row per contract goal, not one for the weighted sum: the relaxation of
            # a single row could trade a fraction of coverage for a lot of stability.
            for _, expr, _ in goal.parts:
                if len(expr):
                    backend.keep(expr, math.floor(expr.at(current) + 1e-6))
                    rows += 1
    final = values if values is not None else _pins_only(form)
    return Outcome(
        chosen=final[: form.n_triples] > 0.5, tiers=tuple(tiers), variables=len(form.columns), constraints=rows
    )


FIRST_ROUNDS = 15  # subgradient rounds before the Lagrangian plan (at most; while time allows)
BOUND_ROUNDS = 40  # most rounds after it
FIRST_STEP = 0.25  # the Lagrangian prices' first step, as a share of a pair's points
# With a time limit, the soft goals are skipped (their gap reported as 1) above this many
# columns of the hard model: at 10,000 x 5,000 (2.4 million) setting up their weeks'
# models took 107 s and 8.6 GB on top of the hard rules' 27 s and overran both the
# 120 s and the 8 GB budget; at 2,000 x 1,000 (119,000) they take 4 s.
SOFT_MAX_COLUMNS = 1_000_000
SOFT_THREADS = 2  # the weeks' soft-goal models solved side by side (the machine has 2 cores)
SOFT_GAP = 0.01  # with a time limit, the soft goals may stop within 1 % of their bound


@dataclass(frozen=True)
class SoftOutcome:
    """The soft goals solved part by part: the best plan found and a bound on them."""

    chosen: NDArray[np.bool_]
    value: float
    bound: float

    @property
    def proven(self) -> bool:
        return math.isfinite(self.bound) and self.value >= math.floor(self.bound + 1e-9) - 1e-6

    @property
    def gap(self) -> float:
        return 0.0 if self.proven else _gap(self.value, self.bound)


@dataclass
class _Part:
    """One independent part of the hard rules' model, with the soft goals' links inside it."""

    label: int
    columns: NDArray[np.int64]  # its columns of the hard model
    backend: HighsBackend
    triples: NDArray[np.int64]  # local positions of its triples
    pairs: NDArray[np.int64]  # continuity pairs inside it, each with a local column
    pair_columns: NDArray[np.int64]
    slots: NDArray[np.int64]  # (volunteer, week) with a triple in it; each has len(FAIRNESS_SLOPES) pieces
    pieces: NDArray[np.int64]  # local columns, slot by slot


def _soft_by_component(form: Formulation, start: FloatArray, deadline: float | None) -> SoftOutcome:
    """`_soft_parts` with SOFT_THREADS threads for the parts (HiGHS lets go of Python's
    lock while it solves)."""
    with ThreadPoolExecutor(max_workers=SOFT_THREADS, thread_name_prefix="matching") as pool:
        return _soft_parts(form, start, deadline, pool)


def _soft_parts(form: Formulation, start: FloatArray, deadline: float | None, pool: Executor) -> SoftOutcome:
    """The soft goals over the plans that keep coverage and stability, part by part.

    Fairness is measured per volunteer and ISO week, so it lies inside one part (a week,
    or weeks that a row spanning Monday midnight joins); continuity pairs of
    consecutive sessions in different parts are all that tie the parts together.

    Bound: Lagrangian relaxation of the pairs across parts.  For any u in [0, 900],
    900 * min(a, b) <= u * a + (900 - u) * b for sessions a and b taken (1) or not (0);
    with these prices the parts are independent and the sum of their relaxations'
    bounds (each from its duals, see `HighsBackend`) bounds the soft goals.  The prices
    are improved by subgradient steps, one step length per price, while time allows;
    the best bound of all rounds counts.  Its limit is the bound of the soft goals'
    whole LP relaxation (which as one LP takes several times longer).

    Plan: at the best prices so far each part's own best plan (the parts' plans then
    mostly agree on the pairs across them), then block ascent: each part in turn is
    optimised with the rest of the plan fixed, with the exact soft goals (a pair across
    parts is 900 for the session whose partner is taken).  Ascent only ever improves.

    Time: the bound's rounds until 40 % of the time, the Lagrangian plan until 65 %,
    ascent until 95 % (or until a sweep gains less than 0.01 %), then more rounds.  It
    stops early once the plan is within SOFT_GAP of the bound.  The parts' models are
    solved two at a time (SOFT_THREADS): HiGHS lets go of Python's lock while it runs.

    Coverage and stability are kept part by part: that is the same as keeping their
    totals once they are proven, because each part is then at its own optimum.
    """
    terms = form.soft_terms
    assert terms is not None and form.coverage is not None and form.stability is not None
    started = time.perf_counter()
    n_triples = form.n_triples
    part = components(form)
    labels = sorted(set(part[part >= 0].tolist()))
    rows = form.rows.arrays()
    row_part = part[rows.index[rows.start[:-1]]] if len(rows) else np.zeros(0, dtype=np.int64)
    n = len(form.columns)
    lower, upper = np.array(form.columns.lower), np.array(form.columns.upper)
    integer = np.array(form.columns.integer, dtype=bool)
    n_sessions = len(terms.session_volunteer)
    session_part = np.full(n_sessions, -1, dtype=np.int64)
    session_part[terms.session] = part[:n_triples]
    inside = session_part[terms.pair_first] == session_part[terms.pair_second]
    by_session = np.argsort(terms.session, kind="stable")
    session_start = np.searchsorted(terms.session[by_session], np.arange(n_sessions + 1))
    slopes = np.array(FAIRNESS_SLOPES, dtype=np.float64)
    n_slopes = len(FAIRNESS_SLOPES)
    weight = float(SOFT_WEIGHTS["continuity"])

    def members(session: int) -> NDArray[np.int64]:
        return by_session[session_start[session] : session_start[session + 1]]

    parts: list[_Part] = []
    for label in labels:
        cols = np.flatnonzero(part == label)
        local = np.full(n, -1, dtype=np.int64)
        local[cols] = np.arange(len(cols))
        sub_columns = Columns(lower[cols].tolist(), upper[cols].tolist(), integer[cols].tolist())
        extra = Rows()
        for goal in (form.coverage, form.stability):
            mine = part[goal.index] == label
            if mine.any():
                reached = math.floor(float(start[goal.index[mine]] @ goal.value[mine]) + 1e-6)
                extra.add(local[goal.index[mine]].tolist(), goal.value[mine].tolist(), reached, INF)
        pairs = np.flatnonzero(inside & (session_part[terms.pair_first] == label))
        pair_columns = np.zeros(len(pairs), dtype=np.int64)
        for k, p in enumerate(pairs.tolist()):
            z = pair_columns[k] = sub_columns.add(0.0, 1.0, False)
            for session in (terms.pair_first[p], terms.pair_second[p]):
                mates = local[members(int(session))].tolist()
                extra.add([z, *mates], [1.0] + [-1.0] * len(mates), -INF, 0.0)
        triples = np.flatnonzero(cols < n_triples)
        order = triples[np.argsort(terms.slot[cols[triples]], kind="stable")]
        slots, first = np.unique(terms.slot[cols[order]], return_index=True)
        bounds = [*first.tolist(), len(order)]
        pieces = np.array(
            [sub_columns.add(0.0, float(q), False) for q in np.repeat(terms.quarter[slots], n_slopes).tolist()],
            dtype=np.int64,
        )
        minutes = terms.minutes[cols[order]].astype(np.float64)
        for k in range(len(slots)):
            a, b = bounds[k], bounds[k + 1]
            extra.add(
                [*pieces[k * n_slopes : (k + 1) * n_slopes].tolist(), *order[a:b].tolist()],
                [1.0] * n_slopes + (-minutes[a:b]).tolist(),
                -INF,
                0.0,
            )
        backend = HighsBackend(sub_columns, rows.take(np.flatnonzero(row_part == label), cols, n))
        backend.add_rows(extra)
        parts.append(_Part(label, cols, backend, triples, pairs, pair_columns, slots, pieces))

    cross = np.flatnonzero(~inside)
    first_s, second_s = terms.pair_first[cross], terms.pair_second[cross]
    # Ascent solves two parts side by side: weeks 1 and 3, then 2 and 4 and so on.  They
    # share only the pairs of someone who cannot take the session of the week between;
    # each part's plan is then accepted only if it improves the whole plan as it is by
    # then, so ascent still only ever improves.
    colours = [list(range(len(parts)))[c::2] for c in range(min(2, len(parts)))]
    exact = [math.inf]  # with a single part its model is the whole soft problem: a bound
    known = [math.inf]  # the best bound so far
    total_time = None if deadline is None else deadline - started

    def until(fraction: float) -> float | None:
        return None if total_time is None else started + fraction * total_time

    def base_cost(item: _Part, credit: FloatArray) -> FloatArray:
        """The part's soft objective, with `credit` per session for pairs across parts."""
        mine = item.columns[item.triples]
        cost = np.zeros(len(item.backend.col_lower))
        cost[item.triples] = terms.reward[mine] + credit[terms.session[mine]]
        cost[item.pair_columns] = weight
        cost[item.pieces] = np.tile(slopes, len(item.slots))
        return cost

    def solve_part(
        item: _Part,
        cost: FloatArray,
        chosen: NDArray[np.bool_],
        full: FloatArray,
        stop: float | None,
        left: int,
        relaxed: tuple[FloatArray, float] | None = None,
    ) -> Attempt:
        """The part's best plan for `cost`, from the plan `chosen` (`full`: its columns)."""
        taken = terms.taken(chosen)
        warm = np.zeros(len(cost))
        warm[: len(item.columns)] = full[item.columns]
        warm[item.pair_columns] = taken[terms.pair_first[item.pairs]] & taken[terms.pair_second[item.pairs]]
        load = terms.loads(chosen)[item.slots]
        quarter = terms.quarter[item.slots].astype(np.float64)
        fill = np.zeros((len(item.slots), n_slopes))
        for i in range(n_slopes):
            fill[:, i] = np.minimum(quarter, load)
            load = load - fill[:, i]
        warm[item.pieces] = fill.ravel()
        nonzero = np.flatnonzero(cost)
        seconds = None if stop is None else max(0.0, stop - time.perf_counter()) / left
        attempt = item.backend.maximise(
            Linear(nonzero.astype(np.int32), cost[nonzero]),
            seconds,
            warm,
            SOFT_GAP / 4,
            search=False,
            tight_first=True,
            relaxed=relaxed,
        )
        if len(parts) == 1:
            exact[0] = min(exact[0], attempt.bound)
        return attempt

    def partner_reward(item: _Part, taken: NDArray[np.bool_]) -> FloatArray:
        """Per session: 900 for each pair across parts whose other session is taken."""
        reward = np.zeros(n_sessions)
        here = session_part[first_s] == item.label
        np.add.at(reward, first_s[here], weight * taken[second_s[here]])
        here = session_part[second_s] == item.label
        np.add.at(reward, second_s[here], weight * taken[first_s[here]])
        return reward

    def ascent(
        chosen: NDArray[np.bool_], full: FloatArray, stop: float | None
    ) -> tuple[NDArray[np.bool_], float, FloatArray]:
        """Block ascent from `chosen`: each part in turn, the rest fixed, with the exact
        goals (a pair across parts: 900 for the session whose partner is taken)."""
        value = terms.value(chosen)
        for _ in range(5):
            before = value
            for c, group in enumerate(colours):
                if stop is not None and time.perf_counter() >= stop:
                    return chosen, value, full
                if _gap(value, known[0]) <= SOFT_GAP:
                    return chosen, value, full  # close enough to the bound
                taken, left = terms.taken(chosen), len(colours) - c
                attempts = list(
                    pool.map(
                        lambda k, chosen=chosen, full=full, taken=taken, left=left: solve_part(
                            parts[k], base_cost(parts[k], partner_reward(parts[k], taken)), chosen, full, stop, left
                        ),
                        group,
                    )
                )
                for k, attempt in zip(group, attempts, strict=True):
                    item = parts[k]
                    log.debug("soft goals: ascent, part %d: plan %.0f, part's bound %.0f", k, value, attempt.bound)
                    if attempt.values is not None:
                        candidate = chosen.copy()
                        candidate[item.columns[item.triples]] = attempt.values[item.triples] > 0.5
                        found = terms.value(candidate)
                        if found > value:
                            chosen, value, full = candidate, found, full.copy()
                            full[item.columns] = attempt.values[: len(item.columns)]
            if value - before <= 1e-4 * max(value, 1.0):
                break
        return chosen, value, full

    def dual(price: FloatArray, stop: float | None) -> tuple[float, FloatArray, list[tuple[FloatArray, float]]] | None:
        """The Lagrangian bound for these prices, each session's level in the parts'
        relaxations, and those relaxations."""
        credit = np.zeros(n_sessions)
        np.add.at(credit, first_s, price)
        np.add.at(credit, second_s, weight - price)
        total, level, solutions = 0.0, np.zeros(n_sessions), []
        found = list(pool.map(lambda item: _part_relaxation(item, base_cost(item, credit), stop), parts))
        for item, relaxed in zip(parts, found, strict=True):
            if relaxed is None:
                return None
            total += relaxed[1]
            solutions.append(relaxed)
            mine = item.columns[item.triples]
            np.add.at(level, terms.session[mine], relaxed[0][item.triples])
        return total, level, solutions

    best = start[:n_triples] > 0.5
    best_value = terms.value(best)
    full_warm = _extend(best.astype(np.float64), form.rows, n_triples, form.columns)
    if len(parts) == 1 or not len(cross):
        # nothing ties the parts: block ascent is one pass, and their bounds add up
        best, best_value, full_warm = ascent(best, full_warm, deadline)
        if len(parts) == 1:
            return SoftOutcome(best, best_value, exact[0])
        found = dual(np.zeros(0), deadline)
        return SoftOutcome(best, best_value, found[0] if found is not None else math.inf)

    # The bound, from prices of half a pair on each side; the best of all rounds counts.
    price = np.full(len(cross), weight / 2)
    bound, best_price = math.inf, price
    best_relaxed: list[tuple[FloatArray, float]] = []
    steps = np.full(len(cross), weight * FIRST_STEP)
    last_sign = np.zeros(len(cross))

    def tighten(rounds: int, stop: float | None, planned: bool) -> None:
        nonlocal price, bound, best_price, best_relaxed
        for _ in range(rounds):
            if stop is not None and time.perf_counter() >= stop:
                return
            found = dual(price, deadline)
            if found is None:
                return
            total, level, solutions = found
            log.debug("soft goals: Lagrangian bound %.0f, plan %.0f", total, best_value)
            if total < bound:
                bound, best_price, best_relaxed = total, price, solutions
                known[0] = bound
            if best_value >= math.floor(bound + 1e-9) - 1e-6 or (planned and _gap(best_value, bound) <= SOFT_GAP):
                return
            # The dual function's subgradient in a pair's price is the first session's
            # level minus the second's: the price moves to the side taken less.  Each
            # price has its own step (as in Rprop): 1.2 times longer while its
            # subgradient keeps its sign, half as long when the sign flips.
            slope = level[first_s] - level[second_s]
            sign = np.sign(np.where(np.abs(slope) < 1e-6, 0.0, slope))
            if not sign.any():
                return  # the relaxations agree on every pair: the bound is the relaxation's
            flip = sign * last_sign < 0
            steps[flip] *= 0.5
            steps[sign * last_sign > 0] *= 1.2
            np.clip(steps, 1.0, weight / 2, out=steps)
            last_sign[:] = np.where(flip, 0.0, sign)
            price = np.clip(price - steps * sign, 0.0, weight)

    tighten(FIRST_ROUNDS, until(0.4), planned=False)
    # A Lagrangian plan: each part's best plan at the best prices (the parts mostly
    # agree on the sessions of pairs across them there), then block ascent from it.
    if math.isfinite(bound):
        credit = np.zeros(n_sessions)
        np.add.at(credit, first_s, best_price)
        np.add.at(credit, second_s, weight - best_price)
        chosen, full = best.copy(), full_warm.copy()
        stop = until(0.65)
        # the relaxations at these prices are known: only their rounding is left to do
        rounded = pool.map(
            lambda k: solve_part(
                parts[k], base_cost(parts[k], credit), best, full_warm, stop, len(colours), best_relaxed[k]
            ),
            range(len(parts)),
        )
        for item, attempt in zip(parts, rounded, strict=True):
            if attempt.values is not None:
                chosen[item.columns[item.triples]] = attempt.values[item.triples] > 0.5
                full[item.columns] = attempt.values[: len(item.columns)]
        log.debug("soft goals: Lagrangian plan before ascent %.0f", terms.value(chosen))
        chosen, value, full = ascent(chosen, full, until(0.95))
        log.debug("soft goals: Lagrangian plan %.0f, against %.0f", value, best_value)
        if value > best_value:
            best, best_value, full_warm = chosen, value, full
    if _gap(best_value, bound) > SOFT_GAP:
        tighten(BOUND_ROUNDS, deadline, planned=True)
    return SoftOutcome(best, best_value, min(bound, exact[0]))


def _part_relaxation(item: _Part, cost: FloatArray, deadline: float | None) -> tuple[FloatArray, float] | None:
    backend = item.backend
    backend.h.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost)
    return backend._relaxation(cost, deadline)


def components(form: Formulation) -> NDArray[np.int64]:
    """Per column, its independent part of the hard rules' model (-1: in no row).

    Columns of one ISO week are one part (weekly caps tie a volunteer's shifts within a
    week, not across); a row that spans weeks (two shifts overlapping Monday midnight)
    joins them.  Parts are solved one by one for the first goal: their sum is
    optimal when each part is, and small problems are solved much faster than one big
    one.
    """
    ix_week = form.triple_week
    labels = np.full(len(form.columns), -1, dtype=np.int64)
    labels[: form.n_triples] = ix_week
    rows = form.rows
    if not len(rows):
        return labels
    start = np.array(rows.start, dtype=np.int64)
    index = np.array(rows.index, dtype=np.int64)
    lengths = np.diff(start)
    row_of = np.repeat(np.arange(len(rows)), lengths)
    first = labels[index[start[:-1]]]  # every row starts with a triple's column
    missing = labels[index] < 0
    labels[index[missing]] = first[row_of[missing]]
    entry = labels[index]
    low = np.minimum.reduceat(entry, start[:-1])
    high = np.maximum.reduceat(entry, start[:-1])
    parent = list(range(int(labels.max(initial=0)) + 1))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for r in np.flatnonzero(low != high).tolist():
        root = find(int(low[r]))
        for label in set(entry[start[r] : start[r + 1]].tolist()):
            parent[find(label)] = root
    roots = np.array([find(a) for a in range(len(parent))], dtype=np.int64)
    return np.where(labels >= 0, roots[np.maximum(labels, 0)], -1)


def _by_component(form: Formulation, goal: Linear, seconds: float | None, warm: FloatArray | None) -> Attempt:
    """Maximise `goal` over the hard rules' model, one independent part at a time."""
    part = components(form)
    labels = sorted(set(part[part >= 0].tolist()))
    rows = form.rows.arrays()
    row_part = part[rows.index[rows.start[:-1]]] if len(rows) else np.zeros(0, dtype=np.int64)
    n = len(form.columns)
    values = np.zeros(n) if warm is None else warm.copy()
    cost = np.zeros(n)
    cost[goal.index] = goal.value
    lower, upper = np.array(form.columns.lower), np.array(form.columns.upper)
    integer = np.array(form.columns.integer, dtype=bool)
    deadline = None if seconds is None else time.perf_counter() + seconds
    proven, bound, found = True, 0.0, True
    for k, label in enumerate(labels):
        cols = np.flatnonzero(part == label)
        sub_columns = Columns(lower[cols].tolist(), upper[cols].tolist(), integer[cols].tolist())
        sub_rows = rows.take(np.flatnonzero(row_part == label), cols, n)
        sub_goal = Linear(np.flatnonzero(cost[cols]).astype(np.int32), cost[cols][cost[cols] != 0])
        left = None if deadline is None else max(0.0, deadline - time.perf_counter()) / (len(labels) - k)
        attempt = HighsBackend(sub_columns, sub_rows).maximise(
            sub_goal, left, values[cols] if warm is not None else None
        )
        proven = proven and attempt.proven
        if attempt.values is not None:
            values[cols] = attempt.values
        else:
            found = found and warm is not None
        bound += min(attempt.bound, _trivial_bound(sub_goal, sub_columns))
    return Attempt(proven=proven and found, values=values if found else None, bound=bound)


def _trivial_bound(goal: Linear, columns: Columns) -> float:
    """A bound that needs no solver: every column at its most favourable bound."""
    upper = np.array(columns.upper)[goal.index]
    lower = np.array(columns.lower)[goal.index]
    return float(np.where(goal.value > 0, goal.value * upper, goal.value * lower).sum())


def _pins_only(form: Formulation) -> FloatArray:
    """A plan that always keeps every rule: the pins alone (a plan, not a warm start)."""
    values = np.zeros(len(form.columns))
    values[form.pinned] = 1.0
    return values


def _extend(values: FloatArray, rows: Rows, known: int, columns: Columns) -> FloatArray:
    """The previous solution with values for new columns that keep the new rows.

    An aggregate (``sum - total == 0``) gets its sum; the other new columns are raised,
    in column order, as far as their bounds and every row they appear in allow.  For
    the soft goals that is exactly their value for the previous assignments (a
    continuity pair is 1 when both sessions are taken; fairness fills the steepest
    quarter first), so the soft goals start from a true, rule-keeping solution.
    """
    out = np.zeros(len(columns))
    out[:known] = values[:known]
    if not len(rows):
        return out
    a = rows.arrays()
    row_of = a.row_of()
    old_entry = a.index < known
    old = np.bincount(row_of[old_entry], weights=a.value[old_entry] * out[a.index[old_entry]], minlength=len(a))
    equal = a.lower == a.upper
    last = a.start[1:] - 1
    aggregate = equal & (a.lower == 0.0) & (np.diff(a.start) > 0)
    aggregate[aggregate] = (a.index[last[aggregate]] >= known) & (a.value[last[aggregate]] == -1.0)
    out[a.index[last[aggregate]]] = old[aggregate]
    slack = (a.upper - old).tolist()
    # the columns still to set, in column order, with the rows (not equalities) they are in
    new_entry = np.flatnonzero((a.index >= known) & ~equal[row_of])
    new_entry = new_entry[np.lexsort((row_of[new_entry], a.index[new_entry]))]
    entry_col = a.index[new_entry].tolist()
    entry_row = row_of[new_entry].tolist()
    entry_coef = a.value[new_entry].tolist()
    upper = columns.upper
    i, m = 0, len(entry_col)
    while i < m:
        j, k = entry_col[i], i
        while k < m and entry_col[k] == j:
            k += 1
        room = min((slack[entry_row[e]] / entry_coef[e] for e in range(i, k) if entry_coef[e] > 0), default=0.0)
        out[j] = level = max(0.0, min(room, upper[j]))
        for e in range(i, k):
            slack[entry_row[e]] -= entry_coef[e] * level
        i = k
    return out


def _results(goal: Goal, attempt: Attempt, values: FloatArray, seconds: float) -> list[TierResult]:
    """One result per contract goal in `goal`, each with its own bound and gap."""
    bound = goal.objective.at(values) if attempt.proven else attempt.bound
    out: list[TierResult] = []
    settled = True  # every earlier part is proven optimal
    for name, expr, weight in goal.parts:
        value = expr.at(values)
        # Later parts stay below `weight` (that is how the weights were chosen), so the
        # bound on the total bounds this part once the parts before it are fixed.
        part_bound = math.floor(bound / weight + 1e-9) if math.isfinite(bound) and settled else math.inf
        proven = attempt.proven or (settled and value >= part_bound)
        shown = value if proven else part_bound
        gap = 0.0 if proven else _gap(value, shown)
        out.append(TierResult(name, "optimal" if proven else "feasible", value, shown, gap, seconds))
        if math.isfinite(bound):
            bound -= value * weight
        settled = settled and proven
    return out


def _share(deadline: float | None, goals_left: int) -> float | None:
    """The seconds the next goal may use: nearly all for coverage and stability, which
    matter most (they usually need far less); the soft goals get what they leave."""
    if deadline is None:
        return None
    left = deadline - time.perf_counter()
    return max(0.0, left * {1: 1.0, 2: 0.9}.get(goals_left, 0.5))


def _gap(value: float, bound: float) -> float:
    if not math.isfinite(bound):
        return 1.0
    return max(0.0, bound - value) / max(abs(value), 1.0)
