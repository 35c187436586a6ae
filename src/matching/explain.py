"""Reasons a coordinator understands: why places stay empty, and why one volunteer
cannot take a role.

Reason codes (stable; the service translates by code and finds the numbers in
`Reason.params`):

=========================  =============================================================
``missing_skill``          lacks a skill the role needs (rule 1)
``missing_language``       does not speak a language the role needs (rule 2)
``under_min_volunteer_age`` younger than the policy's minimum volunteer age (rule 3)
``unknown_age``            the role has a minimum age and no birth date is on record (rule 3)
``too_young``              younger than the role's minimum age on the shift's date (rule 3)
``not_available``          no availability window covers the whole shift (rule 6)
``minor_hours``            a minor outside 06:00–20:00 (under 16) or 06:00–22:00 (16–17) (rule 5)
``no_valid_check``         a children's shift and no background check valid on its date (rule 4)
``excluded``               the volunteer and the shift are excluded from each other (rule 7)
``role_full``              the role already has `count` volunteers (rule 8)
``already_in_shift``       already has another role in the same shift (rule 8)
``overlapping_shift``      already in a shift that overlaps this one (rule 9)
``weekly_cap``             would go over their weekly minutes in that ISO week (rule 10)
``not_placed``             eligible and free, but the search stopped before placing them
``unavoidable``            fewer volunteers meet the requirements than there are places
=========================  =============================================================
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matching.eligibility import RULES, Pairs, ProblemIndex, age_on_shift_day, index_for, pairs
from matching.model import Assignment, Problem, ProblemError, Reason, Shortage
from matching.occupancy import Occupancy, assignment_pairs

_BATCH = 2_000_000  # volunteer-role pairs examined at a time
_PLAN_CODES = ("already_in_shift", "overlapping_shift", "weekly_cap", "not_placed")


def _hours(ix: ProblemIndex, shift: int) -> str:
    s = ix.problem.shifts[shift]
    start, end = s.start.astimezone(ix.problem.zone), s.end.astimezone(ix.problem.zone)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def _day(ix: ProblemIndex, shift: int) -> str:
    return ix.problem.shifts[shift].start.astimezone(ix.problem.zone).date().isoformat()


def _week(ix: ProblemIndex, shift: int) -> str:
    year, week = ix.weeks[int(ix.shift_week[shift])]
    return f"{year}-W{week:02d}"


def _many(n: int, one: str, more: str) -> str:
    return f"1 volunteer {one}" if n == 1 else f"{n} volunteers {more}"


def describe(ix: ProblemIndex, code: str, role: int, count: int) -> Reason:
    """A reason counting `count` volunteers that `code` turned away from `role`."""
    s = int(ix.role_shift[role])
    shift = ix.problem.shifts[s]
    need = shift.roles[role - int(ix.shift_first_role[s])]
    policy = ix.problem.policy
    params: dict[str, str | int] = {"count": count, "date": _day(ix, s)}
    if code == "missing_skill":
        params["skills"] = ", ".join(sorted(need.skills))
        text = _many(count, "lacks", "lack") + f" a required skill ({params['skills']})"
    elif code == "missing_language":
        params["languages"] = ", ".join(sorted(need.languages))
        text = _many(count, "does", "do") + f" not speak {params['languages']}"
    elif code == "under_min_volunteer_age":
        params["min_age"] = policy.min_volunteer_age
        text = (
            _many(count, "is", "are") + f" younger than {policy.min_volunteer_age}, "
            "the youngest age at which anyone may volunteer"
        )
    elif code == "unknown_age":
        params["min_age"] = need.min_age or 0
        text = (
            _many(count, "has", "have") + " no birth date on record, and the role needs "
            f"someone aged {need.min_age} or older"
        )
    elif code == "too_young":
        params["min_age"] = need.min_age or 0
        text = _many(count, "is", "are") + f" younger than {need.min_age} on {params['date']}"
    elif code == "not_available":
        params["time"] = _hours(ix, s)
        text = _many(count, "is", "are") + f" not available for the whole of {params['time']}"
    elif code == "minor_hours":
        params["time"] = _hours(ix, s)
        text = (
            _many(count, "is a minor who", "are minors who") + f" may not work "
            f"{params['time']} (under 16: 06:00–20:00, 16–17: 06:00–22:00)"
        )
    elif code == "no_valid_check":
        text = _many(count, "has", "have") + f" the skills and time but no valid background check on {params['date']}"
    elif code == "excluded":
        text = _many(count, "is", "are") + " excluded from this shift"
    elif code == "already_in_shift":
        text = (
            _many(count, "who meets", "who meet")
            + " every requirement already "
            + ("has" if count == 1 else "have")
            + " another role in this shift"
        )
    elif code == "overlapping_shift":
        text = (
            _many(count, "who meets", "who meet")
            + " every requirement "
            + ("is" if count == 1 else "are")
            + " already in an overlapping shift"
        )
    elif code == "weekly_cap":
        params["week"] = _week(ix, s)
        text = (
            _many(count, "who meets", "who meet")
            + " every requirement would go over "
            + f"their weekly limit in {params['week']}"
        )
    elif code == "not_placed":
        text = (
            _many(count, "was", "were") + " free to take this place, but the search "
            "stopped at its time limit before placing them"
        )
    elif code == "unavoidable":
        places = int(ix.role_count[role])
        params.update(eligible=count, places=places)
        who = (
            "nobody meets"
            if count == 0
            else ("only 1 volunteer meets" if count == 1 else f"only {count} volunteers meet")
        )
        text = f"Unavoidable: {who} every requirement for the {places} place{'s' if places != 1 else ''}"
    else:
        raise ValueError(f"unknown reason code {code!r}")
    return Reason(code=code, message=text[0].upper() + text[1:], count=count, params=params)


def shortages(ix: ProblemIndex, plan: Pairs) -> list[Shortage]:
    """For every role with empty places: how many volunteers each rule turned away.

    Every volunteer not in the role is counted once, under the first rule (in the order
    of `eligibility.RULES`, then rules 8–10 against the plan) that turns them away.
    """
    occupancy = Occupancy.of(ix, plan)
    short = np.flatnonzero(occupancy.filled < ix.role_count)
    if len(short) == 0:
        return []
    codes = [rule.code for rule in RULES] + ["unavoidable", *_PLAN_CODES]
    counts = {code: np.zeros(ix.n_roles, dtype=np.int64) for code in codes}
    assigned = np.sort(plan.volunteer * max(ix.n_roles, 1) + plan.role)
    step = max(1, _BATCH // max(ix.n_volunteers, 1))
    everyone = np.arange(ix.n_volunteers, dtype=np.int64)
    for lo in range(0, len(short), step):
        roles = short[lo : lo + step]
        p = pairs(ix, np.tile(everyone, len(roles)), np.repeat(roles, ix.n_volunteers))
        p = p.take(~np.isin(p.volunteer * max(ix.n_roles, 1) + p.role, assigned))
        for rule in RULES:
            broken = rule.breaks(ix, p)
            counts[rule.code] += np.bincount(p.role[broken], minlength=ix.n_roles)
            p = p.take(~broken)
        counts["unavoidable"] += np.bincount(p.role, minlength=ix.n_roles)  # eligible, unplaced
        for code, test in (
            ("already_in_shift", occupancy.in_same_shift),
            ("overlapping_shift", occupancy.overlapping),
            ("weekly_cap", occupancy.over_cap),
        ):
            hit = test(p)
            counts[code] += np.bincount(p.role[hit], minlength=ix.n_roles)
            p = p.take(~hit)
        counts["not_placed"] += np.bincount(p.role, minlength=ix.n_roles)
    out: list[Shortage] = []
    for role in short.tolist():
        s = int(ix.role_shift[role])
        shift = ix.problem.shifts[s]
        places = int(ix.role_count[role])
        eligible = int(counts["unavoidable"][role] + occupancy.filled[role])
        reasons: list[Reason] = []
        if eligible < places:
            reasons.append(describe(ix, "unavoidable", role, eligible))
        for code in [rule.code for rule in RULES] + list(_PLAN_CODES):
            n = int(counts[code][role])
            if n:
                reasons.append(describe(ix, code, role, n))
        out.append(
            Shortage(
                shift=shift.id,
                role=shift.roles[role - int(ix.shift_first_role[s])].role,
                missing=places - int(occupancy.filled[role]),
                reasons=tuple(reasons),
            )
        )
    return out


def why_not(
    problem: Problem, volunteer_id: str, shift_id: str, role: str, *, assignments: Sequence[Assignment] = ()
) -> list[Reason]:
    """Why `volunteer_id` may not take `role` in `shift_id`; empty if they may.

    Rules 1–7 are always checked.  Pass the other `assignments` of a plan to also check
    rules 8–10 against them (the role's places, other roles in the shift, overlapping
    shifts and the weekly cap).
    """
    ix = index_for(problem)
    v = ix.volunteer_pos.get(volunteer_id)
    if v is None:
        raise ProblemError(f"volunteer: unknown volunteer {volunteer_id!r}")
    if shift_id not in ix.shift_pos:
        raise ProblemError(f"shift: unknown shift {shift_id!r}")
    r = ix.role_pos.get((shift_id, role))
    if r is None:
        raise ProblemError(f"role: shift {shift_id!r} has no role {role!r}")
    p = pairs(ix, [v], [r])
    reasons = [reason_for(ix, rule.code, p) for rule in RULES if bool(rule.breaks(ix, p)[0])]
    others = [a for a in assignments if a != Assignment(volunteer_id, shift_id, role)]
    if others:
        occupancy = Occupancy.of(ix, assignment_pairs(ix, others, "assignments"))
        if occupancy.filled[r] >= ix.role_count[r]:
            reasons.append(reason_for(ix, "role_full", p))
        for code, test in (
            ("already_in_shift", occupancy.in_same_shift),
            ("overlapping_shift", occupancy.overlapping),
            ("weekly_cap", occupancy.over_cap),
        ):
            if bool(test(p)[0]):
                reasons.append(reason_for(ix, code, p, occupancy))
    return reasons


def reason_for(ix: ProblemIndex, code: str, p: Pairs, occupancy: Occupancy | None = None) -> Reason:
    """A reason about one volunteer and one role."""
    v, r, s = int(p.volunteer[0]), int(p.role[0]), int(p.shift[0])
    vol = ix.problem.volunteers[v]
    shift = ix.problem.shifts[s]
    need = shift.roles[r - int(ix.shift_first_role[s])]
    age = int(age_on_shift_day(ix, p)[0])
    date = _day(ix, s)
    params: dict[str, str | int] = {"volunteer": vol.id, "shift": shift.id, "role": need.role, "date": date}
    if code == "missing_skill":
        params["skills"] = ", ".join(sorted(need.skills - vol.skills))
        text = f"{vol.id} lacks the skill the role needs: {params['skills']}"
    elif code == "missing_language":
        params["languages"] = ", ".join(sorted(need.languages - vol.languages))
        text = f"{vol.id} does not speak {params['languages']}, which the role needs"
    elif code == "under_min_volunteer_age":
        params.update(age=age, min_age=ix.problem.policy.min_volunteer_age)
        text = f"{vol.id} is {age} on {date}; nobody under {ix.problem.policy.min_volunteer_age} may volunteer"
    elif code == "unknown_age":
        params["min_age"] = need.min_age or 0
        text = f"{vol.id} has no birth date on record; the role needs {need.min_age} or older"
    elif code == "too_young":
        params.update(age=age, min_age=need.min_age or 0)
        text = f"{vol.id} is {age} on {date}; the role needs {need.min_age} or older"
    elif code == "not_available":
        params["time"] = _hours(ix, s)
        text = f"{vol.id} is not available for the whole of {params['time']}"
    elif code == "minor_hours":
        params.update(time=_hours(ix, s), age=age)
        limit = "20:00" if age < 16 else "22:00"
        text = f"{vol.id} is {age} and may only work between 06:00 and {limit} on one day, not {params['time']}"
    elif code == "no_valid_check":
        seen = vol.background_check
        params["checked"] = seen.isoformat() if seen else ""
        text = f"{vol.id} has no background check valid on {date} for a children's shift" + (
            f" (last seen {seen.isoformat()}, valid {ix.problem.policy.background_check_valid_days} days)"
            if seen
            else " (none on record)"
        )
    elif code == "excluded":
        text = f"{vol.id} and {shift.id} are excluded from each other"
    elif code == "role_full":
        params["places"] = int(ix.role_count[r])
        text = f"{need.role} in {shift.id} already has its {params['places']} volunteer(s)"
    elif code == "already_in_shift":
        text = f"{vol.id} already has another role in {shift.id}"
    elif code == "overlapping_shift":
        text = f"{vol.id} is already in a shift that overlaps {_hours(ix, s)}"
    elif code == "weekly_cap":
        assert occupancy is not None
        load = int(occupancy.week_load(p)[0] + ix.shift_seconds[s]) // 60
        params.update(week=_week(ix, s), minutes=load, cap=vol.max_minutes_per_week or 0)
        text = f"{vol.id} would work {load} minutes in {params['week']}, over their limit of {vol.max_minutes_per_week}"
    else:
        raise ValueError(f"unknown reason code {code!r}")
    return Reason(code=code, message=text, params=params)
