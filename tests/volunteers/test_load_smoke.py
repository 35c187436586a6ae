"""The load benchmark as a short smoke run: a real server, concurrent volunteers, no errors.

On SQLite and on PostgreSQL, as issue 8 asks; the full figures come from running the
script for longer (see the README's benchmarks section).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_load_script_runs_without_errors(settings):  # type: ignore[no-untyped-def]
    args = [
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
    ]
    if settings.database_url:
        args += ["--database-url", settings.database_url]
    result = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "errors: 0" in result.stdout
    assert result.stdout.startswith("PostgreSQL" if settings.database_url else "SQLite")
    for name in ("profile", "week", "availability"):
        line = next(line for line in result.stdout.splitlines() if line.startswith(name))
        assert int(line.split()[1]) > 0  # requests of that kind were made
