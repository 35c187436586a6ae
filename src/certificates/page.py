"""The certificate page's wording, line by line: what the renderer draws and the verifier expects.

`page_lines(data)` is the one place that decides which text the page shows. The renderer
turns the lines into markup; `verify_pdf` rebuilds the same lines from the signed
credential and compares them with the text extracted from the PDF, so any word added,
changed or removed on the page fails verification. A change of wording therefore
changes what old certificates are compared with: keep the old wording reachable under
its `PAGE_VERSION`, and bump the version with every change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from certificates.catalogue import ESCO_CITATION, load_catalogue
from certificates.i18n import endorsement_text, format_date, format_hours, t
from certificates.model import CertificateData, Language

# The wording version a new certificate's credential states (`samverka.pageVersion`);
# a credential without one was issued before the version was recorded: version 1.
PAGE_VERSION = 1
PAGE_VERSIONS = (1,)


# What XML 1.0 cannot carry (C0 controls, surrogates, U+FFFE/U+FFFF) and other
# control characters a page has no use for: a name with U+0001 or NUL must neither stop
# the renderer's XML parser nor print as an invisible glyph.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """`text` with every control character as a space (tab and newline too: one line each)."""
    return _UNPRINTABLE.sub(" ", text)


@dataclass(frozen=True, slots=True)
class Line:
    """One paragraph of the page: its style (a CSS class, or h1/h2) and its text."""

    style: str
    text: str


@dataclass(frozen=True, slots=True)
class PageText:
    """The page's paragraphs: the body, then the closing (signature and verification box)."""

    body: tuple[Line, ...]
    closing: tuple[Line, ...]
    verify: tuple[Line, ...]

    def all_lines(self) -> tuple[Line, ...]:
        """Every paragraph in reading order."""
        return self.body + self.closing + self.verify


def page_lines(data: CertificateData, version: int = PAGE_VERSION) -> PageText:
    """The page's text for `data`, in the wording of `version`."""
    if version not in PAGE_VERSIONS:
        raise ValueError(f"unknown page version {version}")
    text = _lines_v1(data)
    return PageText(
        *(
            tuple(Line(line.style, printable(line.text)) for line in part)
            for part in (text.body, text.closing, text.verify)
        )
    )


def _lines_v1(data: CertificateData) -> PageText:
    lang = data.language
    body = [
        Line("issuer", f"{data.partnership} · {data.partner}"),
        Line(
            "meta",
            f"{t('certificate_id', lang)}: {data.id} · {t('issued_on', lang)}: {format_date(data.issued_on, lang)}",
        ),
        Line("h1", t("title", lang)),
        Line("subtitle", t("subtitle", lang)),
        Line(
            "statement",
            t(
                "statement",
                lang,
                name=data.volunteer_name,
                birth=format_date(data.birth_date, lang),
                partner=data.partner,
                partnership=data.partnership,
                start=format_date(data.period_start, lang),
                end=format_date(data.period_end, lang),
            ),
        ),
        Line(
            "figures",
            f"{format_hours(data.verified_minutes, lang)} {t('hours', lang)}  ·  {data.sessions} "
            f"{t('sessions', lang)}  ·  {data.period_start:%Y-%m} – {data.period_end:%Y-%m}",
        ),
        Line("unpaid", t("unpaid", lang)),
        Line("h2", t("roles", lang)),
        Line("plain", " · ".join(data.roles)),
        Line("h2", t("activities", lang)),
    ]
    body += [_item(f"{a.name} – {a.kind} · {a.target_group} · {a.place}") for a in data.activities]
    if data.tasks:
        body += [Line("h2", t("tasks", lang)), *(_item(task) for task in data.tasks)]
    if data.trainings:
        body.append(Line("h2", t("trainings", lang)))
        body += [_item(f"{tr.name} – {tr.issuer}, {format_date(tr.completed_on, lang)}") for tr in data.trainings]
    body += _skills_v1(data, lang)
    if data.referee is not None:
        body += [Line("h2", t("referee", lang)), Line("plain", f"{data.referee.name}, {data.referee.contact}")]
    closing = (
        Line("label", t("signed", lang)),
        Line("name", data.signatory_name),
        Line("plain", f"{data.signatory_role}, {data.partner}, {format_date(data.issued_on, lang)}"),
    )
    verify = (
        Line("title", f"{t('verify', lang)}: {data.verify_url}"),
        Line("how", f"{t('certificate_id', lang)}: {data.id}. {t('verify_text', lang)}"),
    )
    return PageText(tuple(body), closing, verify)


def _item(text: str) -> Line:
    # Bullets as text, not list markers: WeasyPrint lays each marker out as an
    # absolutely positioned box of its own.
    return Line("item", f"• {text}")


def _skills_v1(data: CertificateData, lang: Language) -> list[Line]:
    catalogue = load_catalogue()
    lines = [Line("h2", t("skills", lang))]
    for skill in data.skills:
        competence = catalogue.key_competence(skill.key_competence).label(lang)
        assessed = t("assessed_leader" if skill.assessed_by == "leader" else "assessed_self", lang)
        if skill.endorsements:
            assessed += f", {endorsement_text(skill.endorsements, lang)}"
        # The ESCO label is always ESCO's English one; our Swedish wording is marked *.
        own = f" ({skill.label_sv}*)" if lang == "sv" else ""
        lines.append(Line("skill", f"• {skill.label_en}{own} – {assessed}"))
        lines.append(Line("esco", f"{skill.esco_uri} · {competence}"))
    note = f"{t('skills_legend', lang)} {t('esco_source', lang)}: {ESCO_CITATION}."
    if lang == "sv":
        note += " *" + t("own_translation", lang)
    lines.append(Line("note", note))
    return lines
