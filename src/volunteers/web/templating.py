"""The Jinja environment: gettext per request, local date formats, the navigation per role."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from volunteers.web import i18n
from volunteers.web.navigation import navigation_for

TEMPLATES_DIR = Path(__file__).parent / "templates"


def _language(ctx: Context) -> str:
    request = ctx.get("request")
    return i18n.language_of(request) if request is not None else i18n.DEFAULT_LANGUAGE


@pass_context
def _gettext(ctx: Context, message: str) -> str:
    return i18n.translations(_language(ctx)).gettext(message)


@pass_context
def _ngettext(ctx: Context, singular: str, plural: str, n: int) -> str:
    return i18n.translations(_language(ctx)).ngettext(singular, plural, n)


@pass_context
def _pgettext(ctx: Context, context: str, message: str) -> str:
    # Babel annotates pgettext as str | object; a catalogue's messages are strings.
    return cast(str, i18n.translations(_language(ctx)).pgettext(context, message))


@pass_context
def _npgettext(ctx: Context, context: str, singular: str, plural: str, n: int) -> str:
    return i18n.translations(_language(ctx)).npgettext(context, singular, plural, n)


def _zone(ctx: Context) -> str:
    request = ctx.get("request")
    return str(request.app.state.settings.timezone) if request is not None else "Europe/Stockholm"


@pass_context
def _date(ctx: Context, value: Any, fmt: str = "long") -> str:
    return i18n.date_text(_language(ctx), value, fmt) if value else ""


@pass_context
def _time(ctx: Context, value: Any) -> str:
    return i18n.time_text(_language(ctx), value, _zone(ctx)) if value is not None else ""


@pass_context
def _datetime(ctx: Context, value: Any, fmt: str = "medium") -> str:
    return i18n.datetime_text(_language(ctx), value, _zone(ctx), fmt) if value else ""


@pass_context
def _weekday(ctx: Context, weekday: int, width: str = "wide") -> str:
    return i18n.weekday_name(_language(ctx), weekday, width)


@pass_context
def _month(ctx: Context, key: str) -> str:
    from volunteers.web.charts import month_label

    return month_label(key, _language(ctx))


@pass_context
def _number(ctx: Context, value: float, digits: int = 1) -> str:
    """A number the way the language writes it ("12,5" / "12.5")."""
    from babel.numbers import format_decimal

    return format_decimal(round(value, digits), locale=i18n.babel_locale(_language(ctx)))


@pass_context
def _language_name(ctx: Context, code: str) -> str:
    return i18n.language_name(_language(ctx), code)


def _autonym(code: str) -> str:
    """A language's name in that language ("English", "Svenska"), for the switch."""
    return i18n.language_name(code, code)


@pass_context
def _skill_label(ctx: Context, skill: Any) -> str:
    """A catalogue skill in the UI language, with a capital first letter."""
    label: str = skill.label_sv if _language(ctx) == "sv" and skill.label_sv else skill.label_en
    return label[:1].upper() + label[1:]


@pass_context
def _current_language(ctx: Context) -> str:
    return _language(ctx)


@pass_context
def _navigation(ctx: Context) -> list[dict[str, Any]]:
    """The menu for the caller's roles, the current page marked."""
    request = ctx.get("request")
    if request is None:
        return []
    path = request.url.path
    return [
        {"href": href, "label": label, "current": path == href or path.startswith(href + "/")}
        for href, label in navigation_for(request.scope.get("user"))
    ]


@pass_context
def _switch_link(ctx: Context, language: str) -> str:
    """The link that switches to `language` and comes back to this page."""
    request = ctx.get("request")
    here = request.url.path if request is not None else "/"
    if request is not None and request.url.query:
        here += "?" + request.url.query
    return f"/lang/{language}?{urlencode({'next': here})}"


def make_environment() -> Environment:
    """The template environment the app renders with (and the tests extract from)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )
    env.filters.update(
        date=_date,
        time=_time,
        datetime=_datetime,
        weekday=_weekday,
        language_name=_language_name,
        autonym=_autonym,
        skill_label=_skill_label,
        month=_month,
        number=_number,
    )
    env.globals.update(
        current_language=_current_language,
        languages=i18n.LANGUAGES,
        navigation=_navigation,
        switch_link=_switch_link,
    )
    return env


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    i18n.load_all()
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(make_environment()))
