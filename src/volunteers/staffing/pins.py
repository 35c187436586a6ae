"""Held slots that no longer keep the rules: kept out of a problem's pins.

Imports only `matching`, so the solver's worker process can run it without loading the
database layer.
"""

from __future__ import annotations

from typing import Any


def drop_broken_pins(problem: dict[str, Any]) -> list[dict[str, str]]:
    """An accepted slot that now breaks a rule (say, a background check expired) is not pinned.

    The matcher's own rules decide (`matching.why_not`); the pair is excluded so the
    matcher does not propose it again, and the returned warnings tell the coordinator.
    Changes `problem` in place.
    """
    import matching

    warnings: list[dict[str, str]] = []
    if not problem["pinned"]:
        return warnings
    loaded = matching.parse_problem({**problem, "pinned": []})
    keep = []
    for pin in problem["pinned"]:
        reasons = matching.why_not(loaded, pin["volunteer"], pin["shift"], pin["role"])
        if reasons:
            warnings.append(
                {
                    "volunteer": pin["volunteer"],
                    "shift": pin["shift"],
                    "code": reasons[0].code,
                    "message": reasons[0].message,
                }
            )
            problem["excluded"].append({"volunteer": pin["volunteer"], "shift": pin["shift"]})
        else:
            keep.append(pin)
    problem["pinned"] = keep
    return warnings
