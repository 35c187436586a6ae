"""The `samverka` command: database, seeds, server."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from volunteers.settings import Settings


@click.group()
def main() -> None:
    """Samverka: staff a partnership's activities with volunteers."""


@main.group()
def db() -> None:
    """The database schema."""


@db.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
def db_upgrade(revision: str) -> None:
    """Migrate the database to the newest schema and load the skills catalogue."""
    from volunteers.catalogue import load_catalogue
    from volunteers.db import migrate

    settings = Settings.from_env()
    migrate.upgrade(settings, revision)
    asyncio.run(load_catalogue(settings))
    click.echo(f"database at {revision}: {_safe_url(settings)}")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Take the schema back to REVISION (e.g. base)."""
    from volunteers.db import migrate

    migrate.downgrade(Settings.from_env(), revision)


@main.command()
@click.option("--volunteers", type=int, default=None, help="Synthetic volunteers (default: the demo's ~150).")
@click.option("--weeks", type=int, default=8, show_default=True, help="Weeks of sessions ahead.")
@click.option("--seed", "seed_value", type=int, default=2026, show_default=True)
def seed(volunteers: int | None, weeks: int, seed_value: int) -> None:
    """Seed the demo partnership IOP Pettersberg (idempotent)."""
    from seeds.demo import seed_demo

    from volunteers.db.engine import analyze, create_engine

    settings = Settings.from_env()
    summary = asyncio.run(seed_demo(settings, volunteers=volunteers, weeks=weeks, seed=seed_value))

    async def refresh_statistics() -> None:
        engine = create_engine(settings)
        try:
            await analyze(engine)
        finally:
            await engine.dispose()

    asyncio.run(refresh_statistics())
    click.echo(summary)


@main.group()
def keys() -> None:
    """The keys that sign certificates."""


@keys.command("rotate")
@click.option("--at", "at", default=None, help="When the new key takes over (ISO time, UTC); default now.")
def keys_rotate(at: str | None) -> None:
    """Make a new signing key; old public keys stay published so their certificates still verify."""
    import datetime as dt

    from certificates import KeySetError
    from volunteers.certify.keys import rotate_keys

    moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00")) if at else None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        old, new = rotate_keys(Settings.from_env(), moment)
    except KeySetError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"signing key {new} replaces {old}; {old} stays published for verification")


@keys.command("show")
def keys_show() -> None:
    """Print the published keyset (creating the first key if there is none)."""
    from volunteers.certify.keys import KeyStore

    click.echo(KeyStore(Settings.from_env()).published().decode(), nl=False)


def own_address(host: str, port: int) -> str:
    """The address a browser on this machine reaches `serve` at."""
    shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host  # noqa: S104 (naming, not binding)
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, type=int, show_default=True)
@click.option("--workers", default=1, type=int, show_default=True)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web app and API."""
    import os

    import uvicorn

    from volunteers.serving import uvicorn_options

    # Links in mail, on the invitation page and on certificates use the base URL: without
    # SAMVERKA_BASE_URL they point at this server, not at port 8000 whatever --port says.
    os.environ.setdefault("SAMVERKA_BASE_URL", own_address(host, port))
    uvicorn.run("volunteers.app:create_app", factory=True, **uvicorn_options(Settings.from_env(), host, port, workers))


@main.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(target: Path) -> None:
    """Write the database, the signing keys and the secret to the archive TARGET (0600) while the service runs.

    Anyone holding the archive can sign certificates and read every volunteer's data:
    keep it as safe as the keys themselves. On PostgreSQL it holds the keys and the
    secret; back the database up with pg_dump.
    """
    from volunteers.backup import BackupError, backup

    try:
        size, holds = backup(Settings.from_env(), target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"backed up {size} bytes to {target} (readable by you only):")
    for line in holds:
        click.echo(f"  {line}")
    click.echo("It holds the signing key: keep it as safe as the keys themselves.")


@main.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.confirmation_option(prompt="Replace the database with this backup? Stop the service first.")
def restore_command(source: Path) -> None:
    """Put the backup SOURCE back: the database, and its keys so earlier certificates keep verifying."""
    from volunteers.backup import BackupError, restore

    try:
        restored = restore(Settings.from_env(), source)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"restored {source}:")
    for line in restored:
        click.echo(f"  {line}")


def _safe_url(settings: Settings) -> str:
    url = settings.effective_database_url
    if "@" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def _register_groups() -> None:
    """Command groups that live beside their domain."""
    from volunteers.imports.cli import export_command, import_group
    from volunteers.partnerships.cli import partnership

    main.add_command(partnership)
    main.add_command(import_group)
    main.add_command(export_command)


_register_groups()
