"""The certificate as an Open Badges 3.0-shaped verifiable credential, and its proof.

The proof follows the eddsa-jcs-2022 cryptosuite (W3C Data Integrity EdDSA
Cryptosuites v1.0): the proof options (the proof without `proofValue`, carrying the
document's `@context`) and the document without its proof are each canonicalised with
RFC 8785 (JCS) and hashed with SHA-256; Ed25519 signs the two hashes concatenated,
options first; `proofValue` is the signature as multibase base58btc.

Facts that Open Badges has no term for (partner, hours in minutes, activities, tasks,
trainings, how each skill was assessed, the referee) sit in one `samverka` object that
the inline JSON-LD context declares as an opaque `@json` value.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, cast

import rfc8785

from certificates.catalogue import ESCO_CITATION
from certificates.errors import Failure, ProofError
from certificates.i18n import t
from certificates.model import Activity, CertificateData, Referee, Reference, Skill, Training
from certificates.signing import KeySet, SigningKey, multibase_decode, multibase_encode

CONTEXT: list[Any] = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    {"samverka": {"@id": "urn:samverka:vocab#certificate", "@type": "@json"}},
]
CRYPTOSUITE = "eddsa-jcs-2022"
ESCO_FRAMEWORK = "ESCO v1.2.0"
ID_PREFIX = "urn:samverka:certificate:"
CREDENTIAL_FILENAME = "credential.json"


def build_credential(data: CertificateData, issued_at: datetime | None = None) -> dict[str, Any]:
    """The unsigned credential stating the same facts as the page."""
    moment = _utc_seconds(issued_at)
    lang = data.language
    skills = [
        {
            "code": s.code,
            "escoUri": s.esco_uri,
            "labelEn": s.label_en,
            "labelSvProject": s.label_sv,
            "keyCompetence": s.key_competence,
            "assessedBy": s.assessed_by,
            "endorsements": s.endorsements,
        }
        for s in data.skills
    ]
    return {
        "@context": copy.deepcopy(CONTEXT),
        "id": ID_PREFIX + data.id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": t("title", lang),
        "issuer": {
            "id": data.issuer_url,
            "type": ["Profile"],
            "name": data.partnership,
        },
        "validFrom": _format(moment),
        "awardedDate": f"{data.issued_on.isoformat()}T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": data.volunteer_name,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "ext:birthDate",
                    "hashed": False,
                    "identityHash": data.birth_date.isoformat(),
                },
            ],
            "activityStartDate": f"{data.period_start.isoformat()}T00:00:00Z",
            "activityEndDate": f"{data.period_end.isoformat()}T00:00:00Z",
            "role": ", ".join(data.roles),
            "achievement": {
                "id": f"{data.issuer_url}/achievements/volunteer-service",
                "type": ["Achievement"],
                "achievementType": "CommunityService",
                "name": t("achievement", lang, partnership=data.partnership),
                "description": t("unpaid", lang),
                "criteria": {"narrative": t("unpaid", lang)},
                "inLanguage": lang,
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": s.label_en,
                        "targetUrl": s.esco_uri,
                        "targetFramework": ESCO_FRAMEWORK,
                        "targetCode": s.code,
                        "targetType": "ext:ESCOSkill",
                    }
                    for s in data.skills
                ],
            },
            "samverka": {
                "certificateId": data.id,
                "issuedOn": data.issued_on.isoformat(),
                "language": lang,
                "partner": data.partner,
                "partnership": data.partnership,
                "signatory": {"name": data.signatory_name, "role": data.signatory_role},
                "volunteer": {"name": data.volunteer_name, "birthDate": data.birth_date.isoformat()},
                "roles": list(data.roles),
                "activities": [
                    {"name": a.name, "kind": a.kind, "targetGroup": a.target_group, "place": a.place}
                    for a in data.activities
                ],
                "periodStart": data.period_start.isoformat(),
                "periodEnd": data.period_end.isoformat(),
                "verifiedMinutes": data.verified_minutes,
                "sessions": data.sessions,
                "unpaid": True,
                "tasks": list(data.tasks),
                "trainings": [
                    {"name": tr.name, "issuer": tr.issuer, "completedOn": tr.completed_on.isoformat()}
                    for tr in data.trainings
                ],
                "skills": skills,
                "skillsSource": ESCO_CITATION,
                "referee": (
                    None if data.referee is None else {"name": data.referee.name, "contact": data.referee.contact}
                ),
                "verifyUrl": data.verify_url,
                "partners": list(data.partners),
                "roleMinutes": list(data.role_minutes),
                "reference": (
                    None
                    if data.reference is None
                    else {
                        "text": data.reference.text,
                        "name": data.reference.name,
                        "role": data.reference.role,
                        "partner": data.reference.partner,
                        "contact": data.reference.contact,
                        **({"language": data.reference.language} if data.reference.language else {}),
                    }
                ),
                "checkUrl": data.check_url,
                **({"ownMinutes": data.own_minutes} if data.own_minutes else {}),
                "pageVersion": data.page_version,
            },
        },
    }


def sign_credential(credential: Mapping[str, Any], key: SigningKey, created: datetime | None = None) -> dict[str, Any]:
    """A copy of `credential` with an eddsa-jcs-2022 DataIntegrityProof by `key`."""
    document = {k: copy.deepcopy(v) for k, v in credential.items() if k != "proof"}
    issuer = _issuer_id(document)
    options: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": _format(_utc_seconds(created)),
        "verificationMethod": f"{issuer}#{key.key_id}",
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(_hash_data(options, document))
    # An array, as 1EdTech's OB 3.0 AchievementCredential schema requires (a VC may
    # carry several proofs); this credential carries exactly one.
    document["proof"] = [{**options, "proofValue": multibase_encode(signature)}]
    return document


def check_proof(credential: Mapping[str, Any], keyset: KeySet) -> str:
    """Check the credential's proof against `keyset`; return the key id that signed it.

    Raises `ProofError` naming the failure: malformed proof, unknown or invalid key,
    or a signature that does not match (the content changed).
    """
    proof = credential.get("proof")
    if isinstance(proof, list):
        # Certificates issued before proofs became arrays carry the object itself.
        if len(proof) != 1:
            raise ProofError(Failure.MALFORMED_CREDENTIAL, "the credential must carry exactly one proof")
        proof = proof[0]
    if not isinstance(proof, Mapping):
        raise ProofError(Failure.MALFORMED_CREDENTIAL, "the credential has no proof")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(Failure.MALFORMED_CREDENTIAL, f"the proof is not {CRYPTOSUITE}")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError(Failure.MALFORMED_CREDENTIAL, "the proof is not for assertion")
    method = str(proof.get("verificationMethod", ""))
    controller, _, key_id = method.rpartition("#")
    issuer = _issuer_id(credential)
    if controller != issuer or controller != keyset.issuer:
        raise ProofError(
            Failure.UNKNOWN_KEY,
            f"signed by {method!r}, but the keyset is for {keyset.issuer!r} and the credential names issuer {issuer!r}",
        )
    entry = keyset.get(key_id)
    if entry is None:
        raise ProofError(Failure.UNKNOWN_KEY, f"key {key_id!r} is not in the keyset")
    try:
        created = datetime.fromisoformat(str(proof["created"]).replace("Z", "+00:00"))
        signature = multibase_decode(str(proof["proofValue"]))
    except (KeyError, ValueError) as exc:
        raise ProofError(Failure.MALFORMED_CREDENTIAL, f"unreadable proof: {exc}") from exc
    if created.tzinfo is None:
        raise ProofError(Failure.MALFORMED_CREDENTIAL, "proof time has no zone")
    if entry.revoked:
        raise ProofError(Failure.KEY_NOT_VALID, f"key {key_id!r} has been revoked")
    if not entry.valid_at(created):
        raise ProofError(Failure.KEY_NOT_VALID, f"key {key_id!r} was not valid at {proof['created']}")
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    document = {k: v for k, v in credential.items() if k != "proof"}
    try:
        message = _hash_data(options, document)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise ProofError(Failure.MALFORMED_CREDENTIAL, f"cannot canonicalise: {exc}") from exc
    if not entry.verify(signature, message):
        raise ProofError(
            Failure.BAD_SIGNATURE,
            "the signature does not match: the credential was changed after signing",
        )
    return key_id


def single_proof(credential: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The credential's one proof, whether given as an object (older) or an array of one."""
    proof = credential.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    return proof if isinstance(proof, Mapping) else None


