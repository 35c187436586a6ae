"""Settings: one dataclass, read from the environment."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Everything the service is configured with; `from_env` reads `SAMVERKA_*` and `DATABASE_URL`."""

    data_dir: Path = Path("var")
    database_url: str = ""
    secret_key: str = ""
    base_url: str = "http://127.0.0.1:8000"
    timezone: str = "Europe/Stockholm"
    secure_cookies: bool = False
    session_days: int = 14
    debug: bool = False
    rate_limit_per_minute: int = 10
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_from: str = "samverka@localhost"
    match_time_limit_seconds: float = 60.0
    signing_key_pem: str = ""
    sql_echo: bool = False
    jobs_interval_seconds: float = 60.0
    retention_days: int = 730
    # Start the solver's worker process at start-up (served apps; not every test's app).
    warm_solver: bool = False
    # Which instance this is, recorded on the match runs it starts: after a crash it fails
    # its own unfinished runs at start-up whatever their age. Empty: host name and data dir.
    instance_id: str = ""
    # Addresses or networks of the reverse proxies whose X-Forwarded-For is believed
    # (SAMVERKA_TRUSTED_PROXIES, comma-separated); none by default, so a caller cannot
    # pick their own address for the rate limits.
    trusted_proxies: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "samverka.sqlite3"

    @property
    def effective_database_url(self) -> str:
        """`DATABASE_URL`, or the embedded SQLite file in the data directory."""
        if self.database_url:
            url = self.database_url
            # Accept the URLs hosting platforms hand out and pick the async drivers.
            if url.startswith("postgres://"):
                url = "postgresql+asyncpg://" + url[len("postgres://") :]
            elif url.startswith("postgresql://"):
                url = "postgresql+asyncpg://" + url[len("postgresql://") :]
            elif url.startswith("sqlite:///"):
                url = "sqlite+aiosqlite:///" + url[len("sqlite:///") :]
            return url
        return f"sqlite+aiosqlite:///{self.sqlite_path}"

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Read settings from the environment (or a given mapping)."""
        e = dict(os.environ if env is None else env)
        data_dir = Path(e.get("SAMVERKA_DATA_DIR", "var")).resolve()
        return cls(
            data_dir=data_dir,
            database_url=e.get("DATABASE_URL", ""),
            secret_key=e.get("SAMVERKA_SECRET_KEY", ""),
            base_url=e.get("SAMVERKA_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
            secure_cookies=_bool(e.get("SAMVERKA_SECURE_COOKIES"), False),
            session_days=int(e.get("SAMVERKA_SESSION_DAYS", "14")),
            debug=_bool(e.get("SAMVERKA_DEBUG"), False),
            rate_limit_per_minute=int(e.get("SAMVERKA_RATE_LIMIT_PER_MINUTE", "10")),
            smtp_host=e.get("SAMVERKA_SMTP_HOST", ""),
            smtp_port=int(e.get("SAMVERKA_SMTP_PORT", "25")),
            smtp_from=e.get("SAMVERKA_SMTP_FROM", "samverka@localhost"),
            match_time_limit_seconds=float(e.get("SAMVERKA_MATCH_TIME_LIMIT", "60")),
            signing_key_pem=e.get("SAMVERKA_SIGNING_KEY", ""),
            sql_echo=_bool(e.get("SAMVERKA_SQL_ECHO"), False),
            jobs_interval_seconds=float(e.get("SAMVERKA_JOBS_INTERVAL", "60")),
            retention_days=int(e.get("SAMVERKA_RETENTION_DAYS", "730")),
            warm_solver=_bool(e.get("SAMVERKA_WARM_SOLVER"), True),
            instance_id=e.get("SAMVERKA_INSTANCE_ID", ""),
            trusted_proxies=tuple(x.strip() for x in e.get("SAMVERKA_TRUSTED_PROXIES", "").split(",") if x.strip()),
        )

    @property
    def resolved_instance_id(self) -> str:
        """This instance's name: given, or the host and the data directory (the same after a restart)."""
        import socket

        return (self.instance_id or f"{socket.gethostname()}:{self.data_dir}")[:200]

    def resolved_secret_key(self) -> str:
        """The secret for CSRF tokens: given, or made once and kept in the data directory."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another instance made it first
            return path.read_text().strip()
        with os.fdopen(fd, "w") as f:
            f.write(key)
        return key
