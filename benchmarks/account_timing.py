"""How long log-in, registration and reset requests take for a known and an unknown address.

    python benchmarks/account_timing.py [--tries 200] [--database-url postgresql://...]

Starts `samverka serve` on the demo seed and prints the median and 90th-percentile times
for each kind, and the median difference: the figure an attacker would use to tell an
address with an account from one without (tests/volunteers/test_account_recovery.py
asserts a generous bound on it; this prints the real figures).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from _server import prepare, serve

KNOWN = "samordnare@demo.samverka.se"


def measure(url: str, tries: int) -> None:
    with httpx.Client(base_url=url, timeout=30) as client:
        client.get("/health")
        headers = {"x-csrftoken": client.cookies["csrftoken"]}

        seen: list[int] = []

        def post(path: str, body: dict[str, object]) -> float:
            # Each request from a new client (the server trusts this proxy header here), so
            # neither the per-client limits nor the back-off answer early for one kind.
            seen.append(len(seen))
            n = len(seen)
            forwarded = {"x-forwarded-for": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"}
            start = time.perf_counter()
            r = client.post(path, json=body, headers={**headers, **forwarded})
            elapsed = time.perf_counter() - start
            assert r.status_code < 429, r.text
            return elapsed

        cases = {
            "log-in": lambda email, i: post("/api/auth/login", {"email": email, "password": "wrong-password-here"}),
            "registration": lambda email, i: post(
                "/api/auth/register",
                {
                    "partnership": "pettersberg",
                    "email": email if email == KNOWN else f"bench{i}-{time.time_ns()}@example.se",
                    "password": "gul-bil-vid-sjon",
                    "first_name": "Bench",
                    "last_name": "Mark",
                    "birth_date": "1990-01-01",
                    "consent": True,
                },
            ),
            "reset request": lambda email, i: post("/api/auth/password-reset", {"email": email}),
        }
        for name, send in cases.items():
            times: dict[str, list[float]] = {"known": [], "unknown": []}
            for i in range(tries):
                times["known"].append(send(KNOWN, i))
                times["unknown"].append(send(f"nobody{i}@example.se", i))
            row = []
            for kind, values in times.items():
                values.sort()
                median, p90 = statistics.median(values) * 1000, values[int(0.9 * len(values))] * 1000
                row.append(f"{kind} median {median:6.1f} ms p90 {p90:6.1f} ms")
            gap = statistics.median(times["known"]) - statistics.median(times["unknown"])
            print(f"{name:14} {' | '.join(row)} | median gap {gap * 1000:+.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=100)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = prepare(Path(tmp), args.database_url)
        env["SAMVERKA_TRUSTED_PROXIES"] = "127.0.0.1"
        with serve(env) as url:
            measure(url, args.tries)


if __name__ == "__main__":
    main()
