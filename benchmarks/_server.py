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
_servers: dict[str, subprocess.Popen[bytes]] = {}  # url -> the `samverka serve` process


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
    # SAMVERKA_BENCH_SERVER_LOG=path keeps the server's log (tracebacks of any 5xx) there.
    log_path = os.environ.get("SAMVERKA_BENCH_SERVER_LOG")
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen(
        [str(BIN / "samverka"), "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=log,
        stderr=log,
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
        _servers[url] = proc
        yield url
    finally:
        _servers.pop(url, None)
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        if log is not subprocess.DEVNULL:
            log.close()


async def login(client: httpx.AsyncClient, email: str, password: str = "pettersberg-demo-2026") -> None:
    await client.get("/health")  # the CSRF cookie: every write needs it, log-in included
    client.headers["x-csrftoken"] = client.cookies.get("csrftoken", "")
    r = await client.post("/api/auth/login", json={"email": email, "password": password})
    r.raise_for_status()


def server_cpu_seconds(url: str) -> float | None:
    """CPU seconds (user + system) used so far by the server at `url` and its worker
    processes, read from /proc; None where there is no /proc. Unlike latency, CPU per
    request hardly changes with what else the machine is doing."""
    proc = _servers.get(url)
    proc_dir = Path("/proc")
    if proc is None or not (proc_dir / str(proc.pid)).exists():
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    cpu: dict[int, int] = {}
    for entry in proc_dir.iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            parents[int(entry.name)] = int(fields[1])
            cpu[int(entry.name)] = int(fields[11]) + int(fields[12])  # utime, stime
    tree, grown = {proc.pid}, True
    while grown:
        grown = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grown = True
    return sum(cpu.get(pid, 0) for pid in tree) / ticks


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]
