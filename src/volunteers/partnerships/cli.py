"""`samverka partnership ...`: start a partnership from the command line."""

from __future__ import annotations

import asyncio
import datetime as dt

import click

from volunteers.settings import Settings


async def _found_and_send(settings: Settings, name: str, timezone: str, email: str, slug: str | None) -> str:
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from volunteers.db.engine import create_engine
    from volunteers.partnerships.founding import found
    from volunteers.partnerships.mail import deliver, invitation_link, invitation_text

    engine = create_engine(settings)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as db:
            partnership, invitation, token = await found(db, name, timezone, email, dt.datetime.now(dt.UTC), slug)
            await db.commit()
    finally:
        await engine.dispose()
    link = invitation_link(settings, token)
    subject, body = invitation_text("sv", partnership.name, "coordinator", None, link)
    lines = [f"partnership '{partnership.name}' created (slug {partnership.slug}, time zone {partnership.timezone})"]
    if await deliver(settings, invitation.email, subject, body):
        lines.append(f"invitation mailed to {invitation.email}; the link is valid for 7 days")
    else:
        lines.append(f"no mail server configured: give this link to {invitation.email} (valid 7 days, used once):")
        lines.append(link)
    return "\n".join(lines)


async def _reinvite(settings: Settings, slug: str, email: str) -> str:
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from volunteers.db.engine import create_engine
    from volunteers.partnerships.founding import invite_coordinator
    from volunteers.partnerships.mail import deliver, invitation_link, invitation_text

    engine = create_engine(settings)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as db:
            partnership, invitation, token = await invite_coordinator(db, slug, email, dt.datetime.now(dt.UTC))
            await db.commit()
    finally:
        await engine.dispose()
    link = invitation_link(settings, token)
    subject, body = invitation_text("sv", partnership.name, "coordinator", None, link)
    if await deliver(settings, invitation.email, subject, body):
        return f"invitation mailed to {invitation.email}"
    return f"no mail server configured: give this link to {invitation.email} (valid 7 days, used once):\n{link}"


@click.group("partnership")
def partnership() -> None:
    """Start a partnership and invite its first coordinator."""


@partnership.command("create")
@click.option("--name", required=True, help="The partnership's name, e.g. 'IOP Bäckby'.")
@click.option("--timezone", default="Europe/Stockholm", show_default=True, help="IANA time zone.")
@click.option("--coordinator", "email", required=True, help="E-mail of the first coordinator.")
@click.option("--slug", default=None, help="Short name in addresses (default: made from the name).")
def create(name: str, timezone: str, email: str, slug: str | None) -> None:
    """Create a partnership and send its first coordinator a single-use invitation."""
    from volunteers.errors import DomainError

    try:
        click.echo(asyncio.run(_found_and_send(Settings.from_env(), name, timezone, email, slug)))
    except DomainError as exc:
        raise click.ClickException(exc.detail) from exc


@partnership.command("invite-coordinator")
@click.option("--partnership", "slug", required=True, help="The partnership's slug.")
@click.argument("email")
def invite_coordinator(slug: str, email: str) -> None:
    """A new coordinator invitation (a lost first link, or every coordinator locked out)."""
    from volunteers.errors import DomainError

    try:
        click.echo(asyncio.run(_reinvite(Settings.from_env(), slug, email)))
    except DomainError as exc:
        raise click.ClickException(exc.detail) from exc
