"""Server-rendered pages (Jinja + HTMX), Swedish by default with English a click away."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from volunteers.settings import Settings


@dataclass
class WebConfig:
    """What the pages add to the app: routes, the template engine, static files."""

    route_handlers: list[Any] = field(default_factory=list)
    template_config: Any = None


def web_config(settings: Settings) -> WebConfig:
    """The pages' part of the application."""
    return WebConfig()
