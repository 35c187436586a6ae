"""The OpenAPI document made to say what the service enforces, in one place (issue 15).

Litestar builds the document from the handlers' types; this pass, run once on the built
document before it is served (`DocumentedJson` and the viewer call `amend`), adds what
the types cannot say, so that data a client builds from the document is accepted and
data outside it is refused (tests/volunteers/test_fuzz_api.py holds the service to it
with every schemathesis check, the stateful ones included):

- request bodies take no unknown properties (each request struct forbids them), and no
  string in them, keys included, holds NUL (`input_guard` refuses it everywhere);
- strings in a path or query string hold no control character (`input_guard` again);
- dates a user gives, in bodies, paths and query strings, lie within 2000..2100 (birth dates from
  1900; `limits`), stated as a pattern beside the date format;
- what Litestar leaves out of a request struct's fields and msgspec enforces (limits of
  optional fields, of list items and map values; a time of day is not a duration);
- answers that are not JSON say so (PDF, CSV, the export's zip; /verify's page), every
  429 carries Retry-After, and an answer that is one of several records says anyOf (a
  whole profile also matches the leader's smaller view, so oneOf was false);
- the links of `api_links` tie the operations that create or list a record to those
  that read, change or delete it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec

from volunteers.accounts.security import MIN_PASSWORD_LENGTH
from volunteers.api_links import links_for
from volunteers.certify.schemas import Verification
from volunteers.errors import PROBLEM_JSON

NO_NUL = r"^[^\x00]*$"
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"  # what input_guard refuses in an address or a query string
_DAY = r"(20\d\d|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_BIRTH_DAY = r"(19\d\d|20\d\d|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_TIME = r"T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)"
DATE = f"^{_DAY}$"
TIME = r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?$"  # limits.ClockTime, as msgspec reads one
BIRTH_DATE = f"^{_BIRTH_DAY}$"
DATE_TIME = f"^{_DAY}{_TIME}$"

# Answers whose body is not JSON: (method, path) -> status -> media type and schema.
_BYTES = {"type": "string", "format": "binary"}
NOT_JSON: dict[tuple[str, str], dict[str, dict[str, Any]]] = {
    ("get", "/api/certificates/{name}"): {"200": {"application/pdf": _BYTES}},
    ("get", "/api/reports/impact.pdf"): {"200": {"application/pdf": _BYTES}},
    ("get", "/api/volunteers/{volunteer_id}/export"): {"200": {"application/zip": _BYTES}},
    ("get", "/api/reports/published/{report_id}/report.pdf"): {"200": {"application/pdf": _BYTES}},
    ("get", "/api/reports/impact.csv"): {"200": {"text/csv; charset=utf-8": {"type": "string"}}},
    ("get", "/api/reports/published/{report_id}/report.csv"): {"200": {"text/csv; charset=utf-8": {"type": "string"}}},
    ("get", "/api/partnerships/{partnership_id}/exports/activities.csv"): {
        "200": {"text/csv; charset=utf-8": {"type": "string"}}
    },
    ("get", "/api/partnerships/{partnership_id}/exports/volunteers.csv"): {
        "200": {"text/csv; charset=utf-8": {"type": "string"}}
    },
    # A browser (no Accept: application/json) gets the verification page, found or not.
    ("get", "/verify/{public_id}"): {
        "200": {"text/html": {"type": "string"}, "application/json": {"$ref": "#/components/schemas/Verification"}},
        "404": {"text/html": {"type": "string"}},
    },
}
# New passwords: the service refuses shorter ones (422, accounts.security); component -> field.
NEW_PASSWORDS = {"Registration": "password", "ResetCompletion": "password", "PasswordChange": "new_password"}
NEW_PASSWORDS |= {"InvitationAccept": "password"}
_MARK = "x-samverka-amended"


def amend(document: dict[str, Any], request_structs: dict[str, type[msgspec.Struct]] | None = None) -> dict[str, Any]:
    """Amend the built document in place (once); `request_structs` names the request body structs."""
    if document.get(_MARK):
        return document
    components = document.setdefault("components", {}).setdefault("schemas", {})
    # /verify's handler answers a page or a Verification, so Litestar made no component of it.
    (_,), extra = msgspec.json.schema_components([Verification], ref_template="#/components/schemas/{name}")
    for name, schema in extra.items():
        components.setdefault(name, schema)
    for component in _request_components(document, components):
        schema = components[component]
        struct = (request_structs or {}).get(schema.get("title", component))
        if struct is not None:
            _as_decoded(schema, struct)
            if struct.__struct_config__.forbid_unknown_fields and "properties" in schema:
                schema.setdefault("additionalProperties", False)
        _request_strings(schema)
        _dates(schema)  # what a user gives; an answer may hold others (the period before 2000-01-01)
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                _parameter(parameter)
            body = operation.get("requestBody", {}).get("content", {})
            if any({"type": "null"} in m.get("schema", {}).get("oneOf", []) for m in body.values()):
                operation["requestBody"]["required"] = False  # `data: X | None = None`: no body is fine
            for media in body.values():
                if "$ref" not in media.get("schema", {}):
                    _request_strings(media.get("schema", {}))
                    _dates(media.get("schema", {}))
            responses = operation.get("responses", {})
            for status, contents in NOT_JSON.get((method, path), {}).items():
                responses.setdefault(status, {"description": "Found"})
                keep = {k: v for k, v in responses[status].get("content", {}).items() if k == PROBLEM_JSON}
                responses[status]["content"] = {**keep, **{t: {"schema": s} for t, s in contents.items()}}
            for answer in responses.values():
                for media in answer.get("content", {}).values():
                    _either(media.get("schema", {}))
            if "429" in responses:
                responses["429"]["headers"] = {
                    "Retry-After": {
                        "required": True,
                        "description": "Seconds to wait",
                        "schema": {"type": "string", "pattern": r"^\d+$"},
                    }
                }
            for status, links in links_for(method, path).items():
                if status in responses:
                    responses[status]["links"] = links
    for component, field in NEW_PASSWORDS.items():
        prop = components.get(component, {}).get("properties", {}).get(field)
        if prop is not None:
            prop["minLength"] = MIN_PASSWORD_LENGTH
    document[_MARK] = True
    return document


_LIMITS: tuple[str, ...] = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength")
_LIMITS += ("pattern", "minItems", "maxItems", "multipleOf", "minProperties", "maxProperties", "propertyNames")


def _branches(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [schema, *schema.get("oneOf", []), *schema.get("anyOf", [])]


def _as_decoded(schema: dict[str, Any], struct: type[msgspec.Struct]) -> None:
    """What msgspec, which decodes the request, enforces and Litestar's schema leaves out or misnames.

    Litestar drops the limits of an optional field (`Annotated[int, Meta(ge=0)] | None`)
    of a list's items (a language code's pattern) and of a map's keys and values, and calls a time of day a duration.
    """
    own = msgspec.json.schema(struct)
    fields = own.get("$defs", {}).get(struct.__name__, {}).get("properties", {})
    info = msgspec.inspect.type_info(struct)
    times = {f.name for f in getattr(info, "fields", ()) if _is_time(f.type)}
    for name, prop in schema.get("properties", {}).items():
        for mine in _branches(prop):
            for theirs in _branches(fields.get(name, {})):
                if "type" not in mine or mine.get("type") != theirs.get("type"):
                    continue
                mine.update({k: theirs[k] for k in _LIMITS if k in theirs and k not in mine})
                for key in ("items", "additionalProperties"):  # a list's items, a map's values
                    inner = theirs.get(key)
                    if isinstance(inner, dict) and "$ref" not in inner:
                        mine[key] = inner
            if name in times and mine.get("format") == "duration":
                del mine["format"]
                mine["pattern"] = TIME


def _is_time(info: Any) -> bool:
    kinds = getattr(info, "types", (info,))
    return any(isinstance(kind, msgspec.inspect.TimeType) for kind in kinds)


def _either(schema: dict[str, Any]) -> None:
    """An answer that is one of several records (a volunteer's profile, whole or as a leader sees it) is anyOf.

    Litestar says oneOf, which a full profile contradicts: it also matches the smaller record.
    """
    branches = schema.get("oneOf", [])
    if len(branches) > 1 and all("$ref" in b for b in branches):
        schema["anyOf"] = schema.pop("oneOf")


def _refs(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            yield ref.rsplit("/", 1)[1]
        for value in schema.values():
            yield from _refs(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _refs(value)


def _request_components(document: dict[str, Any], components: dict[str, Any]) -> set[str]:
    """Names of the component schemas a request body uses, directly or nested."""
    todo = [
        name
        for item in document.get("paths", {}).values()
        for operation in item.values()
        if isinstance(operation, dict)
        for name in _refs(operation.get("requestBody", {}))
    ]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name not in components:
            continue
        seen.add(name)
        todo.extend(_refs(components[name]))
    return seen


def _request_strings(schema: Any) -> None:
    """No NUL in any string of a request body (input_guard refuses it), keys of maps included."""
    if isinstance(schema, list):
        for value in schema:
            _request_strings(value)
        return
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "string" and not ({"pattern", "enum", "format", "const"} & schema.keys()):
        schema["pattern"] = NO_NUL
    if schema.get("type") == "object" and isinstance(schema.get("additionalProperties"), dict):
        schema.setdefault("propertyNames", {"pattern": NO_NUL})
    for key, value in schema.items():
        if key == "properties" and isinstance(value, dict):
            for sub in value.values():
                _request_strings(sub)
        elif key in ("items", "additionalProperties", "oneOf", "anyOf", "allOf"):
            _request_strings(value)


def _dates(schema: Any, name: str = "") -> None:
    """Dates within 2000..2100 (birth dates from 1900), as a pattern beside the format."""
    if isinstance(schema, list):
        for value in schema:
            _dates(value, name)
        return
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "string" and "pattern" not in schema:
        if schema.get("format") == "date":
            schema["pattern"] = BIRTH_DATE if "birth" in name else DATE
        elif schema.get("format") == "date-time":
            schema["pattern"] = DATE_TIME
    for key, value in schema.items():
        if key == "properties" and isinstance(value, dict):
            for prop, sub in value.items():
                _dates(sub, prop)
        elif key in ("items", "additionalProperties", "oneOf", "anyOf", "allOf"):
            _dates(value, name)


def _parameter(parameter: dict[str, Any]) -> None:
    schema = parameter.get("schema", {})
    _dates(schema, parameter.get("name", ""))
    branches = schema.get("oneOf", [schema])
    for branch in branches:
        if branch.get("type") == "string" and not ({"pattern", "enum", "format"} & branch.keys()):
            branch["pattern"] = NO_CONTROL


def request_structs(app: Any) -> dict[str, type[msgspec.Struct]]:
    """The request body structs by name, the ones nested in them included."""
    infos = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            signature = getattr(handler, "parsed_fn_signature", None)
            data = signature.parameters.get("data") if signature is not None else None
            if data is None:
                continue
            try:
                infos.append(msgspec.inspect.type_info(data.annotation))
            except (TypeError, ValueError):  # a type msgspec cannot describe (an upload): nothing to say
                continue
    found: dict[str, type[msgspec.Struct]] = {}
    seen: set[int] = set()

    def walk(info: Any) -> None:
        if id(info) in seen:
            return
        seen.add(id(info))
        if isinstance(info, msgspec.inspect.StructType):
            found[info.cls.__name__] = info.cls
            for field in info.fields:
                walk(field.type)
        for attr in ("item_type", "key_type", "value_type", "types", "item_types"):
            value = getattr(info, attr, None)
            for sub in value if isinstance(value, tuple) else ([value] if value is not None else []):
                walk(sub)

    for info in infos:
        walk(info)
    return found
