"""Run the Alembic migrations from code (`samverka db upgrade`, tests, start-up)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from volunteers.settings import Settings

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(settings: Settings) -> Config:
    """An Alembic configuration bound to these settings; no alembic.ini needed."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", settings.effective_database_url)
    cfg.attributes["settings"] = settings
    return cfg


def upgrade(settings: Settings, revision: str = "heads") -> None:
    """Bring the database schema up to `revision` (must not run inside an event loop).

    "heads": every branch of migrations, so that parallel ones (0005_<slug>) apply before they are chained.
    """
    command.upgrade(alembic_config(settings), revision)


def downgrade(settings: Settings, revision: str) -> None:
    """Take the schema back to `revision`."""
    command.downgrade(alembic_config(settings), revision)


def revision(settings: Settings, message: str) -> None:
    """Autogenerate a new migration from the models (a developer's tool)."""
    command.revision(alembic_config(settings), message=message, autogenerate=True)
