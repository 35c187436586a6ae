"""The public verification page as plain HTML (the web team may restyle it later)."""

from __future__ import annotations

from html import escape

from volunteers.certify import schemas
from volunteers.certify.wording import PAGE, Language

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}"
    ".status{font-size:1.4rem;font-weight:bold;padding:.6rem 1rem;border-radius:.4rem}"
    ".valid{background:#e3f4e6;color:#0b5d1e}.revoked,.withdrawn,.unknown{background:#fbe4e4;color:#8a1111}"
    "dt{font-weight:bold;margin-top:.6rem}dd{margin-left:0}"
)


def _page(title: str, body: str, language: Language) -> str:
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="robots" content="noindex"><title>{escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body>{body}</body></html>"
    )


def verification_html(v: schemas.Verification, language: Language) -> str:
    """The status and, unless withdrawn, the facts: never the birth date."""

    def t(key: str) -> str:
        return PAGE[key][language]

    rows = [(t("id"), v.id), (t("issued"), v.issued_on.isoformat())]
    if v.name is not None:
        rows += [
            (t("name"), v.name),
            (t("issuer"), f"{v.partner}, {v.partnership}"),
            (t("period"), f"{v.period_start} – {v.period_end}"),
            (t("hours"), f"{v.verified_hours:.1f}".replace(".", "," if language == "sv" else ".")),
            (t("sessions"), str(v.sessions)),
        ]
    if v.status == "revoked":
        rows += [(t("revoked_on"), str(v.revoked_on or "")), (t("reason"), v.revoked_reason or "")]
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(val)}</dd>" for k, val in rows)
    skills = ""
    if v.skills:
        skills = f"<h2>{escape(t('skills'))}</h2><ul>" + "".join(f"<li>{escape(s.label)}</li>" for s in v.skills)
        skills += "</ul>"
    body = (
        f"<h1>{escape(t('title'))}</h1>"
        f'<p class="status {v.status}" role="status">{escape(t(v.status))}</p>'
        f"<dl>{items}</dl>{skills}<p>{escape(t('compare'))}</p>"
    )
    return _page(f"{t('title')}: {t(v.status)}", body, language)


def unknown_html(language: Language = "sv") -> str:
    """The same page for every id that names no certificate."""
    body = (
        f"<h1>{escape(PAGE['title'][language])}</h1>"
        f'<p class="status unknown" role="status">{escape(PAGE["unknown"][language])}</p>'
        f"<p>{escape(PAGE['unknown_text'][language])}</p>"
    )
    return _page(PAGE["unknown"][language], body, language)
