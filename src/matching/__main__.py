"""Command line: ``python -m matching solve | check | generate``.

Exit codes: 0 success (for `check`: the plan keeps every hard rule); 1 `check` found
broken rules (one line each on standard output); 2 bad input (one line on standard
error naming the offending field or id; no plan is written).  Standard output carries
only the plan, the check result or the generated problem.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from matching.model import MatchingError, SolverError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m matching", description="Staff shifts with volunteers.")
    sub = parser.add_subparsers(dest="command", required=True)
    solve = sub.add_parser("solve", help="solve a matching-problem/1 and print the plan")
    solve.add_argument("problem", help="problem JSON file, or - for standard input")
    solve.add_argument("-o", "--output", help="write the plan here instead of standard output")
    solve.add_argument(
        "--time-limit",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop the search after this many seconds (status 'feasible')",
    )
    solve.add_argument("--solver", choices=("highs", "cbc"), default="highs")
    check = sub.add_parser("check", help="check that a plan keeps every hard rule")
    check.add_argument("problem")
    check.add_argument("plan")
    generate = sub.add_parser("generate", help="print a synthetic problem")
    generate.add_argument("--volunteers", type=int, required=True)
    generate.add_argument("--shifts", type=int, required=True)
    generate.add_argument("--weeks", type=int, default=4)
    generate.add_argument("--seed", type=int, default=0)
    generate.add_argument("-o", "--output")
    return parser


def _read(path: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as exc:
        raise MatchingError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise MatchingError(f"{path}: not UTF-8 text") from None


def _write(text: str, path: str | None) -> None:
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as exc:
        raise MatchingError(f"{path}: cannot write: {exc.strerror}") from None


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """While solving, anything a library writes to file descriptor 1 goes to standard
    error, so that standard output carries the plan and nothing else."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "solve":
            from matching.loading import load_problem
            from matching.planning import solve

            if args.time_limit is not None and args.time_limit <= 0:
                raise MatchingError("--time-limit: must be positive")
            problem = load_problem(_read(args.problem))
            with _stdout_to_stderr():
                plan = solve(problem, time_limit=args.time_limit, solver=args.solver)
            _write(json.dumps(plan.to_dict(), ensure_ascii=False, indent=1) + "\n", args.output)
            return 0
        if args.command == "check":
            from matching.checking import check, validate_pins
            from matching.loading import load_plan, load_problem

            problem = load_problem(_read(args.problem))
            validate_pins(problem)
            violations = check(problem, load_plan(_read(args.plan)))
            for violation in violations:
                print(violation)
            if not violations:
                print("ok: the plan keeps every hard rule")
            return 1 if violations else 0
        from matching.generate import generate_problem

        if args.volunteers < 0 or args.shifts < 0 or args.weeks < 1:
            raise MatchingError("--volunteers and --shifts must be >= 0, --weeks >= 1")
        data = generate_problem(args.volunteers, args.shifts, weeks=args.weeks, seed=args.seed)
        _write(json.dumps(data, ensure_ascii=False) + "\n", args.output)
        return 0
    except SolverError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except MatchingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
