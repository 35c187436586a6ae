"""The hard rules 1–7 of the contract, in one place, evaluated on arrays.

A `ProblemIndex` turns a problem into numpy arrays once: volunteers' skills and
languages as bit masks, availability windows sorted per volunteer, shifts' local dates,
ISO weeks and minors' hour limits.  Every rule is then a vectorised test over pairs of
(volunteer, role) indices.  `solve` (through `eligible_triples`), `check`, `why_not`
and the shortage explanations all ask these same functions, so the rules are written
exactly once.

Finding the candidates is done by indexing, not by testing every volunteer against
every role: each availability window is looked up in the shifts sorted by start, which
yields only the (volunteer, shift) pairs whose times can fit, and the remaining rules
filter those pairs as whole arrays.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from matching.model import Problem

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CHUNK = 1_000_000  # candidate pairs filtered at a time, to bound memory


def _seconds(moment: datetime) -> int:
    return int((moment - _EPOCH).total_seconds())


def word_bits(sets: Sequence[frozenset[str]], vocabulary: dict[str, int]) -> NDArray[np.uint64]:
    """One row of 64-bit words per set, with a bit per word of the vocabulary it holds."""
    words = max(1, (len(vocabulary) + 63) // 64)
    out = np.zeros((len(sets), words), dtype=np.uint64)
    for row, items in enumerate(sets):
        for item in items:
            bit = vocabulary.get(item)
            if bit is not None:
                out[row, bit // 64] |= np.uint64(1 << (bit % 64))
    return out


@dataclass(frozen=True, eq=False)
class ProblemIndex:
    """A problem as arrays; build one with `index_for(problem)`."""

    problem: Problem
    volunteer_pos: dict[str, int]
    shift_pos: dict[str, int]
    role_pos: dict[tuple[str, str], int]
    # volunteers
    birth_year: IntArray
    birth_md: IntArray  # month * 100 + day
    has_birth: BoolArray
    check_day: IntArray  # date ordinal of the background check
    has_check: BoolArray
    cap_seconds: IntArray  # -1: no cap
    skill_bits: NDArray[np.uint64]
    language_bits: NDArray[np.uint64]
    window_start: IntArray  # availability windows, sorted by (volunteer, start)
    window_end: IntArray
    window_volunteer: IntArray
    window_key: IntArray  # volunteer * span + start - origin
    window_reach: IntArray  # running max of volunteer * span + end - origin
    origin: int
    span: int
    # shifts
    shift_start: IntArray
    shift_end: IntArray
    shift_seconds: IntArray
    shift_minutes: IntArray
    shift_day: IntArray  # local date ordinal of the start
    shift_year: IntArray
    shift_md: IntArray
    shift_week: IntArray  # index into `weeks`
    weeks: tuple[tuple[int, int], ...]  # (ISO year, ISO week)
    shift_children: BoolArray
    shift_fits_under_16: BoolArray
    shift_fits_16_17: BoolArray
    shift_first_role: IntArray  # roles of shift s are first_role[s] .. first_role[s + 1]
    # roles, flattened over shifts
    role_shift: IntArray
    role_count: IntArray
    role_priority: IntArray
    role_min_age: IntArray  # -1: none
    role_skill_bits: NDArray[np.uint64]
    role_language_bits: NDArray[np.uint64]
    excluded_keys: IntArray  # sorted volunteer * n_shifts + shift

    @property
    def n_volunteers(self) -> int:
        return len(self.problem.volunteers)

    @property
    def n_shifts(self) -> int:
        return len(self.problem.shifts)

    @property
    def n_roles(self) -> int:
        return len(self.role_shift)


_CACHE: weakref.WeakKeyDictionary[Problem, ProblemIndex] = weakref.WeakKeyDictionary()


def index_for(problem: Problem) -> ProblemIndex:
    """The (cached) array form of a problem."""
    found = _CACHE.get(problem)
    if found is None:
        found = _CACHE[problem] = _build_index(problem)
    return found


def _build_index(problem: Problem) -> ProblemIndex:
    zone = problem.zone
    vols, shifts = problem.volunteers, problem.shifts
    skill_words = sorted({s for sh in shifts for r in sh.roles for s in r.skills})
    language_words = sorted({lang for sh in shifts for r in sh.roles for lang in r.languages})
    skill_vocab = {w: i for i, w in enumerate(skill_words)}
    language_vocab = {w: i for i, w in enumerate(language_words)}

    windows = [(i, _seconds(a), _seconds(b)) for i, v in enumerate(vols) for a, b in v.availability]
    starts = [_seconds(s.start) for s in shifts]
    ends = [_seconds(s.end) for s in shifts]
    moments = [t for _, a, b in windows for t in (a, b)] + starts + ends
    origin = min(moments, default=0)
    span = max(moments, default=0) - origin + 1
    if span * (len(vols) + 1) >= 2**62:
        raise OverflowError("the problem spans too long a time to index")
    w_vol = np.array([w[0] for w in windows], dtype=np.int64)
    w_start = np.array([w[1] for w in windows], dtype=np.int64)
    w_end = np.array([w[2] for w in windows], dtype=np.int64)
    order = np.lexsort((w_start, w_vol))
    w_vol, w_start, w_end = w_vol[order], w_start[order], w_end[order]
    key = w_vol * span + (w_start - origin)
    # Windows of later volunteers always have larger keys, so a running max stays
    # within each volunteer: reach[i] is the latest end among that volunteer's
    # windows that start at or before window i.
    reach = np.maximum.accumulate(w_vol * span + (w_end - origin)) if len(key) else key

    local_starts = [s.start.astimezone(zone) for s in shifts]
    local_ends = [s.end.astimezone(zone) for s in shifts]
    week_of = [ls.isocalendar()[:2] for ls in local_starts]
    weeks = tuple(sorted(set(week_of)))
    week_pos = {w: i for i, w in enumerate(weeks)}

    def fits(limit: time) -> BoolArray:
        return np.array(
            [
                ls.date() == le.date() and ls.time() >= time(6) and le.time() <= limit
                for ls, le in zip(local_starts, local_ends, strict=True)
            ],
            dtype=bool,
        )

    roles = [(si, r) for si, s in enumerate(shifts) for r in s.roles]
    first_role = np.zeros(len(shifts) + 1, dtype=np.int64)
    first_role[1:] = np.cumsum([len(s.roles) for s in shifts])
    vpos = {v.id: i for i, v in enumerate(vols)}
    spos = {s.id: i for i, s in enumerate(shifts)}
    excluded = sorted({vpos[e.volunteer] * len(shifts) + spos[e.shift] for e in problem.excluded})
    return ProblemIndex(
        problem=problem,
        volunteer_pos=vpos,
        shift_pos=spos,
        role_pos={(shifts[si].id, r.role): k for k, (si, r) in enumerate(roles)},
        birth_year=np.array([v.birth_date.year if v.birth_date else 0 for v in vols], np.int64),
        birth_md=np.array([v.birth_date.month * 100 + v.birth_date.day if v.birth_date else 0 for v in vols], np.int64),
        has_birth=np.array([v.birth_date is not None for v in vols], dtype=bool),
        check_day=np.array([v.background_check.toordinal() if v.background_check else 0 for v in vols], np.int64),
        has_check=np.array([v.background_check is not None for v in vols], dtype=bool),
        cap_seconds=np.array(
            [-1 if v.max_minutes_per_week is None else v.max_minutes_per_week * 60 for v in vols], np.int64
        ),
        skill_bits=word_bits([v.skills for v in vols], skill_vocab),
        language_bits=word_bits([v.languages for v in vols], language_vocab),
        window_start=w_start,
        window_end=w_end,
        window_volunteer=w_vol,
        window_key=key,
        window_reach=reach,
        origin=origin,
        span=span,
        shift_start=np.array(starts, np.int64),
        shift_end=np.array(ends, np.int64),
        shift_seconds=np.array(ends, np.int64) - np.array(starts, np.int64),
        shift_minutes=np.array([round((e - s) / 60) for s, e in zip(starts, ends, strict=True)], np.int64),
        shift_day=np.array([ls.date().toordinal() for ls in local_starts], np.int64),
        shift_year=np.array([ls.year for ls in local_starts], np.int64),
        shift_md=np.array([ls.month * 100 + ls.day for ls in local_starts], np.int64),
        shift_week=np.array([week_pos[w] for w in week_of], np.int64),
        weeks=weeks,
        shift_children=np.array([s.children for s in shifts], dtype=bool),
        shift_fits_under_16=fits(time(20)),
        shift_fits_16_17=fits(time(22)),
        shift_first_role=first_role,
        role_shift=np.array([si for si, _ in roles], np.int64),
        role_count=np.array([r.count for _, r in roles], np.int64),
        role_priority=np.array([r.priority for _, r in roles], np.int64),
        role_min_age=np.array([-1 if r.min_age is None else r.min_age for _, r in roles], np.int64),
        role_skill_bits=word_bits([r.skills for _, r in roles], skill_vocab),
        role_language_bits=word_bits([r.languages for _, r in roles], language_vocab),
        excluded_keys=np.array(excluded, np.int64),
    )


class Pairs(NamedTuple):
    """Parallel arrays of volunteer, role and (the role's) shift indices."""

    volunteer: IntArray
    role: IntArray
    shift: IntArray

    def take(self, keep: BoolArray) -> Pairs:
        return Pairs(self.volunteer[keep], self.role[keep], self.shift[keep])


def age_on_shift_day(ix: ProblemIndex, p: Pairs) -> IntArray:
    """Each volunteer's age in whole years on the shift's local date; -1 if unknown."""
    age = ix.shift_year[p.shift] - ix.birth_year[p.volunteer]
    age -= (ix.shift_md[p.shift] < ix.birth_md[p.volunteer]).astype(np.int64)
    return np.where(ix.has_birth[p.volunteer], age, -1)


def _missing(have: NDArray[np.uint64], need: NDArray[np.uint64]) -> BoolArray:
    result: BoolArray = np.any((have & need) != need, axis=1)
    return result


def _missing_skill(ix: ProblemIndex, p: Pairs) -> BoolArray:
    return _missing(ix.skill_bits[p.volunteer], ix.role_skill_bits[p.role])


def _missing_language(ix: ProblemIndex, p: Pairs) -> BoolArray:
    return _missing(ix.language_bits[p.volunteer], ix.role_language_bits[p.role])


def _under_min_volunteer_age(ix: ProblemIndex, p: Pairs) -> BoolArray:
    age = age_on_shift_day(ix, p)
    return (age >= 0) & (age < ix.problem.policy.min_volunteer_age)


def _unknown_age(ix: ProblemIndex, p: Pairs) -> BoolArray:
    return (ix.role_min_age[p.role] >= 0) & ~ix.has_birth[p.volunteer]


def _too_young(ix: ProblemIndex, p: Pairs) -> BoolArray:
    age = age_on_shift_day(ix, p)
    return (age >= 0) & (age < ix.role_min_age[p.role])


def _no_valid_check(ix: ProblemIndex, p: Pairs) -> BoolArray:
    policy = ix.problem.policy
    age = age_on_shift_day(ix, p)
    needs = ix.shift_children[p.shift] & ((age < 0) | (age >= policy.background_check_min_age))
    day, seen = ix.shift_day[p.shift], ix.check_day[p.volunteer]
    valid = ix.has_check[p.volunteer] & (seen <= day) & (day <= seen + policy.background_check_valid_days)
    return needs & ~valid


def _minor_hours(ix: ProblemIndex, p: Pairs) -> BoolArray:
    age = age_on_shift_day(ix, p)
    under_16 = (age >= 0) & (age < 16) & ~ix.shift_fits_under_16[p.shift]
    return under_16 | ((age >= 16) & (age < 18) & ~ix.shift_fits_16_17[p.shift])


def _not_available(ix: ProblemIndex, p: Pairs) -> BoolArray:
    if len(ix.window_key) == 0:
        return np.ones(len(p.volunteer), dtype=bool)
    base = p.volunteer * ix.span - ix.origin
    at = np.searchsorted(ix.window_key, base + ix.shift_start[p.shift], side="right") - 1
    reach = ix.window_reach[np.maximum(at, 0)]
    return (at < 0) | (reach < base + ix.shift_end[p.shift])


def _excluded(ix: ProblemIndex, p: Pairs) -> BoolArray:
    return np.isin(p.volunteer * ix.n_shifts + p.shift, ix.excluded_keys)


class Rule(NamedTuple):
    """A hard rule (numbered as in the contract) and the test that finds who breaks it."""

    code: str
    number: int
    breaks: Callable[[ProblemIndex, Pairs], BoolArray]


# The order in which shortage explanations count who was turned away: each volunteer is
# counted once, under the first rule that turns them away.
RULES: tuple[Rule, ...] = (
    Rule("missing_skill", 1, _missing_skill),
    Rule("missing_language", 2, _missing_language),
    Rule("under_min_volunteer_age", 3, _under_min_volunteer_age),
    Rule("unknown_age", 3, _unknown_age),
    Rule("too_young", 3, _too_young),
    Rule("not_available", 6, _not_available),
    Rule("minor_hours", 5, _minor_hours),
    Rule("no_valid_check", 4, _no_valid_check),
    Rule("excluded", 7, _excluded),
)
RULE_NUMBER = {rule.code: rule.number for rule in RULES}


def pairs(ix: ProblemIndex, volunteers: Iterable[int] | IntArray, roles: Iterable[int] | IntArray) -> Pairs:
    """Pairs from parallel volunteer and role indices."""
    v = np.asarray(list(volunteers) if not isinstance(volunteers, np.ndarray) else volunteers, dtype=np.int64)
    r = np.asarray(list(roles) if not isinstance(roles, np.ndarray) else roles, dtype=np.int64)
    return Pairs(v, r, ix.role_shift[r] if len(r) else np.zeros(0, np.int64))


def broken_rules(ix: ProblemIndex, p: Pairs) -> list[tuple[Rule, BoolArray]]:
    """For every rule, which pairs break it."""
    return [(rule, rule.breaks(ix, p)) for rule in RULES]


def eligible(ix: ProblemIndex, p: Pairs) -> BoolArray:
    """Which pairs keep rules 1–7."""
    ok = np.ones(len(p.volunteer), dtype=bool)
    for rule in RULES:
        ok &= ~rule.breaks(ix, p)
    return ok


def time_candidates(ix: ProblemIndex) -> tuple[IntArray, IntArray]:
    """(volunteer, shift) pairs where the shift starts inside one of the volunteer's windows.

    Found by looking each window up in the shifts sorted by start; a superset of the
    pairs that keep rule 6, and far smaller than all pairs.
    """
    by_start = np.argsort(ix.shift_start, kind="stable")
    sorted_start = ix.shift_start[by_start]
    lo = np.searchsorted(sorted_start, ix.window_start, side="left")
    hi = np.searchsorted(sorted_start, ix.window_end, side="right")
    counts = hi - lo
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    volunteer = np.repeat(ix.window_volunteer, counts)
    # positions lo[i], lo[i] + 1, ..., hi[i] - 1 for every window i, flattened
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    shift = by_start[np.repeat(lo, counts) + offsets]
    key = unique_sorted(volunteer * ix.n_shifts + shift)
    return key // ix.n_shifts, key % ix.n_shifts


def unique_sorted(values: IntArray) -> IntArray:
    """The distinct values, sorted (numpy's own `unique` is many times slower here)."""
    values = np.sort(values)
    if len(values) == 0:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def eligible_triples(ix: ProblemIndex) -> Pairs:
    """Every (volunteer, role) pair that keeps rules 1–7, sorted by volunteer then role."""
    pair_volunteer, pair_shift = time_candidates(ix)
    found: list[Pairs] = []
    for lo in range(0, len(pair_volunteer), _CHUNK):
        v = pair_volunteer[lo : lo + _CHUNK]
        s = pair_shift[lo : lo + _CHUNK]
        n_roles = ix.shift_first_role[s + 1] - ix.shift_first_role[s]
        total = int(n_roles.sum())
        offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(n_roles) - n_roles, n_roles)
        p = Pairs(np.repeat(v, n_roles), np.repeat(ix.shift_first_role[s], n_roles) + offsets, np.repeat(s, n_roles))
        for rule in RULES:  # narrowing as we go: each test sees only the survivors
            p = p.take(~rule.breaks(ix, p))
        found.append(p)
    if not found:
        return Pairs(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64))
    return Pairs(*(np.concatenate(parts) for parts in zip(*found, strict=True)))
