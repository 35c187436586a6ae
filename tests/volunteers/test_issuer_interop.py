"""A verifier that is not ours finds the issuer's key through the published profile or DID
document and checks an issued certificate's proof: pypdf, rfc8785, hashlib and
cryptography only, none of Samverka's verifier code."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from urllib.parse import quote, urlsplit

import pypdf
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from experience_support import confirm, standard_work

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + _B58.index(char)
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\x00" * (len(text) - len(text.lstrip("1"))) + raw


def _multikey(method: dict) -> bytes:
    raw = _b58decode(method["publicKeyMultibase"][1:])
    assert raw[:2] == b"\xed\x01"
    jwk = method["publicKeyJwk"]["x"]
    assert base64.urlsafe_b64decode(jwk + "=" * (-len(jwk) % 4)) == raw[2:]  # the two forms agree
    return raw[2:]


def _check(credential: dict, public_key: bytes) -> None:
    (proof,) = credential["proof"]
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    options["@context"] = credential["@context"]
    document = {k: v for k, v in credential.items() if k != "proof"}
    message = hashlib.sha256(rfc8785.dumps(options)).digest() + hashlib.sha256(rfc8785.dumps(document)).digest()
    assert proof["proofValue"].startswith("z")
    Ed25519PublicKey.from_public_bytes(public_key).verify(_b58decode(proof["proofValue"][1:]), message)


def test_an_outside_verifier_resolves_the_key_through_profile_and_did_document(api, world, settings):
    work = standard_work(settings, world)
    sisu = api("leader_sisu")
    for session in ("f1", "f2"):
        assert confirm(sisu, work, session, {"vol_anna": (True, 90), "vol_bo": (True, 90)}).status_code == 200
    anna = world.profiles["vol_anna"]
    codes = ["coach_young_people", "work_in_teams", "listen_actively"]
    assert api("vol_anna").patch(f"/api/volunteers/{anna}", json={"skills": codes}).status_code == 200
    coord = api("coordinator")
    issued = coord.post(f"/api/volunteers/{anna}/certificates", json={"language": "en"})
    assert issued.status_code == 201, issued.text
    pdf = coord.get(f"/api/certificates/{issued.json()['public_id']}.pdf").content
    (payload,) = pypdf.PdfReader(io.BytesIO(pdf)).attachments["credential.json"]
    credential = json.loads(payload)
    (proof,) = credential["proof"]
    method_url = proof["verificationMethod"]
    issuer = credential["issuer"]["id"]
    assert method_url.split("#")[0] == issuer

    anonymous = api()
    path = urlsplit(issuer).path or "/"
    # 1. Dereference the issuer id as JSON: an OB 3.0 Profile listing the key.
    for accept in ("application/json", "application/ld+json"):
        profile = anonymous.get(path, headers={"Accept": accept})
        assert profile.status_code == 200 and profile.headers["content-type"].startswith("application/json")
    profile = profile.json()
    assert profile["id"] == issuer and "Profile" in profile["type"]
    (method,) = [m for m in profile["verificationMethod"] if m["id"] == method_url]
    assert method_url in profile["assertionMethod"]
    _check(credential, _multikey(method))
    # A browser still gets the start page.
    assert anonymous.get(path, headers={"Accept": "text/html"}).headers["content-type"].startswith("text/html")

    # 2. Resolve did:web the way the did:web method says: host -> /.well-known/did.json.
    did = "did:web:" + quote(urlsplit(issuer).netloc, safe="")
    document = anonymous.get("/.well-known/did.json").json()
    assert document["id"] == did and issuer in document["alsoKnownAs"]
    fragment = method_url.split("#")[1]
    (did_method,) = [m for m in document["verificationMethod"] if m["id"] == f"{did}#{fragment}"]
    assert did_method["id"] in document["assertionMethod"]
    _check(credential, _multikey(did_method))

    # A changed credential does not verify with that key.
    changed = json.loads(payload)
    changed["credentialSubject"]["samverka"]["verifiedMinutes"] += 60
    try:
        _check(changed, _multikey(did_method))
    except Exception as exc:
        assert type(exc).__name__ == "InvalidSignature"
    else:
        raise AssertionError("a changed credential verified")

    # 3. The achievement id answers an OB 3.0 Achievement to a JSON client, a page otherwise.
    achievement_id = credential["credentialSubject"]["achievement"]["id"]
    achievement_path = urlsplit(achievement_id).path
    found = anonymous.get(achievement_path, headers={"Accept": "application/ld+json"})
    assert found.status_code == 200
    assert found.json()["id"] == achievement_id and found.json()["type"] == ["Achievement"]
    assert anonymous.get(achievement_path).headers["content-type"].startswith("text/html")
