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
from certificates.i18n import endorsement_text, format_date, format_hours, format_list, t, t2, written_in
from certificates.model import PAGE_VERSION, CertificateData, Language

# The wording versions this code can render and verify. A new certificate's credential
# states its version (`samverka.pageVersion`, PAGE_VERSION in model.py); a credential
# without one was issued before the version was recorded: version 1.
PAGE_VERSIONS = (1, 2, 3)
__all__ = ["PAGE_VERSION", "PAGE_VERSIONS", "Line", "PageText", "page_lines", "printable"]


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


def page_lines(data: CertificateData, version: int | None = None) -> PageText:
    """The page's text for `data`, in the wording of `version` (default: the data's own)."""
    version = data.page_version if version is None else version
    if version not in PAGE_VERSIONS:
        raise ValueError(f"unknown page version {version}")
    text = _lines_v1(data) if version == 1 else _lines_v2(data, version)
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


def _lines_v2(data: CertificateData, version: int) -> PageText:
    """The page an employer reads in 30 seconds: who, how much, what, in a leader's words.

    Version 3 adds the volunteer's own approved time within the hours, and says in which
    language a reference in the other language was written.
    """
    lang = data.language
    body = [Line("issuer", data.partnership)]
    if data.partners:
        body.append(Line("about", t2("partnership_of", lang, partners=format_list(list(data.partners), lang))))
    body += [
        Line(
            "meta",
            f"{t('certificate_id', lang)}: {data.id} · {t('issued_on', lang)}: {format_date(data.issued_on, lang)}",
        ),
        Line("h1", t("title", lang)),
        Line(
            "statement",
            t2(
                "statement",
                lang,
                name=data.volunteer_name,
                birth=format_date(data.birth_date, lang),
                partnership=data.partnership,
                start=format_date(data.period_start, lang),
                end=format_date(data.period_end, lang),
            ),
        ),
        Line("figures", t2("figures", lang, hours=format_hours(data.verified_minutes, lang), sessions=data.sessions)),
    ]
    if version >= 3 and data.own_minutes:
        own = format_hours(data.own_minutes, lang)
        body.append(Line("unpaid", t2("unpaid_own_one" if own == "1" else "unpaid_own", lang, hours=own)))
    elif version >= 3:
        body.append(Line("unpaid", t2("unpaid_v3", lang)))
    else:
        body.append(Line("unpaid", t2("unpaid", lang)))
    body.append(Line("h2", t2("roles", lang)))
    if data.role_minutes:
        for role, minutes in zip(data.roles, data.role_minutes, strict=True):
            hours = format_hours(minutes, lang)
            body.append(_item(t2("role_hour" if hours == "1" else "role_hours", lang, role=role, hours=hours)))
    else:
        body += [_item(role) for role in data.roles]
    body.append(Line("h2", t2("activities", lang)))
    body += [_item(f"{a.name} – {a.kind} · {a.target_group} · {a.place}") for a in data.activities]
    if data.tasks:
        body += [Line("h2", t2("tasks", lang)), *(_item(task) for task in data.tasks)]
    if data.reference is not None:
        ref = data.reference
        body += [
            Line("h2", t2("reference", lang)),
            Line("quote", f"”{ref.text}”"),
        ]
        by = t2("reference_by", lang, name=ref.name, role=ref.role, partner=ref.partner)
        if version >= 3 and ref.language in ("sv", "en") and ref.language != lang:
            # The leader's words as written, never machine-translated: the reader is told the language.
            by += " " + written_in(ref.language, lang)  # type: ignore[arg-type]
        body.append(Line("by", by))
        if ref.contact:
            body.append(Line("by", t2("reference_contact", lang, contact=ref.contact)))
    elif data.referee is not None:
        body += [Line("h2", t2("referee", lang)), Line("plain", f"{data.referee.name}, {data.referee.contact}")]
    body.append(Line("h2", t2("skills", lang)))
    for skill in data.skills:
        label = skill.label_sv if lang == "sv" else skill.label_en
        if skill.assessed_by == "self":
            how = t2("self_assessed", lang)
        elif skill.endorsements > 1:
            how = t2("confirmed_many", lang, n=skill.endorsements)
        else:
            how = t2("confirmed_once", lang)
        body.append(_item(f"{label[:1].upper()}{label[1:]} – {how}"))
    body.append(Line("note", t2("skills_note", lang)))
    if data.trainings:
        body.append(Line("h2", t2("trainings", lang)))
        body += [_item(f"{tr.name} – {tr.issuer}, {format_date(tr.completed_on, lang)}") for tr in data.trainings]
    issued = format_date(data.issued_on, lang)
    if data.signatory_name.strip():
        # A person is named only where that person approved the certificate (the service decides).
        closing = (
            Line("label", t2("issued_by", lang, partnership=data.partnership)),
            Line("name", data.signatory_name),
            Line("plain", f"{data.signatory_role}, {issued}" if data.signatory_role.strip() else issued),
        )
    else:
        closing = (
            Line("label", t2("issued_by_label", lang)),
            Line("name", data.partnership),
            Line("plain", issued),
        )
    verify = [Line("title", t2("verify", lang, url=data.verify_url))]
    if data.check_url:
        verify.append(Line("how", t2("how_to_check", lang, url=data.check_url)))
    else:
        verify.append(Line("how", f"{t('certificate_id', lang)}: {data.id}"))
    return PageText(tuple(body), closing, tuple(verify))
