"""Start `samverka serve` on a loopback port for a benchmark, and stop it afterwards."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(data_dir: Path, database_url: str = "", volunteers: int | None = None, weeks: int = 8) -> dict[str, str]:
    """Migrate and seed a database (once: seeding is idempotent); returns the environment to use."""
    env = {**os.environ, "SAMVERKA_DATA_DIR": str(data_dir), "SAMVERKA_RATE_LIMIT_PER_MINUTE": "100000"}
    if database_url:
        env["DATABASE_URL"] = database_url
    subprocess.run([str(BIN / "samverka"), "db", "upgrade"], env=env, check=True, capture_output=True)
    args = [str(BIN / "samverka"), "seed", "--weeks", str(weeks)]
    if volunteers:
        args += ["--volunteers", str(volunteers)]
    subprocess.run(args, env=env, check=True, capture_output=True)
    return env


@contextlib.contextmanager
def serve(env: dict[str, str], workers: int = 1) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN / "samverka"), "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("server did not start")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


async def login(client: httpx.AsyncClient, email: str, password: str = "pettersberg-demo-2026") -> None:
    r = await client.post("/api/auth/login", json={"email": email, "password": password})
    r.raise_for_status()
    await client.get("/health")  # the CSRF cookie
    client.headers["x-csrftoken"] = client.cookies.get("csrftoken", "")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]
