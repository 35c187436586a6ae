"""Helpers for the day-one tests: a real SMTP server, links read out of the mail, the CLI."""

from __future__ import annotations

import contextlib
import email
import re
import socket
import time
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from volunteers.cli import main
from volunteers.settings import Settings

LINK = re.compile(r"https?://\S+/invitation#([A-Za-z0-9_\-]+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def token_for(self, address: str) -> str:
        """The secret of the newest invitation mailed to the address."""
        body = self.to(address)[-1].get_content()
        match = LINK.search(body)
        assert match, body
        return match.group(1)

    def link_for(self, address: str, path: str) -> str:
        """The secret of the newest account link (confirm-email, reset-password) mailed to the address."""
        body = self.to(address)[-1].get_content()
        match = re.search(re.escape(path) + r"\?token=([A-Za-z0-9_\-]+)", body)
        assert match, body
        return match.group(1)


@pytest.fixture
def smtp() -> Any:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def with_smtp(settings: Settings, port: int, **more: Any) -> Settings:
    return settings.__class__(**{**settings.__dict__, "smtp_host": "127.0.0.1", "smtp_port": port, **more})


def cli_env(settings: Settings) -> dict[str, str]:
    env = {"SAMVERKA_DATA_DIR": str(settings.data_dir), "DATABASE_URL": settings.database_url}
    if settings.smtp_host:
        env |= {"SAMVERKA_SMTP_HOST": settings.smtp_host, "SAMVERKA_SMTP_PORT": str(settings.smtp_port)}
    return env


def samverka(settings: Settings, *args: str) -> str:
    """Run the `samverka` command against the test's database; its output."""
    result = CliRunner().invoke(main, list(args), env=cli_env(settings), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def start_partnership(settings: Settings, coordinator: str = "cora@ny.example.se") -> str:
    """`samverka partnership create` with no mail server: the printed link's secret."""
    out = samverka(
        settings,
        "partnership",
        "create",
        "--name",
        "IOP Bäckby",
        "--timezone",
        "Europe/Stockholm",
        "--coordinator",
        coordinator,
    )
    match = LINK.search(out)
    assert match, out
    return match.group(1)


COACH = "http://data.europa.eu/esco/skill/87439d9b-b537-4f90-a00a-3ec3bbfec5d1"
# Skills by English name, by the catalogue's Swedish name, and by ESCO URI.
SKILLS = ("provide first aid", f"Ge första hjälpen;{COACH}", "")


def volunteers_csv(count: int, start: int = 0) -> str:
    lines = ["first_name,last_name,email,phone,birth_date,languages,skills"]
    for i in range(start, start + count):
        lines.append(
            f"Vol{i},Svensson,vol{i}@import.example.se,070-123 45 {i % 100:02d},1990-0{1 + i % 9}-1{i % 10},sv;en,"
            f"{SKILLS[i % 3]}"
        )
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def live_server(settings: Settings) -> Iterator[str]:
    """`samverka serve`'s app under uvicorn on a loopback port, in a thread: the real HTTP API."""
    import threading

    import uvicorn

    from volunteers.app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:  # waiting for the thread to bind, not for time to pass
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
