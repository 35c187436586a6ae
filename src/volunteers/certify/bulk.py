"""Issuing certificates for many volunteers at once: drafted in the database, rendered in a process pool.

A bulk issue runs as a job of this instance: the request returns at once with the job,
and `GET /api/certificates/bulk/{id}?wait=` follows it. Volunteers a rule refuses (no
verified hours, too few skills, ...) are listed as skipped with the rule's code.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from typing import Any

from litestar.datastructures import State

from volunteers.accounts.actor import Actor
from volunteers.certify import rendering, schemas
from volunteers.certify.drafting import Draft, draft
from volunteers.certify.services import sign, store
from volunteers.errors import DomainError, NotFound

log = logging.getLogger("samverka.certificates")
KEEP_JOBS = 50
SAVE_BATCH = 100


class BulkJobs:
    """The bulk issues of this instance, newest last."""

    def __init__(self) -> None:
        self._jobs: dict[uuid.UUID, tuple[uuid.UUID, schemas.BulkJob, asyncio.Event]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, state: State, actor: Actor, data: schemas.BulkIn) -> schemas.BulkJob:
        ids = list(dict.fromkeys(data.volunteer_ids))
        job = schemas.BulkJob(id=uuid.uuid4(), status="queued", total=len(ids), issued=[], skipped=[])
        done = asyncio.Event()
        self._jobs[job.id] = (actor.user_id, job, done)
        while len(self._jobs) > KEEP_JOBS:
            self._jobs.pop(next(iter(self._jobs)))
        task = asyncio.create_task(self._run(state, actor, ids, data.language, job, done))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job

    async def status(self, actor: Actor, job_id: uuid.UUID, wait: float) -> schemas.BulkJob:
        found = self._jobs.get(job_id)
        if found is None or found[0] != actor.user_id:
            raise NotFound(f"bulk job {job_id} not found")
        _, job, done = found
        if wait:
            try:
                await asyncio.wait_for(done.wait(), wait)
            except TimeoutError:
                pass
        return job

    async def _run(
        self,
        state: State,
        actor: Actor,
        ids: list[uuid.UUID],
        language: Any,
        job: schemas.BulkJob,
        done: asyncio.Event,
    ) -> None:
        started = time.perf_counter()
        try:
            await issue_many(state, actor, ids, language, job)
            job.status = "done"
        except Exception as exc:  # the job reports it; the log has the traceback
            log.exception("bulk issue %s failed", job.id)
            job.status, job.error = "failed", str(exc) or type(exc).__name__
        finally:
            job.seconds = round(time.perf_counter() - started, 3)
            done.set()


async def issue_many(state: State, actor: Actor, ids: list[uuid.UUID], language: Any, job: schemas.BulkJob) -> None:
    """Draft every certificate, sign them here, render them in worker processes, store them."""
    key, keyset = state.signing_keys.signing()
    moment = state.clock().astimezone(dt.UTC).replace(microsecond=0)
    base_url = state.settings.base_url
    job.status = "preparing"
    mark = time.perf_counter()
    drafts: list[Draft] = []
    async with state.sessionmaker() as db:
        for vid in ids:
            try:
                drafts.append(await draft(db, actor, vid, language, moment, keyset.issuer, base_url))
            except DomainError as exc:
                job.skipped.append(schemas.BulkSkipped(vid, exc.code, exc.detail))
        await db.rollback()
    job.timings["prepare"] = round(time.perf_counter() - mark, 3)
    job.status, mark = "rendering", time.perf_counter()

    def sign_and_render() -> tuple[list[dict[str, Any]], list[bytes]]:
        credentials = [sign(d.data, key, moment) for d in drafts]
        return credentials, rendering.render_in_pool([(d.data, c) for d, c in zip(drafts, credentials, strict=True)])

    credentials, pdfs = await asyncio.get_running_loop().run_in_executor(None, sign_and_render)
    job.timings["render"] = round(time.perf_counter() - mark, 3)
    job.status, mark = "saving", time.perf_counter()
    for start in range(0, len(drafts), SAVE_BATCH):
        async with state.sessionmaker() as db:
            batch = range(start, min(start + SAVE_BATCH, len(drafts)))
            for i in batch:
                store(db, actor, drafts[i], credentials[i], pdfs[i], key.key_id, moment)
            await db.commit()
        job.issued += [schemas.BulkIssued(drafts[i].profile_id, drafts[i].data.id) for i in batch]
    job.timings["save"] = round(time.perf_counter() - mark, 3)


def jobs(state: State) -> BulkJobs:
    """This app's bulk jobs (made on first use)."""
    found: BulkJobs | None = getattr(state, "certificate_jobs", None)
    if found is None:
        found = state.certificate_jobs = BulkJobs()
    return found
