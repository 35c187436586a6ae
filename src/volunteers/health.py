"""GET /health: is the service and its database answering."""

from __future__ import annotations

import asyncio

from litestar import Response, get
from litestar.datastructures import State
from sqlalchemy import text


@get(
    "/health",
    opt={"public": True},
    tags=["system"],
    summary="Service and database health",
    cache=False,
)
async def health(state: State) -> Response[dict[str, str]]:
    try:
        async with asyncio.timeout(2):
            async with state.sessionmaker() as db:
                await db.execute(text("SELECT 1"))
    except Exception:
        return Response({"status": "degraded", "database": "unavailable"}, status_code=503)
    return Response({"status": "ok", "database": "ok"})
