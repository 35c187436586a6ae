"""`samverka import ...` and `samverka export ...`: CSV in and out from the command line."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from volunteers.settings import Settings


async def _with_partnership(settings: Settings, slug: str, work: Any) -> Any:
    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from volunteers.db.engine import create_engine
    from volunteers.db.models import Partnership

    engine = create_engine(settings)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as db:
            partnership = (await db.execute(select(Partnership).where(Partnership.slug == slug))).scalar_one_or_none()
            if partnership is None:
                raise click.ClickException(f"no partnership with the slug '{slug}'")
            return await work(db, partnership)
    finally:
        await engine.dispose()


def _report(problems: list[Any]) -> None:
    for p in problems:
        click.echo(f"line {p.line}, {p.column}: {p.reason}", err=True)


@click.group("import")
def import_group() -> None:
    """Bring in volunteers or activities from CSV (all rows or none)."""


@import_group.command("volunteers")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--partnership", "slug", required=True, help="The partnership's slug.")
@click.option("--dry-run", is_flag=True, help="Only check the file and list every problem.")
def import_volunteers(csv_file: Path, slug: str, dry_run: bool) -> None:
    """Import volunteers; each gets an invitation to choose a password and give consent."""
    from volunteers.imports.controllers import run_volunteers
    from volunteers.imports.volunteers import check

    settings = Settings.from_env()
    text = csv_file.read_text(encoding="utf-8-sig")
    now = dt.datetime.now(dt.UTC)

    async def work(db: Any, partnership: Any) -> Any:
        checked = await check(db, partnership, text, now)
        if checked.problems:
            return checked.problems, None
        result = await run_volunteers(db, settings, partnership, text, dry_run, None, now)
        return [], result

    problems, result = asyncio.run(_with_partnership(settings, slug, work))
    if problems:
        _report(problems)
        raise click.ClickException(f"{len(problems)} problem(s); nothing was imported")
    if dry_run:
        click.echo(f"{result.rows} rows, no problems (dry run: nothing imported)")
        return
    click.echo(f"imported {result.imported} volunteers; {result.mailed} invitations mailed")
    if result.links:
        click.echo("no mail server took these; give each person their link (valid 7 days, used once):")
        for hand in result.links:
            click.echo(f"{hand.email},{hand.link}")


@import_group.command("activities")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--partnership", "slug", required=True, help="The partnership's slug.")
@click.option("--dry-run", is_flag=True, help="Only check the file and list every problem.")
def import_activities(csv_file: Path, slug: str, dry_run: bool) -> None:
    """Import activities with their weekly sessions and needs."""
    from volunteers.imports import activities

    settings = Settings.from_env()
    text = csv_file.read_text(encoding="utf-8-sig")

    async def work(db: Any, partnership: Any) -> Any:
        checked = await activities.check(db, partnership, text)
        if checked.problems or dry_run:
            return checked.problems, len(checked.activities)
        count = await activities.import_activities(db, partnership, checked, None, dt.datetime.now(dt.UTC))
        await db.commit()
        return [], count

    problems, count = asyncio.run(_with_partnership(settings, slug, work))
    if problems:
        _report(problems)
        raise click.ClickException(f"{len(problems)} problem(s); nothing was imported")
    click.echo(
        f"{count} activities, no problems (dry run: nothing imported)" if dry_run else f"imported {count} activities"
    )


@click.command("export")
@click.argument("what", type=click.Choice(["volunteers", "activities"]))
@click.option("--partnership", "slug", required=True, help="The partnership's slug.")
def export_command(what: str, slug: str) -> None:
    """Write the volunteers or activities as CSV (the import's shape) to standard output."""
    from volunteers.imports import activities, volunteers

    module = volunteers if what == "volunteers" else activities
    sys.stdout.write(asyncio.run(_with_partnership(Settings.from_env(), slug, module.export)))
