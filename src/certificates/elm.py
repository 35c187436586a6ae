"""The certificate as a European Learning Model (ELM 3) credential, with its ESCO skills, for Europass.

`to_elm(credential)` maps a *verified* Open Badges credential (the one embedded in the
PDF) onto the ELM 3 classes that a European Digital Credential (EDC) uses:

- the credential: `VerifiableCredential` + `EuropeanDigitalCredential`, issued by the
  partnership as an `Organisation`, valid from the signing time;
- the subject: a `Person` (full name, date of birth) whose `hasClaim` holds
  - an `Activity`: the volunteer work, its period (`temporal`, a `PeriodOfTime`), its
    verified workload as an ISO 8601 duration and the roles, in an `ActivitySpecification`;
  - a `LearningAchievement` influenced by that activity, whose
    `LearningAchievementSpecification` lists one `LearningOutcome` per skill with the
    ESCO skill as `relatedESCOSkill` (how it was assessed in `additionalNote`).

Texts are language maps in the certificate's language. The export is unsigned: it is a
view for Europass of facts whose authority remains the signed credential (its id is
kept as `urn:samverka:certificate:<id>` in `identifier`). It follows the ELM 3 class and
property names but is not checked against the EDC SHACL shapes, which are not
available offline; see docs/certificates.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from certificates.credential import data_from_credential

ELM_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "http://data.europa.eu/snb/model/context/edc-ap",
]
ESCO_SKILLS_SCHEME = "http://data.europa.eu/esco/concept-scheme/skills"


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"PT{hours}H{rest}M" if rest else f"PT{hours}H"


def to_elm(credential: Mapping[str, Any]) -> dict[str, Any]:
    """The ELM 3 (European Digital Credential) JSON-LD form of a verified certificate credential."""
    data = data_from_credential(credential)
    lang = data.language

    def text(value: str) -> dict[str, str]:
        return {lang: value}

    base = f"urn:samverka:certificate:{data.id}"
    activity_id = f"{base}:activity"
    outcomes = [
        {
            "id": f"{base}:outcome:{skill.code}",
            "type": "LearningOutcome",
            "title": text(skill.label_sv if lang == "sv" else skill.label_en),
            "relatedESCOSkill": [{"id": skill.esco_uri, "type": "Concept", "inScheme": {"id": ESCO_SKILLS_SCHEME}}],
            "additionalNote": [
                {
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
    issuer = {"id": data.issuer_url, "type": "Organisation", "legalName": text(data.partnership)}
    return {
        "@context": list(ELM_CONTEXT),
        "id": f"{base}:elm",
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "identifier": [{"type": "Identifier", "notation": base, "schemeName": "Samverka certificate"}],
        "issuer": issuer,
        "validFrom": credential.get("validFrom"),
        "credentialSubject": {
            "id": f"{base}:subject",
            "type": "Person",
            "fullName": text(data.volunteer_name),
            "dateOfBirth": f"{data.birth_date.isoformat()}T00:00:00Z",
            "hasClaim": [
                {
                    "id": activity_id,
                    "type": "Activity",
                    "title": text(str(credential.get("credentialSubject", {}).get("achievement", {}).get("name", ""))),
                    "description": text(", ".join(data.roles)),
                    "temporal": [
                        {
                            "type": "PeriodOfTime",
                            "startDate": f"{data.period_start.isoformat()}T00:00:00Z",
                            "endDate": f"{data.period_end.isoformat()}T00:00:00Z",
                        }
                    ],
                    "specifiedBy": {
                        "id": f"{activity_id}:spec",
                        "type": "ActivitySpecification",
                        "title": text(", ".join(a.name for a in data.activities)),
                        "workload": _duration(data.verified_minutes),
                    },
                    "awardedBy": {"type": "AwardingProcess", "awardingBody": [issuer]},
                },
                {
                    "id": f"{base}:achievement",
                    "type": "LearningAchievement",
                    "title": text(", ".join(data.roles)),
                    "influencedBy": [{"id": activity_id, "type": "Activity"}],
                    "awardedBy": {"type": "AwardingProcess", "awardingBody": [issuer]},
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
