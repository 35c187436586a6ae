"""`check`: every hard rule a plan breaks; and the validation of pins (rule 11)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from matching.eligibility import RULES, Pairs, ProblemIndex, index_for
from matching.explain import reason_for
from matching.model import Assignment, Plan, Problem, ProblemError, Violation
from matching.occupancy import assignment_pairs


def check(problem: Problem, plan: Plan) -> list[Violation]:
    """Every hard rule (1–11 of the contract) that `plan` breaks; empty if it keeps them all."""
    ix = index_for(problem)
    violations = _assignment_rules(ix, plan.assignments)
    kept = set(plan.assignments)
    for pin in problem.pinned:
        if pin not in kept:
            violations.append(
                Violation(
                    11,
                    "pin_missing",
                    f"pinned {pin.volunteer} in {pin.shift} as {pin.role} is not in the plan",
                    pin.volunteer,
                    pin.shift,
                    pin.role,
                )
            )
    return violations


def _assignment_rules(ix: ProblemIndex, assignments: Sequence[Assignment]) -> list[Violation]:
    """Rules 1–10 for a list of assignments."""
    p = assignment_pairs(ix, assignments, "assignments")
    out: list[Violation] = []
    for rule in RULES:
        for i in np.flatnonzero(rule.breaks(ix, p)).tolist():
            a = assignments[i]
            reason = reason_for(ix, rule.code, Pairs(p.volunteer[i : i + 1], p.role[i : i + 1], p.shift[i : i + 1]))
            out.append(Violation(rule.number, rule.code, reason.message, a.volunteer, a.shift, a.role))
    problem = ix.problem
    for a, n in Counter(assignments).items():
        if n > 1:
            out.append(
                Violation(
                    8,
                    "duplicate_assignment",
                    f"{a.volunteer} is in {a.shift} as {a.role} {n} times",
                    a.volunteer,
                    a.shift,
                    a.role,
                )
            )
    distinct = sorted(set(assignments))
    per_role = Counter((a.shift, a.role) for a in distinct)
    for (shift, role), n in per_role.items():
        places = int(ix.role_count[ix.role_pos[(shift, role)]])
        if n > places:
            out.append(
                Violation(
                    8,
                    "role_overfilled",
                    f"{role} in {shift} has {n} volunteers for {places} place(s)",
                    None,
                    shift,
                    role,
                )
            )
    roles_in_shift: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in distinct:
        roles_in_shift[(a.volunteer, a.shift)].append(a.role)
    for (volunteer, shift), roles in roles_in_shift.items():
        if len(roles) > 1:
            out.append(
                Violation(
                    8,
                    "two_roles_in_shift",
                    f"{volunteer} has {len(roles)} roles in {shift}: " + ", ".join(sorted(roles)),
                    volunteer,
                    shift,
                    None,
                )
            )
    by_volunteer: dict[str, list[int]] = defaultdict(list)
    for volunteer, shift in roles_in_shift:
        by_volunteer[volunteer].append(ix.shift_pos[shift])
    zone = problem.zone
    for volunteer, shifts in by_volunteer.items():
        shifts.sort(key=lambda s: (int(ix.shift_start[s]), s))
        latest = -1  # the shift reaching furthest so far
        for s in shifts:
            if latest >= 0 and ix.shift_end[latest] > ix.shift_start[s]:
                first, second = problem.shifts[latest], problem.shifts[s]
                out.append(
                    Violation(
                        9,
                        "overlapping_shift",
                        f"{volunteer} is in {first.id} and {second.id}, which overlap on "
                        f"{second.start.astimezone(zone):%Y-%m-%d}",
                        volunteer,
                        second.id,
                        None,
                    )
                )
            if latest < 0 or ix.shift_end[s] > ix.shift_end[latest]:
                latest = s
        cap = problem.volunteers[ix.volunteer_pos[volunteer]].max_minutes_per_week
        if cap is None:
            continue
        load: Counter[int] = Counter()
        for s in shifts:
            load[int(ix.shift_week[s])] += int(ix.shift_seconds[s])
        for week, seconds in sorted(load.items()):
            if seconds > cap * 60:
                year, number = ix.weeks[week]
                out.append(
                    Violation(
                        10,
                        "weekly_cap",
                        f"{volunteer} works {seconds / 60:g} minutes in "
                        f"{year}-W{number:02d}, over their limit of {cap}",
                        volunteer,
                        None,
                        None,
                    )
                )
    return out


def validate_pins(problem: Problem) -> None:
    """Raise `ProblemError` naming the first pin that breaks a hard rule (rules 1–10)."""
    if not problem.pinned:
        return
    violations = _assignment_rules(index_for(problem), problem.pinned)
    if violations:
        v = violations[0]
        where = next(
            (
                i
                for i, pin in enumerate(problem.pinned)
                if v.volunteer in (None, pin.volunteer)
                and (v.shift is None or pin.shift == v.shift)
                and (v.role is None or pin.role == v.role)
            ),
            None,
        )
        path = "pinned" if where is None else f"pinned[{where}]"
        raise ProblemError(f"{path}: invalid pin: {v.message}")
