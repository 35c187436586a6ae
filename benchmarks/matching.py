"""Benchmark the matcher against a naive formulation on the same generated problems.

    .venv/bin/python benchmarks/matching.py                       # all four sizes
    .venv/bin/python benchmarks/matching.py --sizes 150x120,2000x1000 --naive-above 0
    .venv/bin/python benchmarks/matching.py --sizes 2000x1000,10000x5000 --pulp-build

For each size it runs the real command line (`python -m matching solve`, a fresh
process, so imports count) and prints wall time, status, gap, variables, rows, filled
places, coverage and peak memory.  The naive formulation lives only here: the same
eligible triples, but one row per pair of overlapping shifts, one row per volunteer and
shift for "one role", a single weighted objective (1000 x coverage + 10 x stability +
preferences and employability) and CBC.  It is skipped above --naive-above volunteers
(default 2000) because it does not finish at 10,000 x 5,000; the output says so.

Timings on a shared machine are noisy: run it when the machine is quiet and read the
figures as orders of magnitude.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

# This file is called matching.py, like the package: keep its folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

# Deadlines for our solver per size; None: no limit (prove everything).
# The limit bounds the solve; interpreter start, imports and reading the problem come on
# top (about a second), so the city size gets 8.5 s to stay within its 10 s target.
TIME_LIMITS: dict[int, float | None] = {150: None, 600: 30.0, 2000: 8.5, 10000: 110.0}


def run_ours(problem: Path, time_limit: float | None, solver: str) -> dict[str, Any]:
    """One `python -m matching solve` process: wall time, peak memory, the plan."""
    out = problem.with_suffix(".plan.json")
    cmd = [sys.executable, "-m", "matching", "solve", str(problem), "-o", str(out), "--solver", solver]
    if time_limit is not None:
        cmd += ["--time-limit", str(time_limit)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if status != 0:
        raise SystemExit(f"solve failed ({status}): {stderr}")
    plan = json.loads(out.read_text())
    return {
        "wall": wall,
        "status": plan["status"],
        "gap": plan["stats"]["gap"],
        "variables": plan["stats"]["variables"],
        "rows": plan["stats"]["constraints"],
        "filled": len(plan["assignments"]),
        "coverage": plan["objective"]["coverage"],
        "memory_mb": usage.ru_maxrss / 1024,
        "cpu": usage.ru_utime + usage.ru_stime,
        "tiers": plan["stats"]["tiers"],
    }


def run_naive(problem_path: Path, time_limit: float) -> dict[str, Any]:
    """The naive formulation, built and solved with CBC in this process."""
    import numpy as np
    import pulp  # type: ignore[import-untyped]

    from matching import load_problem
    from matching.eligibility import eligible_triples, index_for
    from matching.formulation import triple_positions

    started = time.perf_counter()
    problem = load_problem(problem_path.read_text())
    ix = index_for(problem)
    t = eligible_triples(ix)
    n = len(t.volunteer)
    model = pulp.LpProblem("naive", pulp.LpMaximize)
    x = [model.add_variable(f"x{i}", 0, 1, pulp.LpBinary) for i in range(n)]
    for i in triple_positions(ix, t, problem.pinned).tolist():
        x[i].lowBound = 1
    by_role: dict[int, list[int]] = {}
    by_pair: dict[tuple[int, int], list[int]] = {}
    by_week: dict[tuple[int, int], list[int]] = {}
    for i, (v, r, s) in enumerate(zip(t.volunteer.tolist(), t.role.tolist(), t.shift.tolist(), strict=True)):
        by_role.setdefault(r, []).append(i)
        by_pair.setdefault((v, s), []).append(i)
        by_week.setdefault((v, int(ix.shift_week[s])), []).append(i)
    for r, members in by_role.items():
        model += pulp.lpSum(x[i] for i in members) <= int(ix.role_count[r]), f"role{r}"
    shifts_of: dict[int, list[int]] = {}
    for (v, s), members in by_pair.items():
        shifts_of.setdefault(v, []).append(s)
        if len(members) > 1:
            model += pulp.lpSum(x[i] for i in members) <= 1, f"one{v}_{s}"
    start, end = ix.shift_start.tolist(), ix.shift_end.tolist()
    for v, shifts in shifts_of.items():  # one row per overlapping pair
        for a in range(len(shifts)):
            for b in range(a + 1, len(shifts)):
                s1, s2 = shifts[a], shifts[b]
                if start[s1] < end[s2] and start[s2] < end[s1]:
                    model += (
                        pulp.lpSum(x[i] for i in by_pair[(v, s1)] + by_pair[(v, s2)]) <= 1,
                        f"pair{v}_{s1}_{s2}",
                    )
    for (v, w), members in by_week.items():
        cap = int(ix.cap_seconds[v])
        if cap >= 0:
            model += pulp.lpSum(int(ix.shift_seconds[t.shift[i]]) * x[i] for i in members) <= cap, f"week{v}_{w}"
    previous = set(triple_positions(ix, t, problem.previous).tolist())
    goals = {v.id: v for v in problem.volunteers}
    weights = []
    for i, (v, r, s) in enumerate(zip(t.volunteer.tolist(), t.role.tolist(), t.shift.tolist(), strict=True)):
        vol = goals[problem.volunteers[v].id]
        shift = problem.shifts[s]
        role = shift.roles[r - int(ix.shift_first_role[s])]
        soft = (shift.activity_type in vol.preferred_activity_types) + 2 * bool(role.develops & vol.learning_goals)
        weights.append(1000 * int(ix.role_priority[r]) + 10 * (i in previous) + soft)
    model += pulp.lpSum(w * xi for w, xi in zip(weights, x, strict=True))
    built = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        log = os.path.join(tmp, "cbc.log")
        cbc = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, logPath=log, gapRel=0.0)
        model.solve(cbc)
        text = Path(log).read_text(errors="replace")
    values = np.array([xi.varValue or 0.0 for xi in x]) > 0.5
    gap_match = re.findall(r"Gap:\s+([\d.eE+-]+)", text)
    return {
        "wall": time.perf_counter() - started,
        "build": built - started,
        "status": "optimal" if model.sol_status == pulp.LpSolutionOptimal else "feasible",
        "gap": float(gap_match[-1]) if gap_match else float("nan"),
        "variables": n,
        "rows": model.numConstraints(),
        "filled": int(values.sum()),
        "coverage": int(ix.role_priority[t.role[values]].sum()),
        "memory_mb": float("nan"),
    }


def pulp_build_cost(problem_path: Path) -> str:
    """CPU seconds to build the hard rules' model as arrays and hand it to HiGHS, against
    building it through PuLP (an `LpProblem`, then `pulp.HiGHS`'s own model building)."""
    import pulp  # type: ignore[import-untyped]

    from matching import load_problem
    from matching.backends import HighsBackend, quiet_stdout, to_pulp
    from matching.eligibility import eligible_triples, index_for
    from matching.formulation import build, placeable

    problem = load_problem(problem_path.read_text())
    ix = index_for(problem)
    triples = placeable(ix, eligible_triples(ix))
    clock = time.process_time()
    form = build(ix, triples)
    arrays = time.process_time() - clock
    clock = time.process_time()
    HighsBackend(form.columns, form.rows)
    direct = time.process_time() - clock
    clock = time.process_time()
    model, variables = to_pulp(form.columns, form.rows)
    first = form.goals[0]
    assert not callable(first)
    model.setObjective(pulp.LpAffineExpression([(variables[j], 1.0) for j in first.objective.index.tolist()]))
    lp = time.process_time() - clock
    solver = pulp.HiGHS(msg=False)
    clock = time.process_time()
    with quiet_stdout():
        solver.createAndConfigureSolver(model)
    solver.buildSolverModel(model)
    highs = time.process_time() - clock
    return (
        f"columns {len(form.columns)}, rows {len(form.rows)}: arrays {arrays:.2f} s, arrays to HiGHS {direct:.2f} s; "
        f"PuLP LpProblem {lp:.2f} s, then pulp.HiGHS build {highs:.2f} s (CPU)"
    )


def _row(size: str, model: str, r: dict[str, Any]) -> str:
    gap = r["gap"]
    return (
        f"{size:>12} {model:>6} {r['wall']:>9.2f} {r['status']:>9} {gap:>8.4f} {r['variables']:>10} "
        f"{r['rows']:>9} {r['filled']:>7} {r['coverage']:>9} {r['memory_mb']:>8.0f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="150x120,600x300,2000x1000,10000x5000")
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--solver", choices=("highs", "cbc"), default="highs")
    parser.add_argument("--time-limit", type=float, default=None, help="override our per-size limits")
    parser.add_argument("--naive-above", type=int, default=2000, help="skip the naive run above this many volunteers")
    parser.add_argument("--naive-time-limit", type=float, default=900.0)
    parser.add_argument("--keep", help="directory to keep generated problems and plans in")
    parser.add_argument(
        "--pulp-build", action="store_true", help="only measure building the model through PuLP against the arrays"
    )
    args = parser.parse_args()

    from matching import generate_problem

    folder = Path(args.keep or tempfile.mkdtemp(prefix="matching-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"cpu cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f} (timings are noisy on a busy machine)")
    print("cpu= is the solve process's user + system time, which a busy machine inflates far less than wall time")
    print(
        f"{'size':>12} {'model':>6} {'wall s':>9} {'status':>9} {'gap':>8} {'variables':>10} {'rows':>9} "
        f"{'filled':>7} {'coverage':>9} {'peak MB':>8}"
    )
    for size in args.sizes.split(","):
        volunteers, shifts = (int(n) for n in size.lower().split("x"))
        path = folder / f"problem-{volunteers}x{shifts}-w{args.weeks}-s{args.seed}.json"
        if not path.exists():
            path.write_text(json.dumps(generate_problem(volunteers, shifts, weeks=args.weeks, seed=args.seed)))
        if args.pulp_build:
            print(f"{size:>12} {pulp_build_cost(path)}", flush=True)
            continue
        limit = args.time_limit if args.time_limit is not None else TIME_LIMITS.get(volunteers)
        ours = run_ours(path, limit, args.solver)
        print(
            _row(size, "ours", ours),
            f" limit={limit} cpu={ours['cpu']:.2f}s load={os.getloadavg()[0]:.1f}",
            flush=True,
        )
        tiers = ", ".join(f"{t['goal']} {t['status']} gap {t['gap']:.4f} in {t['seconds']:.1f}s" for t in ours["tiers"])
        print(f"{'':>12} {'':>6} goals: {tiers}", flush=True)
        if volunteers > args.naive_above:
            print(f"{size:>12}  naive  skipped: above --naive-above {args.naive_above} (it does not finish)")
            continue
        naive = run_naive(path, args.naive_time_limit)
        print(_row(size, "naive", naive), f" build {naive['build']:.1f}s load {os.getloadavg()[0]:.1f}", flush=True)
        print(
            f"{'':>12} {'':>6} speed-up {naive['wall'] / ours['wall']:.1f}x, "
            f"filled {ours['filled'] - naive['filled']:+d} places vs naive",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
