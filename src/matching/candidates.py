"""Who may take one role: the volunteers that keep rules 1-7 for it, at once for all of them.

`why_not` answers for one volunteer; a service that looks for a replacement asks this for
a whole city's volunteers, vectorised, and then solves the small problem that is left.
"""

from __future__ import annotations

import numpy as np

from matching.eligibility import eligible, index_for, pairs
from matching.model import Problem, ProblemError


def eligible_volunteers(problem: Problem, shift_id: str, role: str) -> list[str]:
    """The ids of the volunteers that keep rules 1-7 for `role` in `shift_id`, in the problem's order.

    Rules 8-10 (the role's places, overlaps, weekly caps) depend on a plan: `solve` or
    `why_not(..., assignments=...)` decide those.
    """
    ix = index_for(problem)
    if shift_id not in ix.shift_pos:
        raise ProblemError(f"shift: unknown shift {shift_id!r}")
    r = ix.role_pos.get((shift_id, role))
    if r is None:
        raise ProblemError(f"role: shift {shift_id!r} has no role {role!r}")
    n = len(problem.volunteers)
    everyone = np.arange(n, dtype=np.int64)
    ok = eligible(ix, pairs(ix, everyone, np.full(n, r, dtype=np.int64)))
    return [problem.volunteers[int(i)].id for i in np.flatnonzero(ok)]
