"""The certificate as a European Learning Model (ELM 3) credential, with its ESCO skills, for Europass.

`to_elm(credential, pdf)` maps a *verified* Open Badges credential (the one embedded in
the PDF) onto the ELM 3 classes of a European Digital Credential (EDC):

- the credential: `VerifiableCredential` + `EuropeanDigitalCredential` with the generic
  credential profile, issued by the partnership as an `Organisation` (its legal name and
  country), issued and valid from the signing time, and declaring the EDC application
  profile's SHACL shapes as its `credentialSchema`;
- how it is shown (`displayParameter`): its title and language, and the page itself as a
  PNG image rendered from the PDF;
- the subject: a `Person` (full name, date of birth) whose `hasClaim` holds
  - a `LearningActivity`: the volunteer work, its period (`temporal`), its verified
    workload as an ISO 8601 duration and the roles and activities, in a
    `LearningActivitySpecification`;
  - a `LearningAchievement` influenced by that activity, whose
    `LearningAchievementSpecification` lists one `LearningOutcome` per skill with the
    ESCO skill as `relatedESCOSkill` (how it was assessed in `additionalNote`).

Texts are language maps in the certificate's language. The export is unsigned: it is a
view for Europass of facts whose authority remains the signed credential (its id is
kept as `urn:samverka:certificate:<id>` in `identifier`).

It conforms to the EDC application profile's SHACL shapes (EDC-generic-no-cv, ELM 3,
tests/certificates/test_elm_shapes.py) but for one constraint: an EDC issuer carries an
eIDAS legal identifier, which a partnership does not have (the Commission's own sample
credential lacks it too); Europass's issuing tools add it when an organisation issues
through them.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from typing import Any

from certificates.credential import data_from_credential
from certificates.model import Language

ELM_CONTEXT: list[Any] = [
    "https://www.w3.org/ns/credentials/v2",
    "http://data.europa.eu/snb/model/context/edc-ap",
    # `issued` (cred:issued, required by the EDC shapes) is defined in neither context.
    {
        "issued": {
            "@id": "https://www.w3.org/2018/credentials#issued",
            "@type": "http://www.w3.org/2001/XMLSchema#dateTime",
        }
    },
]
ESCO_SKILLS_SCHEME = "http://data.europa.eu/esco/concept-scheme/skills"
_ESCO_SCHEME = {"id": ESCO_SKILLS_SCHEME, "type": "ConceptScheme"}
_EDC_PROFILES = "http://data.europa.eu/snb/credential"
EDC_SHAPES = "http://data.europa.eu/snb/model/ap/edc-generic-no-cv"
_AUTHORITY = "http://publications.europa.eu/resource/authority"
_LANGUAGES: dict[Language, tuple[str, str]] = {"sv": ("SWE", "Swedish"), "en": ("ENG", "English")}


def _concept(concept_id: str, scheme: str, label: str, notation: str | None = None) -> dict[str, Any]:
    concept: dict[str, Any] = {
        "id": concept_id,
        "type": "Concept",
        "inScheme": {"id": scheme, "type": "ConceptScheme"},
        "prefLabel": {"en": label},
    }
    if notation:
        concept["notation"] = notation
    return concept


def _language(lang: Language) -> dict[str, Any]:
    code, label = _LANGUAGES[lang]
    return _concept(f"{_AUTHORITY}/language/{code}", f"{_AUTHORITY}/language", label, "language")


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"PT{hours}H{rest}M" if rest else f"PT{hours}H"


def page_images(pdf: bytes, scale: float = 1.5) -> list[bytes]:
    """Each page of the PDF as a PNG (108 dpi by default), for the credential's display."""
    import pypdfium2  # type: ignore[import-untyped]  # only the export needs a rasteriser

    document = pypdfium2.PdfDocument(pdf)
    images = []
    try:
        for page in document:
            buffer = io.BytesIO()
            page.render(scale=scale).to_pil().save(buffer, format="PNG", optimize=True)
            images.append(buffer.getvalue())
    finally:
        document.close()
    return images