def _hash_data(options: Mapping[str, Any], document: Mapping[str, Any]) -> bytes:
    proof_config = dict(options)
    if "@context" in document:
        proof_config["@context"] = document["@context"]
    return hashlib.sha256(rfc8785.dumps(proof_config)).digest() + hashlib.sha256(rfc8785.dumps(dict(document))).digest()


def _issuer_id(credential: Mapping[str, Any]) -> str:
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    if not isinstance(issuer, str) or not issuer:
        raise ProofError(Failure.MALFORMED_CREDENTIAL, "the credential names no issuer")
    return issuer


def _utc_seconds(moment: datetime | None) -> datetime:
    value = moment or datetime.now(UTC)
    if value.tzinfo is None:
        raise ValueError("a signing time needs a time zone")
    return value.astimezone(UTC).replace(microsecond=0)


def _format(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def subject_facts(credential: Mapping[str, Any]) -> dict[str, Any]:
    """The `samverka` facts of a (verified) credential."""
    subject = credential.get("credentialSubject")
    facts = subject.get("samverka") if isinstance(subject, Mapping) else None
    if not isinstance(facts, Mapping):
        raise ProofError(Failure.MALFORMED_CREDENTIAL, "no samverka facts in the credential")
    return cast(dict[str, Any], dict(facts))


def data_from_credential(credential: Mapping[str, Any]) -> CertificateData:
    """The certificate facts a credential states, as the renderer was given them.

    The verifier rebuilds the page's text from these with the renderer's own wording.
    Raises `CertificateDataError` (or KeyError/TypeError/ValueError) for facts that do
    not make a certificate.
    """
    facts = subject_facts(credential)
    referee = facts.get("referee")
    return CertificateData(
        id=str(facts["certificateId"]),
        issued_on=date.fromisoformat(facts["issuedOn"]),
        language=facts["language"],
        issuer_url=_issuer_id(credential),
        partner=str(facts["partner"]),
        partnership=str(facts["partnership"]),
        signatory_name=str(facts["signatory"]["name"]),
        signatory_role=str(facts["signatory"]["role"]),
        volunteer_name=str(facts["volunteer"]["name"]),
        birth_date=date.fromisoformat(facts["volunteer"]["birthDate"]),
        roles=tuple(str(role) for role in facts["roles"]),
        activities=tuple(
            Activity(str(a["name"]), str(a["kind"]), str(a["targetGroup"]), str(a["place"]))
            for a in facts["activities"]
        ),
        period_start=date.fromisoformat(facts["periodStart"]),
        period_end=date.fromisoformat(facts["periodEnd"]),
        verified_minutes=int(facts["verifiedMinutes"]),
        sessions=int(facts["sessions"]),
        tasks=tuple(str(task) for task in facts["tasks"]),
        trainings=tuple(
            Training(str(tr["name"]), str(tr["issuer"]), date.fromisoformat(tr["completedOn"]))
            for tr in facts["trainings"]
        ),
        skills=tuple(
            Skill(
                code=str(s["code"]),
                label_en=str(s["labelEn"]),
                label_sv=str(s["labelSvProject"]),
                esco_uri=str(s["escoUri"]),
                key_competence=str(s["keyCompetence"]),
                assessed_by=s["assessedBy"],
                endorsements=int(s["endorsements"]),
            )
            for s in facts["skills"]
        ),
        verify_url=str(facts["verifyUrl"]),
        # A signed referee was shown with consent: the issuing service checked it.
        referee=None if not referee else Referee(str(referee["name"]), str(referee["contact"]), consented=True),
        # Absent from credentials of page version 1, which had none of these.
        partners=tuple(str(p) for p in facts.get("partners", ())),
        role_minutes=tuple(int(m) for m in facts.get("roleMinutes", ())),
        reference=_reference(facts.get("reference")),
        check_url=str(facts.get("checkUrl", "")),
        own_minutes=int(facts.get("ownMinutes", 0)),
        page_version=int(facts.get("pageVersion", 1)),
    )


def _reference(raw: Any) -> Reference | None:
    if not raw:
        return None
    return Reference(
        str(raw["text"]),
        str(raw["name"]),
        str(raw["role"]),
        str(raw["partner"]),
        str(raw.get("contact", "")),
        str(raw.get("language", "")),
    )
