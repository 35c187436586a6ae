"""HTTP for certificates: issue, list, download, revoke, withdraw, bulk; /verify and the keyset."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import Parameter
from litestar.status_codes import HTTP_202_ACCEPTED

from volunteers.accounts.actor import Actor
from volunteers.accounts.middleware import coordinator_only
from volunteers.accounts.ratelimit import rate_limited
from volunteers.certify import bulk, schemas, services
from volunteers.certify.keys import KeyStore
from volunteers.db.session import Db
from volunteers.errors import NotFound

ActorRequest = Request[Actor, Any, Any]
Wait = Annotated[float, Parameter(ge=0, le=120, description="Wait up to this many seconds for the job to finish")]


def _keys(state: State) -> KeyStore:
    keys: KeyStore = state.signing_keys
    return keys


class VolunteerCertificateController(Controller):
    path = "/api/volunteers/{volunteer_id:uuid}/certificates"
    tags = ["certificates"]

    @post("/", summary="Issue a certificate of verified hours (coordinators; the volunteer past the threshold)")
    async def issue(
        self,
        volunteer_id: uuid.UUID,
        db: Db,
        request: ActorRequest,
        state: State,
        data: schemas.IssueIn | None = None,
    ) -> schemas.CertificateOut:
        cert = await services.issue(
            db,
            request.user,
            volunteer_id,
            data or schemas.IssueIn(),
            _keys(state).signing(),
            state.settings.base_url,
            state.clock(),
        )
        return services.certificate_out(cert, state.settings.base_url)

    @get("/", summary="A volunteer's certificates (the volunteer, coordinators)")
    async def list_certificates(
        self, volunteer_id: uuid.UUID, db: Db, request: ActorRequest, state: State
    ) -> list[schemas.CertificateOut]:
        certs = await services.list_for_volunteer(db, request.user, volunteer_id)
        return [services.certificate_out(c, state.settings.base_url) for c in certs]


class CertificateController(Controller):
    path = "/api/certificates"
    tags = ["certificates"]

    @get("/{name:str}", summary="Download a certificate as issued: /api/certificates/{id}.pdf")
    async def download(self, name: str, db: Db, request: ActorRequest) -> Response[bytes]:
        if not name.endswith(".pdf"):
            raise NotFound(f"certificate {name} not found")
        public_id = name.removesuffix(".pdf")
        pdf, filename = await services.download(db, request.user, public_id)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "private, no-store",
            },
        )

    @post("/{public_id:str}/revoke", guards=[coordinator_only], status_code=200, summary="Revoke with a reason")
    async def revoke(
        self, public_id: str, data: schemas.RevokeIn, db: Db, request: ActorRequest, state: State
    ) -> schemas.CertificateOut:
        cert = await services.revoke(db, request.user, public_id, data.reason, state.clock())
        return services.certificate_out(cert, state.settings.base_url)

    @post("/{public_id:str}/withdraw", status_code=200, summary="Withdraw your own certificate")
    async def withdraw(self, public_id: str, db: Db, request: ActorRequest, state: State) -> schemas.CertificateOut:
        cert = await services.withdraw(db, request.user, public_id, state.clock())
        return services.certificate_out(cert, state.settings.base_url)

    @post("/bulk", guards=[coordinator_only], status_code=HTTP_202_ACCEPTED, summary="Issue for many volunteers")
    async def bulk_issue(self, data: schemas.BulkIn, request: ActorRequest, state: State) -> schemas.BulkJob:
        return bulk.jobs(state).start(state, request.user, data)

    @get("/bulk/{job_id:uuid}", guards=[coordinator_only], summary="A bulk issue's progress and results")
    async def bulk_status(
        self, job_id: uuid.UUID, request: ActorRequest, state: State, wait: Wait = 0
    ) -> schemas.BulkJob:
        return await bulk.jobs(state).status(request.user, job_id, wait)


def _wants_json(request: Request[Any, Any, Any]) -> bool:
    return request.accept.best_match([MediaType.HTML, MediaType.JSON], default=MediaType.HTML) == MediaType.JSON


@get(
    "/verify/{public_id:str}",
    opt={"public": True},
    guards=[rate_limited("verify")],
    tags=["certificates"],
    summary="Is this certificate genuine and still valid? (HTML, or JSON with Accept: application/json)",
    media_type=MediaType.HTML,
)
async def verify_certificate(public_id: str, db: Db, request: Request[Any, Any, Any], state: State) -> Any:
    from volunteers.web.verify import verification_page  # the page lives with the other pages

    headers = {"Cache-Control": "no-store", "Vary": "Accept, Accept-Language"}
    try:
        result = await services.verification(db, public_id, state.settings.base_url)
    except NotFound:
        if _wants_json(request):
            raise
        return verification_page(request, None, headers)
    if _wants_json(request):
        return Response(result, media_type=MediaType.JSON, headers=headers)
    return verification_page(request, result, headers)


@get(
    "/.well-known/samverka-keys.json",
    opt={"public": True},
    tags=["certificates"],
    summary="The public keys that verify certificates, current and retired",
)
async def published_keys(state: State) -> Response[dict[str, Any]]:
    return Response(
        json.loads(_keys(state).published()),
        media_type=MediaType.JSON,
        headers={"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"},
    )
