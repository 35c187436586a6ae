"""The browsable API at /schema: Swagger UI served from this server, never from a CDN.

Litestar's viewers load their code (and Scalar its fonts) from third-party CDNs, so
every visitor's address went to them. Swagger UI's built files (swagger-ui-dist 5.18.2
from npm, Apache-2.0; LICENSE and NOTICE beside them; version 5 reads OpenAPI 3.1) are
vendored under web/static/vendor/swagger-ui/ and served with the other static files.

Both the viewer and /schema/openapi.json serve the document as `api_document` amends it
(once, on the first request for either): Litestar has no hook after it builds the
document, and its render plugins are where the built document is handed over.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin

from volunteers.api_document import amend, request_structs

ASSETS = "/static/vendor/swagger-ui"


def _amended(request: Request[Any, Any, Any], document: dict[str, Any]) -> dict[str, Any]:
    return amend(document, request_structs(request.app))


class DocumentedSwagger(SwaggerRenderPlugin):
    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, _amended(request, openapi_schema))


class DocumentedJson(JsonRenderPlugin):
    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, _amended(request, openapi_schema))


def api_viewer() -> SwaggerRenderPlugin:
    """Swagger UI with its script, preset, style and icon from this server."""
    return DocumentedSwagger(
        js_url=f"{ASSETS}/swagger-ui-bundle.js",
        css_url=f"{ASSETS}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS}/swagger-ui-standalone-preset.js",
        path="/swagger",
        favicon=f"<link rel='icon' type='image/png' href='{ASSETS}/favicon-32x32.png'>",  # not Litestar's CDN badge
    )


def api_document() -> JsonRenderPlugin:
    """/schema/openapi.json, amended."""
    return DocumentedJson()
