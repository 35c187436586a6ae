"""Every UI string is translated, in Swedish and in English.

Three nets: the catalogues are complete and match what the code and templates use; no
template holds text outside a translation call; and the rendered pages of each language
show none of the other language's strings.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po

from service_support import World
from volunteers.web.catalogues import extract_messages
from volunteers.web.i18n import LANGUAGES, po_path
from volunteers.web.templating import TEMPLATES_DIR, make_environment

# Text a template may hold as it is: the product's name and typography.
UNTRANSLATABLE = {"Samverka"}


def _catalogue(language: str):  # type: ignore[no-untyped-def]
    with po_path(language).open("rb") as f:
        return read_po(f, locale=language)


def _ids(catalogue) -> set[object]:  # type: ignore[no-untyped-def]
    return {m.id for m in catalogue if m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_has_a_translation(language: str) -> None:
    missing = [
        m.id
        for m in _catalogue(language)
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)) or m.fuzzy)
    ]
    assert not missing, f"untranslated in {language}: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_holds_exactly_the_messages_the_pages_use(language: str) -> None:
    used = {m.id for m in extract_messages() if m.id}
    have = _ids(_catalogue(language))
    assert not used - have, f"missing from {language} (run python -m volunteers.web.catalogues): {used - have}"
    assert not have - used, f"unused in {language} (run python -m volunteers.web.catalogues): {have - used}"


def test_placeholders_survive_translation() -> None:
    pattern = re.compile(r"%\(\w+\)s")
    for language in LANGUAGES:
        for m in _catalogue(language):
            if not m.id:
                continue
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            wanted = set(pattern.findall(ids[-1]))
            for s in strings:
                assert set(pattern.findall(s)) <= wanted | set(pattern.findall(ids[0])), (language, m.id, s)


TAG = re.compile(r"<[^>]*>", re.S)
ATTRIBUTE = re.compile(r'[\w-]+="[^"]*"')
LITERAL_ATTRIBUTE = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"{]*[A-Za-zÅÄÖåäö][^"{]*)"')


def _template_skeleton(env, source: str) -> str:  # type: ignore[no-untyped-def]
    """The template's own text outside {% trans %}, every expression and tag replaced by ' # '."""
    parts: list[str] = []
    in_trans = False
    last = ""
    for _, kind, value in env.lex(source):
        if kind == "whitespace":
            continue
        if kind == "name" and last == "block_begin" and value in ("trans", "endtrans"):
            in_trans = value == "trans"
        last = kind
        parts.append(value if kind == "data" and not in_trans else " # ")
    return "".join(parts)


def test_no_template_holds_text_outside_a_translation_call() -> None:
    env = make_environment()
    found: list[str] = []
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        skeleton = _template_skeleton(env, path.read_text(encoding="utf-8"))
        found += [f"{path.name}: {a!r}" for a in LITERAL_ATTRIBUTE.findall(skeleton)]
        text = ATTRIBUTE.sub(" ", TAG.sub(" ", skeleton))  # a macro may write attributes alone
        text = re.sub(r"&\w+;|&#\d+;", " ", text)
        for word in re.findall(r"[A-Za-zÅÄÖåäö][\w'’-]*", text):
            if word not in UNTRANSLATABLE:
                found.append(f"{path.name}: {word!r}")
    assert not found, "text outside {% trans %} or _():\n" + "\n".join(found)


class _Text(HTMLParser):
    """The text a reader sees or hears: text nodes and labelling attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "title", "placeholder", "alt") and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def _other_language_strings(language: str) -> set[str]:
    """Strings of the other language that differ from this one's (so must not show here)."""
    ours = {m.id: m.string for m in _catalogue(language) if m.id}
    other_language = next(x for x in LANGUAGES if x != language)
    out: set[str] = set()
    for m in _catalogue(other_language):
        if not m.id:
            continue
        theirs = m.string if isinstance(m.string, tuple) else (m.string,)
        mine = ours.get(m.id)
        mine_all = set(mine if isinstance(mine, tuple) else (mine,))
        for s in theirs:
            plain = " ".join(TAG.sub(" ", s).split())
            if plain and "%(" not in plain and plain not in mine_all and len(plain) > 3:
                out.add(plain)
    return out


@pytest.mark.parametrize("language", LANGUAGES)
def test_rendered_pages_show_no_string_of_the_other_language(visitor, world: World, language: str) -> None:
    pages = {
        None: ["/", "/login", "/register", "/verify", "/verify/AAAAAAAAAAAAAAAAAAAA"],
        "vol_anna": ["/profile", "/availability", "/volunteers", "/me/follow-ups"],
        "leader_sisu": [
            "/activities",
            f"/activities/{world.activities['football']}",
            f"/activities/{world.activities['football']}/sessions/new",
            "/activities/new",
            "/week",
        ],
        "coordinator": [
            "/volunteers",
            f"/volunteers/{world.profiles['vol_anna']}",
            "/certificates/bulk",
            "/reports/impact",
            "/activities/new",
        ],
    }
    foreign = _other_language_strings(language)
    wrong: list[str] = []
    for key, paths in pages.items():
        v = visitor(key, language)
        for path in paths:
            r = v.get(path)
            if not r.headers.get("content-type", "").startswith("text/html"):
                continue
            parser = _Text()
            parser.feed(r.text)
            wrong += [f"{path}: {t!r}" for t in parser.texts if t in foreign]
    assert not wrong, f"{language} pages show the other language:\n" + "\n".join(wrong)
