"""The load benchmark as a short smoke run: a real server, concurrent volunteers, no errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_load_script_runs_without_errors():
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "api_load.py"),
            "--volunteers",
            "150",
            "--clients",
            "20",
            "--seconds",
            "4",
            "--think",
            "0.2",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "errors: 0" in result.stdout
    for name in ("profile", "week", "availability"):
        line = next(line for line in result.stdout.splitlines() if line.startswith(name))
        assert int(line.split()[1]) > 0  # requests of that kind were made
