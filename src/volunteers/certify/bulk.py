"""Issuing certificates for many volunteers at once: drafted, signed, rendered and stored as a pipeline.

A bulk issue runs as a job of this instance: the request returns at once with the job,
and `GET /api/certificates/bulk/{id}?wait=` follows it. Volunteers a rule refuses (no
verified hours, too few skills, ...) are listed as skipped with the rule's code.

Volunteers are drafted a chunk at a time; each draft is signed here and rendered in
the shared worker pool while the next chunk is drafted, and finished certificates are
committed in small batches as they come, each certificate in the same transaction as
its audit entry. So a bulk issue cut short (the server stopped or killed) leaves only
whole certificates, each audited, and issuing again for the same volunteers completes
the rest: a volunteer who already holds a valid certificate for the same hours and
language is skipped as `certificate_up_to_date`, naming that certificate. The check is
repeated in the transaction that stores, so two overlapping bulk issues do not issue
twice either.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from concurrent.futures.process import BrokenProcessPool as BrokenExecutor
from typing import Any

from litestar.datastructures import State
from sqlalchemy import select, tuple_

from volunteers.accounts.actor import Actor
from volunteers.certify import rendering, schemas
from volunteers.certify.drafting import Draft, Signatory, draft_many
from volunteers.certify.services import sign, store
from volunteers.db.models import Certificate, CertificateStatus
from volunteers.errors import DomainError, NotFound

log = logging.getLogger("samverka.certificates")
KEEP_JOBS = 50
DRAFT_CHUNK = 25  # volunteers drafted in one read transaction
SAVE_BATCH = 25  # certificates committed together, at most
SAVE_WAIT = 0.5  # seconds a finished certificate may wait for others to share its commit
UP_TO_DATE = "certificate_up_to_date"
RENDER_FAILED = "certificate_failed"


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


Rendered = tuple[Draft, dict[str, Any], bytes]


async def issue_many(
    state: State,
    actor: Actor,
    ids: list[uuid.UUID],
    language: Any,
    job: schemas.BulkJob,
    pool: rendering.BulkPool | None = None,
) -> None:
    """Draft, sign, render (in worker processes) and store certificates, committing as they finish."""
    key, keyset = state.signing_keys.signing()
    moment = state.clock().astimezone(dt.UTC).replace(microsecond=0)
    base_url = state.settings.base_url
    loop = asyncio.get_running_loop()
    signers: dict[uuid.UUID, Signatory] = {}
    timings = {"prepare": 0.0, "save": 0.0}
    finished: asyncio.Queue[Rendered | None] = asyncio.Queue()
    job.status = "rendering"
    started = time.perf_counter()

    async def rendered(d: Draft, executor: Any) -> None:
        # One certificate that cannot be signed or rendered is that volunteer's
        # failure, reported for them; the others go on (issue 15: one odd name once
        # stopped a bulk issue for everyone after it).
        try:
            credential = sign(d.data, key, moment)
            pdf = await loop.run_in_executor(executor, rendering.render_in_worker, d.data, credential)
        except Exception as exc:
            if isinstance(exc, asyncio.CancelledError | BrokenExecutor):
                raise
            log.exception("certificate for volunteer %s failed in bulk issue %s", d.profile_id, job.id)
            job.skipped.append(
                schemas.BulkSkipped(
                    d.profile_id, RENDER_FAILED, f"the certificate could not be made: {exc}"[:300], None
                )
            )
            return
        await finished.put((d, credential, pdf))

    async def produce(executor: Any) -> None:
        renders: list[asyncio.Task[None]] = []
        try:
            for start in range(0, len(ids), DRAFT_CHUNK):
                mark = time.perf_counter()
                drafts = await _draft_chunk(
                    state,
                    actor,
                    ids[start : start + DRAFT_CHUNK],
                    language,
                    moment,
                    keyset.issuer,
                    base_url,
                    signers,
                    job,
                )
                for d in drafts:
                    renders.append(asyncio.create_task(rendered(d, executor)))
                timings["prepare"] += time.perf_counter() - mark
            await asyncio.gather(*renders)
        except BaseException:
            for task in renders:
                task.cancel()
            raise
        finally:
            await finished.put(None)

    async with (pool or rendering.BULK_POOL).acquired() as executor:
        producer = asyncio.create_task(produce(executor))
        try:
            ended = False
            while not ended:
                batch: list[Rendered] = []
                item = await finished.get()
                deadline = loop.time() + SAVE_WAIT
                while item is not None:
                    batch.append(item)
                    if len(batch) >= SAVE_BATCH:
                        break
                    try:
                        item = await asyncio.wait_for(finished.get(), max(0.0, deadline - loop.time()))
                    except TimeoutError:
                        break
                ended = item is None
                if batch:
                    mark = time.perf_counter()
                    await _save(state, actor, batch, key.key_id, moment, job)
                    timings["save"] += time.perf_counter() - mark
            await producer  # raises what went wrong while drafting or rendering
        finally:
            if not producer.done():
                producer.cancel()
    job.timings = {name: round(seconds, 3) for name, seconds in timings.items()}
    job.timings["total"] = round(time.perf_counter() - started, 3)


async def _draft_chunk(
    state: State,
    actor: Actor,
    ids: list[uuid.UUID],
    language: Any,
    moment: dt.datetime,
    issuer: str,
    base_url: str,
    signers: dict[uuid.UUID, Signatory],
    job: schemas.BulkJob,
) -> list[Draft]:
    drafts: list[Draft] = []
    async with state.sessionmaker() as db:
        results = await draft_many(db, actor, ids, language, moment, issuer, base_url, signers)
        await db.rollback()
    for vid, result in zip(ids, results, strict=True):
        if isinstance(result, DomainError):
            public_id = result.extra.get("public_id") if result.code == UP_TO_DATE else None
            job.skipped.append(schemas.BulkSkipped(vid, result.code, result.detail, public_id))
        else:
            drafts.append(result)
    return drafts


async def _save(
    state: State, actor: Actor, batch: list[Rendered], key_id: str, moment: dt.datetime, job: schemas.BulkJob
) -> None:
    """Store a batch of certificates with their audit entries in one transaction."""
    issued: list[schemas.BulkIssued] = []
    async with state.write_sessionmaker() as db:
        wanted = [(d.profile_id, d.data.verified_minutes, d.data.language) for d, _, _ in batch]
        rows = await db.execute(
            select(Certificate.volunteer_id, Certificate.verified_minutes, Certificate.language, Certificate.public_id)
            .where(Certificate.status == CertificateStatus.VALID)
            .where(tuple_(Certificate.volunteer_id, Certificate.verified_minutes, Certificate.language).in_(wanted))
        )
        held = {(r[0], r[1], r[2]): r[3] for r in rows}
        skipped: list[schemas.BulkSkipped] = []
        for d, credential, pdf in batch:
            found = held.get((d.profile_id, d.data.verified_minutes, d.data.language))
            if found is not None:  # issued meanwhile by another request
                skipped.append(
                    schemas.BulkSkipped(
                        d.profile_id, UP_TO_DATE, "a valid certificate with these hours already exists", found
                    )
                )
                continue
            store(db, actor, d, credential, pdf, key_id, moment)
            held[(d.profile_id, d.data.verified_minutes, d.data.language)] = d.data.id
            issued.append(schemas.BulkIssued(d.profile_id, d.data.id))
        await db.commit()
    job.issued += issued
    job.skipped += skipped


def jobs(state: State) -> BulkJobs:
    """This app's bulk jobs (made on first use)."""
    found: BulkJobs | None = getattr(state, "certificate_jobs", None)
    if found is None:
        found = state.certificate_jobs = BulkJobs()
    return found
