"""The browsable API at /schema: Swagger UI served from this server, never from a CDN.

Litestar's viewers load their code (and Scalar its fonts) from third-party CDNs, so
every visitor's address went to them. Swagger UI's built files (swagger-ui-dist 5.18.2
from npm, Apache-2.0; LICENSE and NOTICE beside them; version 5 reads OpenAPI 3.1) are
vendored under web/static/vendor/swagger-ui/ and served with the other static files.
"""

from __future__ import annotations

from litestar.openapi.plugins import SwaggerRenderPlugin

ASSETS = "/static/vendor/swagger-ui"


def api_viewer() -> SwaggerRenderPlugin:
    """Swagger UI with its script, preset, style and icon from this server."""
    return SwaggerRenderPlugin(
        js_url=f"{ASSETS}/swagger-ui-bundle.js",
        css_url=f"{ASSETS}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS}/swagger-ui-standalone-preset.js",
        path="/swagger",
        favicon=f"<link rel='icon' type='image/png' href='{ASSETS}/favicon-32x32.png'>",  # not Litestar's CDN badge
    )
