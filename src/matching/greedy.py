"""A quick plan that keeps every hard rule: the solver's first incumbent and the plan
to fall back on when the time limit stops it before it finds one of its own."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from matching.eligibility import ProblemIndex
from matching.formulation import Formulation


def greedy_plan(ix: ProblemIndex, form: Formulation) -> NDArray[np.bool_]:
    """Chosen triples: pins first, then by priority, scarce roles before others,
    `previous` before new, volunteers with few options before those with many."""
    t = form.triples
    n = len(t.volunteer)
    pinned = np.zeros(n, dtype=bool)
    pinned[form.pinned] = True
    previous = np.zeros(n, dtype=bool)
    previous[form.previous] = True
    candidates = np.bincount(t.role, minlength=ix.n_roles)
    options = np.bincount(t.volunteer, minlength=ix.n_volunteers)
    order = np.lexsort((options[t.volunteer], ~previous, candidates[t.role], -ix.role_priority[t.role], ~pinned))
    volunteer, role, shift = t.volunteer.tolist(), t.role.tolist(), t.shift.tolist()
    count = ix.role_count.tolist()
    start, end = ix.shift_start.tolist(), ix.shift_end.tolist()
    seconds, week = ix.shift_seconds.tolist(), ix.shift_week.tolist()
    cap = ix.cap_seconds.tolist()
    filled = [0] * ix.n_roles
    busy: dict[int, list[int]] = {}
    load: dict[tuple[int, int], int] = {}
    chosen = np.zeros(n, dtype=bool)
    for i in order.tolist():
        v, r, s = volunteer[i], role[i], shift[i]
        if filled[r] >= count[r]:
            continue
        mine = busy.get(v, [])
        if any(start[o] < end[s] and start[s] < end[o] for o in mine):
            continue  # also refuses a second role in the same shift
        key = (v, week[s])
        if cap[v] >= 0 and load.get(key, 0) + seconds[s] > cap[v]:
            continue
        chosen[i] = True
        filled[r] += 1
        busy.setdefault(v, []).append(s)
        load[key] = load.get(key, 0) + seconds[s]
    return chosen
