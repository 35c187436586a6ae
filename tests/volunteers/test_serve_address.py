"""`samverka serve --port N` puts its own address in the links it hands out, unless told another."""

from __future__ import annotations

import os

import pytest
import uvicorn
from click.testing import CliRunner

from volunteers.cli import main, own_address
from volunteers.settings import Settings


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The base URL the app would be made with (uvicorn.run is where serving would start)."""
    seen: list[str] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: seen.append(Settings.from_env().base_url))
    monkeypatch.delenv("SAMVERKA_BASE_URL", raising=False)
    return seen


def test_links_point_at_the_port_served(served: list[str]) -> None:
    result = CliRunner().invoke(main, ["serve", "--port", "8109"])
    assert result.exit_code == 0, result.output
    assert served == ["http://127.0.0.1:8109"]
    os.environ.pop("SAMVERKA_BASE_URL", None)  # serve set it for its workers


def test_a_configured_base_url_wins(served: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMVERKA_BASE_URL", "https://samverka.example.se")
    assert CliRunner().invoke(main, ["serve", "--port", "8109"]).exit_code == 0
    assert served == ["https://samverka.example.se"]


def test_own_address_of_a_wildcard_or_ipv6_host() -> None:
    assert own_address("0.0.0.0", 8000) == "http://127.0.0.1:8000"
    assert own_address("::1", 8000) == "http://[::1]:8000"
