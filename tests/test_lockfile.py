"""requirements.lock, which `make install` installs from with hashes, holds every dependency pyproject.toml names.

A dependency added to pyproject.toml without `make lock` would be missing from every
fresh install (`pip install --no-deps -e .` does not fetch it): this fails first.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement).group(1)).lower()


def test_every_dependency_is_locked_with_hashes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    lock = (ROOT / "requirements.lock").read_text()
    pinned = dict(re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$", lock, flags=re.M))
    locked = {_name(n) for n in pinned}
    assert wanted - locked == set(), "run `make lock`"
    # Every pinned requirement carries at least one hash (pip's --require-hashes needs them all).
    blocks = re.split(r"^(?=[A-Za-z0-9][A-Za-z0-9._-]*==)", lock, flags=re.M)[1:]
    assert blocks and all("--hash=sha256:" in block for block in blocks)
