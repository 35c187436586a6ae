"""Held slots that no longer keep the rules: kept out of a problem's pins.

Imports only `matching`, so the solver's worker process can run it without loading the
database layer.
"""

from __future__ import annotations

from typing import Any


def drop_broken_pins(problem: dict[str, Any], no_consent: set[tuple[str, str]] | None = None) -> list[dict[str, str]]:
    """A held slot that now breaks a rule (a check expired, a session moved, a cap lowered) is not pinned.

    The matcher's own rules decide: `matching.why_not` for each pin alone (rules 1-7), then
    `matching.check` over the pins together (rules 8-10: counts, overlaps, weekly caps),
    dropping one offending pin at a time until the rest keep every rule. A dropped pair is
    excluded so the matcher does not propose it again, and the returned warnings tell the
    coordinator; a run never fails on an old hold. Changes `problem` in place.
    """
    import matching
    from volunteers.staffing.assembly import relabel

    warnings: list[dict[str, str]] = []
    if not problem["pinned"]:
        return warnings
    loaded = matching.parse_problem({**problem, "pinned": []})
    keep = []

    def drop(pin: dict[str, str], code: str, message: str) -> None:
        code, message = relabel(code, message, pin["volunteer"], pin["shift"], no_consent or set())
        warnings.append({"volunteer": pin["volunteer"], "shift": pin["shift"], "code": code, "message": message})
        problem["excluded"].append({"volunteer": pin["volunteer"], "shift": pin["shift"]})

    for pin in problem["pinned"]:
        reasons = matching.why_not(loaded, pin["volunteer"], pin["shift"], pin["role"])
        if reasons:
            drop(pin, reasons[0].code, reasons[0].message)
        else:
            keep.append(pin)
    starts = {s.id: s.start for s in loaded.shifts}
    while keep:
        plan = matching.parse_plan({"format": "matching-plan/1", "status": "feasible", "assignments": keep})
        violations = [v for v in matching.check(loaded, plan) if v.rule in (8, 9, 10)]
        if not violations:
            break
        v = violations[0]
        # The latest of the pins concerned gives way (for an overlap, the later shift named).
        concerned = [
            p
            for p in keep
            if (v.volunteer is None or p["volunteer"] == v.volunteer)
            and (v.shift is None or p["shift"] == v.shift)
            and (v.role is None or p["role"] == v.role)
        ] or keep
        victim = max(concerned, key=lambda p: (starts[p["shift"]], p["shift"], p["volunteer"]))
        keep.remove(victim)
        drop(victim, v.code, v.message)
    problem["pinned"] = keep
    return warnings
