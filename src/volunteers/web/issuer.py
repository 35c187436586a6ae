"""The issuer's published identity: what standard Open Badges 3.0 and VC verifiers fetch.

A credential's proof names its key as `<issuer id>#<key id>`. A verifier that is not
ours dereferences that URL: it fetches the issuer id asking for JSON and finds the key
among the profile's `verificationMethod`s (OB 3.0 Profile, keys as Multikey with the
JWK beside). The same keys are published as a `did:web` document at
`/.well-known/did.json`, for verifiers that resolve DIDs, with the issuer's https id in
`alsoKnownAs`. The achievement id answers an OB 3.0 Achievement. Browsers get HTML.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from litestar import MediaType, Request, Response, get
from litestar.datastructures import State
from sqlalchemy import select

from certificates import KeySet
from volunteers.certify.keys import KeyStore
from volunteers.db.models import Partnership
from volunteers.db.session import Db

PUBLIC = {"public": True}
JSON_TYPES = (MediaType.JSON.value, "application/ld+json")
ACHIEVEMENT_PATH = "/achievements/volunteer-service"
_HEADERS = {"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*", "Vary": "Accept"}
_DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
_OB_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def wants_json(request: Request[Any, Any, Any]) -> bool:
    """Whether the client asked for JSON (or JSON-LD) rather than a page."""
    best = request.accept.best_match([MediaType.HTML.value, *JSON_TYPES], default=MediaType.HTML.value)
    return best in JSON_TYPES


def did_web(issuer: str) -> str:
    """The did:web identifier of an https issuer id (`https://host:port/path` -> `did:web:host%3Aport:path`)."""
    parts = urlsplit(issuer)
    name = quote(parts.netloc, safe="")
    path = [segment for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", name, *path])


def _methods(keyset: KeySet, controller: str, prefix: str) -> list[dict[str, Any]]:
    methods = []
    for entry in keyset.keys:
        if entry.revoked:
            continue  # a revoked key verifies nothing, so it is not published as a method
        published = entry.to_json()
        methods.append(
            {
                "id": f"{prefix}#{entry.key_id}",
                "type": "Multikey",
                "controller": controller,
                "publicKeyMultibase": published["publicKeyMultibase"],
                "publicKeyJwk": published["publicKeyJwk"],
            }
        )
    return methods


def issuer_profile(keyset: KeySet, name: str) -> dict[str, Any]:
    """The issuer's OB 3.0 Profile, with its keys as verification methods."""
    methods = _methods(keyset, keyset.issuer, keyset.issuer)
    return {
        "@context": [*_OB_CONTEXT, "https://w3id.org/security/multikey/v1"],
        "id": keyset.issuer,
        "type": ["Profile"],
        "name": name,
        "url": keyset.issuer,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
        "alsoKnownAs": [did_web(keyset.issuer)],
    }


def did_document(keyset: KeySet) -> dict[str, Any]:
    """The did:web document of the issuer: the same keys under the DID."""
    did = did_web(keyset.issuer)
    methods = _methods(keyset, did, did)
    return {
        "@context": _DID_CONTEXT,
        "id": did,
        "alsoKnownAs": [keyset.issuer],
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def achievement(issuer: str, name: str) -> dict[str, Any]:
    """The OB 3.0 Achievement every certificate is an award of."""
    return {
        "@context": _OB_CONTEXT,
        "id": issuer + ACHIEVEMENT_PATH,
        "type": ["Achievement"],
        "achievementType": "CommunityService",
        "name": f"Volunteer work in {name}",
        "description": "Unpaid volunteer work in an idea-based public partnership, with hours and sessions "
        "confirmed by the activity leader.",
        "criteria": {
            "narrative": "Verified attendance: each session's hours confirmed by the activity's leader. "
            "Skills are aligned to ESCO v1.2.0."
        },
        "creator": {"id": issuer, "type": ["Profile"], "name": name},
        "inLanguage": "en",
    }


async def issuer_name(db: Db) -> str:
    """The name an issuer profile shows: the installation's partnerships."""
    names = (await db.execute(select(Partnership.name).order_by(Partnership.name))).scalars().all()
    return ", ".join(names) or "Samverka"


def _keyset(state: State) -> KeySet:
    keys: KeyStore = state.signing_keys
    return keys.signing()[1]


def issuer_json(state: State, name: str) -> Response[dict[str, Any]]:
    """The issuer profile as a JSON response (for the start page when JSON is asked for)."""
    return Response(issuer_profile(_keyset(state), name), media_type=MediaType.JSON, headers=_HEADERS)


@get("/.well-known/did.json", opt=PUBLIC, name="did-document", media_type=MediaType.JSON)
async def did_json(state: State) -> Response[dict[str, Any]]:
    """The did:web document publishing the signing keys."""
    return Response(did_document(_keyset(state)), media_type=MediaType.JSON, headers=_HEADERS)


@get(ACHIEVEMENT_PATH, opt=PUBLIC, name="achievement")
async def achievement_page(db: Db, state: State, request: Request[Any, Any, Any]) -> Response[Any]:
    """The achievement: JSON for a verifier, a short page for a person."""
    name = await issuer_name(db)
    body = achievement(_keyset(state).issuer, name)
    if wants_json(request):
        return Response(body, media_type=MediaType.JSON, headers=_HEADERS)
    from html import escape

    page = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"/><title>{escape(body["name"])}</title>'
        f"</head><body><h1>{escape(body['name'])}</h1><p>{escape(body['description'])}</p>"
        f"<p>{escape(body['criteria']['narrative'])}</p></body></html>"
    )
    return Response(page, media_type=MediaType.HTML, headers={"Vary": "Accept"})


issuer_routes = [did_json, achievement_page]
