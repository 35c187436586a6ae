"""`eligible_volunteers` names exactly those `why_not` finds nothing against (rules 1-7), all at once."""

from __future__ import annotations

import pytest

import matching


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_eligible_volunteers_agree_with_why_not_for_every_volunteer(seed):
    problem = matching.parse_problem(matching.generate_problem(60, 12, weeks=1, seed=seed))
    for shift in problem.shifts:
        for role in shift.roles:
            found = matching.eligible_volunteers(problem, shift.id, role.role)
            expected = [v.id for v in problem.volunteers if not matching.why_not(problem, v.id, shift.id, role.role)]
            assert found == expected


def test_unknown_shift_or_role_is_named():
    problem = matching.parse_problem(matching.generate_problem(5, 2, weeks=1, seed=0))
    with pytest.raises(matching.ProblemError, match="shift"):
        matching.eligible_volunteers(problem, "nope", "x")
    with pytest.raises(matching.ProblemError, match="role"):
        matching.eligible_volunteers(problem, problem.shifts[0].id, "no-such-role")
