"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from volunteers.db import migrate
from volunteers.db.engine import create_engine
from volunteers.db.models import metadata


def schema_diff(settings):
    async def main():
        engine = create_engine(settings)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(
                    lambda c: compare_metadata(MigrationContext.configure(c, opts={"compare_type": False}), metadata)
                )
        finally:
            await engine.dispose()

    return asyncio.run(main())


def test_migrated_schema_matches_the_models(settings):
    # Types are not compared: SQLite reflects the portable GUID/JSON types only loosely.
    assert schema_diff(settings) == []


def test_migrations_go_down_to_nothing_and_up_again(settings):
    migrate.downgrade(settings, "base")
    migrate.upgrade(settings)
    assert schema_diff(settings) == []
