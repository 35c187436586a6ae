"""The command line, run as a real subprocess: stdout carries only JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "matching", *args], capture_output=True, text=True, input=stdin, timeout=120, check=False
    )


def test_generate_is_deterministic_for_a_seed() -> None:
    first = run("generate", "--volunteers", "20", "--shifts", "10", "--seed", "7")
    second = run("generate", "--volunteers", "20", "--shifts", "10", "--seed", "7")
    other = run("generate", "--volunteers", "20", "--shifts", "10", "--seed", "8")
    assert first.returncode == 0
    assert first.stdout == second.stdout
    assert first.stdout != other.stdout
    data = json.loads(first.stdout)
    assert data["format"] == "matching-problem/1"
    assert len(data["volunteers"]) == 20 and len(data["shifts"]) == 10


def test_solve_writes_only_the_plan_to_stdout_and_check_accepts_it(tmp_path: Path) -> None:
    problem = tmp_path / "p.json"
    problem.write_text(run("generate", "--volunteers", "30", "--shifts", "20", "--seed", "3").stdout)
    solved = run("solve", str(problem))
    assert solved.returncode == 0, solved.stderr
    plan: dict[str, Any] = json.loads(solved.stdout)  # HiGHS's banner would break this
    assert plan["format"] == "matching-plan/1"
    assert plan["status"] == "optimal"
    assert plan["stats"]["solver"] == "highs"
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(solved.stdout)
    checked = run("check", str(problem), str(plan_file))
    assert checked.returncode == 0, checked.stdout


def test_solve_with_output_file_leaves_stdout_empty(tmp_path: Path) -> None:
    problem = tmp_path / "p.json"
    problem.write_text(run("generate", "--volunteers", "10", "--shifts", "5").stdout)
    out = tmp_path / "plan.json"
    solved = run("solve", str(problem), "-o", str(out), "--time-limit", "30")
    assert solved.returncode == 0, solved.stderr
    assert solved.stdout == ""
    assert json.loads(out.read_text())["format"] == "matching-plan/1"


def test_check_reports_a_broken_rule_with_exit_1(tmp_path: Path) -> None:
    problem = tmp_path / "p.json"
    problem.write_text(
        json.dumps(
            {
                "format": "matching-problem/1",
                "timezone": "Europe/Stockholm",
                "volunteers": [{"id": "v-1", "skills": []}],
                "shifts": [
                    {
                        "id": "s-1",
                        "activity": "a",
                        "activity_type": "sport",
                        "start": "2026-03-17T17:00:00+01:00",
                        "end": "2026-03-17T18:00:00+01:00",
                        "roles": [{"role": "coach", "skills": ["first_aid"]}],
                    }
                ],
            }
        )
    )
    plan = tmp_path / "plan.json"
    plan.write_text(
        json.dumps(
            {
                "format": "matching-plan/1",
                "status": "optimal",
                "assignments": [{"volunteer": "v-1", "shift": "s-1", "role": "coach"}],
            }
        )
    )
    checked = run("check", str(problem), str(plan))
    assert checked.returncode == 1
    assert "missing_skill" in checked.stdout
    assert "not_available" in checked.stdout


def test_bad_input_exits_2_with_one_line_on_stderr(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = run("solve", str(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    wrong = run("solve", "-", stdin=json.dumps({"format": "matching-problem/2"}))
    assert wrong.returncode == 2
    assert "format" in wrong.stderr
    missing = run("solve", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
