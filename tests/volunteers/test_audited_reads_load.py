"""Audited reads never fail for locking: the benchmark at CI's smoke size (issue 15, finding 2).

20 volunteers save availability while a coordinator reads background checks, exports
and the page /volunteers/{id}, each of which writes an audit entry; on SQLite 70-80 %
of those reads answered 500 "database is locked" before they took the write lock up
front. Then one volunteer saves the largest availability the limits allow, and expands
a year of it, while /health is probed: no request fails. Timings are printed by the
benchmark (benchmarks/audited_reads.py), not asserted here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_audited_reads_and_health_under_writers_have_no_errors(settings):  # type: ignore[no-untyped-def]
    args = [sys.executable, str(ROOT / "benchmarks" / "audited_reads.py"), "--volunteers", "20", "--seconds", "3"]
    if settings.database_url:
        args += ["--database-url", settings.database_url]
    result = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "errors: 0" in out.splitlines(), out
    assert "health errors: 0" in out.splitlines(), out
    for name in ("availability", "background-checks", "export", "page"):
        line = next(line for line in out.splitlines() if line.strip().startswith(name))
        assert int(line.split()[1]) > 0, out  # requests of that kind were made
    # /health was probed while the largest availability was saved and expanded, at least once.
    rounds = re.search(r"expands a year \((\d+) rounds\)", out)
    assert rounds is not None and int(rounds.group(1)) >= 1, out
