"""The ELM 3 export conforms to the European Learning Model's published SHACL shapes.

The export is read as JSON-LD with the published contexts (kept in fixtures/elm, offline)
and validated with pySHACL against the EDC application profile's shapes. Every key and
type must map to a term of the contexts: JSON-LD drops a term it does not know, so an
unknown one would pass the shapes unseen. The one constraint the export cannot meet is
the issuer's eIDAS legal identifier, which a partnership does not have.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import rdflib
from pyshacl import validate
from rdflib.namespace import SH

from certificates.elm import ELM_CONTEXT, to_elm

FIXTURES = Path(__file__).parent / "fixtures" / "elm"
CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": FIXTURES / "credentials-v2.jsonld",
    "http://data.europa.eu/snb/model/context/edc-ap": FIXTURES / "edc-ap-context.jsonld",
}
ELM = "http://data.europa.eu/snb/model/elm/"
EIDAS = rdflib.URIRef(ELM + "eidasLegalIdentifier")


def _contexts(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [json.loads(CONTEXTS[c].read_text())["@context"] if isinstance(c, str) else c for c in document["@context"]]


def _unknown_terms(document: dict[str, Any]) -> list[str]:
    terms: dict[str, Any] = {}
    for context in _contexts(document):
        terms.update(context)
    # The VC 2.0 context defines the credential's own properties for its type only (not propagated).
    top = {**terms, **terms["VerifiableCredential"]["@context"]}
    unknown: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, path)
        elif isinstance(node, dict):
            terms_here = top if path == "$" else terms
            for key, value in node.items():
                if key.startswith("@"):
                    continue
                if key not in terms_here:
                    unknown.append(f"{path}.{key}")
                if key == "type":
                    types = [value] if isinstance(value, str) else value
                    unknown.extend(f"{path} type {t}" for t in types if t not in terms)
                definition = terms_here.get(key)
                if not (isinstance(definition, dict) and definition.get("@container") == "@language"):
                    walk(value, f"{path}.{key}")

    walk({k: v for k, v in document.items() if k != "@context"}, "$")
    return unknown


def _violations(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    expanded = {**document, "@context": _contexts(document)}
    data = rdflib.Graph().parse(data=json.dumps(expanded), format="json-ld")
    shapes = rdflib.Graph().parse(FIXTURES / "EDC-generic-no-cv.ttl")
    _, report, _ = validate(data, shacl_graph=shapes, allow_warnings=True)
    return [
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultPath)),
            str(report.value(r, SH.resultMessage)),
        )
        for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)
    ]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_elm_export_conforms_to_the_edc_shapes_but_for_the_eidas_identifier(
    language: str, pdf_sv: bytes, pdf_en: bytes, embedded_credential
) -> None:
    pdf = pdf_sv if language == "sv" else pdf_en
    elm = to_elm(embedded_credential(pdf), pdf)
    assert _unknown_terms(elm) == []
    issuer = elm["issuer"]["id"]
    # The issuer node shape is reported twice: at the issuer, and at the credential that names it.
    allowed = {(issuer, str(EIDAS)), (elm["id"], "https://www.w3.org/2018/credentials#issuer")}
    assert {(focus, path) for focus, path, _ in _violations(elm)} == allowed
    image = elm["displayParameter"]["individualDisplay"][0]["displayDetail"][0]["image"]
    assert image["content"].startswith("iVBORw0KGgo")  # a PNG of the page, base64


def test_the_shapes_catch_what_the_export_used_to_get_wrong(pdf_en: bytes, embedded_credential) -> None:
    # Guards the test above: an activity typed as the export once did, a skill whose ESCO
    # scheme is not a ConceptScheme, no display and no issue date, each fails the shapes.
    elm = to_elm(embedded_credential(pdf_en), pdf_en)
    activity = elm["credentialSubject"]["hasClaim"][0]
    old = json.loads(json.dumps(elm))
    old["credentialSubject"]["hasClaim"][0]["type"] = "Activity"
    assert any("type Activity" in term for term in _unknown_terms(old))
    for outcome in elm["credentialSubject"]["hasClaim"][1]["specifiedBy"]["learningOutcome"]:
        outcome["relatedESCOSkill"][0]["inScheme"].pop("type")
    del elm["displayParameter"], elm["issued"]
    paths = {path for _, path, _ in _violations(elm)}
    assert {
        "http://www.w3.org/2004/02/skos/core#inScheme",
        ELM + "displayParameter",
        "https://www.w3.org/2018/credentials#issued",
    } <= paths
    assert activity["type"] == "LearningActivity"


def test_the_export_names_the_contexts_the_test_reads() -> None:
    assert [c for c in ELM_CONTEXT if isinstance(c, str)] == list(CONTEXTS)