def to_elm(credential: Mapping[str, Any], pdf: bytes, country: str = "SWE") -> dict[str, Any]:
    """The ELM 3 (European Digital Credential) JSON-LD form of a verified certificate credential.

    `pdf` is the certificate the credential was taken from: its pages are the display
    images. `country` is the issuer's country (an EU authority table code).
    """
    data = data_from_credential(credential)
    lang = data.language

    def text(value: str) -> dict[str, str]:
        return {lang: value}

    base = f"urn:samverka:certificate:{data.id}"
    activity_id = f"{base}:activity"
    title = str(credential.get("credentialSubject", {}).get("achievement", {}).get("name", "")) or data.partnership
    outcomes = [
        {
            "id": f"{base}:outcome:{skill.code}",
            "type": "LearningOutcome",
            "title": text(skill.label_sv if lang == "sv" else skill.label_en),
            "relatedESCOSkill": [
                {
                    "id": skill.esco_uri,
                    "type": "Concept",
                    "inScheme": {"id": ESCO_SKILLS_SCHEME, "type": "ConceptScheme"},
                }
            ],
            "additionalNote": [
                {
                    "id": f"{base}:outcome:{skill.code}:note",
                    "type": "Note",
                    "noteLiteral": text(
                        f"assessed by an activity leader ({skill.endorsements})"
                        if skill.assessed_by == "leader"
                        else "self-assessed"
                    ),
                }
            ],
        }
        for skill in data.skills
    ]
    issuer = {
        "id": data.issuer_url,
        "type": "Organisation",
        "legalName": text(data.partnership),
        "location": [
            {
                "id": f"{base}:issuer:location",
                "type": "Location",
                "address": [
                    {
                        "id": f"{base}:issuer:address",
                        "type": "Address",
                        "countryCode": _concept(f"{_AUTHORITY}/country/{country}", f"{_AUTHORITY}/country", country),
                    }
                ],
            }
        ],
    }
    awarded = {"id": f"{base}:awarding", "type": "AwardingProcess", "awardingBody": [{"id": data.issuer_url}]}
    png = _concept(f"{_AUTHORITY}/file-type/PNG", f"{_AUTHORITY}/file-type", "PNG", "file-type")
    base64_encoding = _concept(
        "http://data.europa.eu/snb/encoding/6146cde7dd", "http://data.europa.eu/snb/encoding/25831c2", "base64"
    )
    details = [
        {
            "id": f"{base}:display:page:{number}",
            "type": "DisplayDetail",
            "page": number,
            "image": {
                "id": f"{base}:display:page:{number}:image",
                "type": "MediaObject",
                "contentType": png,
                "contentEncoding": base64_encoding,
                "content": base64.b64encode(image).decode("ascii"),
            },
        }
        for number, image in enumerate(page_images(pdf), start=1)
    ]
    moment = credential.get("validFrom")
    return {
        "@context": list(ELM_CONTEXT),
        "id": f"{base}:elm",
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "identifier": [
            {"id": f"{base}:identifier", "type": "Identifier", "notation": base, "schemeName": "Samverka certificate"}
        ],
        # The EDC generic profile: a credential that is not a diploma, an accreditation or a mandate.
        "credentialProfiles": [
            _concept(
                "http://data.europa.eu/snb/credential/e34929035b",
                "http://data.europa.eu/snb/credential/25831c2",
                "Generic",
            )
        ],
        "displayParameter": {
            "id": f"{base}:display",
            "type": "DisplayParameter",
            "title": text(title),
            "language": [_language(lang)],
            "primaryLanguage": _language(lang),
            "individualDisplay": [
                {
                    "id": f"{base}:display:{lang}",
                    "type": "IndividualDisplay",
                    "language": _language(lang),
                    "displayDetail": details,
                }
            ],
        },
        "credentialSchema": [{"id": EDC_SHAPES, "type": "ShaclValidator2017"}],
        "issuer": issuer,
        "issued": moment,
        "validFrom": moment,
        "credentialSubject": {
            "id": f"{base}:subject",
            "type": "Person",
            "fullName": text(data.volunteer_name),
            "dateOfBirth": f"{data.birth_date.isoformat()}T00:00:00Z",
            "hasClaim": [
                {
                    "id": activity_id,
                    "type": "LearningActivity",
                    "title": text(title),
                    "description": text(", ".join(data.roles)),
                    "temporal": [
                        {
                            "id": f"{activity_id}:period",
                            "type": "PeriodOfTime",
                            "startDate": f"{data.period_start.isoformat()}T00:00:00Z",
                            "endDate": f"{data.period_end.isoformat()}T00:00:00Z",
                        }
                    ],
                    "workload": _duration(data.verified_minutes),
                    "specifiedBy": {
                        "id": f"{activity_id}:spec",
                        "type": "LearningActivitySpecification",
                        "title": text(", ".join(a.name for a in data.activities)),
                        "volumeOfLearning": _duration(data.verified_minutes),
                    },
                    "awardedBy": awarded,
                },
                {
                    "id": f"{base}:achievement",
                    "type": "LearningAchievement",
                    "title": text(", ".join(data.roles)),
                    "influencedBy": [{"id": activity_id}],
                    "awardedBy": awarded,
                    "specifiedBy": {
                        "id": f"{base}:achievement:spec",
                        "type": "LearningAchievementSpecification",
                        "title": text(", ".join(data.roles)),
                        "learningOutcome": outcomes,
                    },
                },
            ],
        },
    }
