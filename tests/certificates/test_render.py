from __future__ import annotations

import base64
import gc
import io
import re
from dataclasses import replace
from xml.etree import ElementTree

import pytest
import segno
from pypdf import PdfReader

from certificates import CertificateData, CertificateRenderer, SigningKey
from certificates.render import QR_MASK, qr_svg


@pytest.fixture(scope="module")
def text_sv(pdf_sv: bytes, page_text) -> str:
    return re.sub(r"\s+", " ", page_text(pdf_sv))


@pytest.fixture(scope="module")
def text_en(pdf_en: bytes, page_text) -> str:
    return re.sub(r"\s+", " ", page_text(pdf_en))


def test_swedish_certificate_shows_name_hours_and_skills(text_sv: str) -> None:
    text = text_sv
    assert "Tjänstgöringsintyg" in text
    assert "Amira Haddad Öberg" in text
    assert "85,5 timmar · 46 tillfällen" in text and "oavlönat" in text
    # Hours per role, the partnership's partners by name, the leader's own words.
    assert "Läxhjälpare – 40 timmar" in text and "Assisterande fotbollsledare – 30,5 timmar" in text
    assert "mellan ABF Västerås, Hyresgästföreningen, RF-SISU Västmanland och Västerås stad" in text
    assert "Amira var alltid i tid" in text and "– Johan Berg, Cirkelledare, ABF Västerås" in text
    # Skills in plain Swedish first; ESCO's URIs and English labels only in the credential.
    assert "Hjälpa barn med läxor – bekräftad av ledare 2 gånger" in text
    assert "Samtala på arabiska – egen bedömning" in text
    assert "assist children with homework" not in text and "data.europa.eu" not in text
    assert "intygande" not in text
    # How to check, in plain words.
    assert "Kontrollera äktheten på https://samverka.example/v/SV-2025-000123 eller skanna QR-koden." in text
    assert "python -m" not in text and "Ed25519" not in text


def test_english_certificate_shows_name_hours_and_skills(text_en: str) -> None:
    text = text_en
    assert "Certificate of volunteer service" in text
    assert "Amira Haddad Öberg" in text
    assert "85.5 hours · 46 sessions" in text and "Unpaid" in text
    assert "Homework helper – 40 hours" in text
    assert "Interact verbally in Arabic – self-assessed" in text
    assert "Assist children with homework – confirmed by leaders 2 times" in text
    assert "Check that it is genuine at https://samverka.example/v/SV-2025-000124 or scan the QR code." in text
    for swedish in ("Tjänstgöringsintyg", "timmar", "Samordnare", "Läxhjälp", "Cirkelledare"):
        assert swedish not in text


def test_skills_cite_esco(text_sv: str, text_en: str) -> None:
    assert "ESCO (v1.2.0, © Europeiska unionen)" in text_sv and "projektets egna" in text_sv
    assert "ESCO (v1.2.0, © European Union)" in text_en


def test_full_certificate_fits_one_a4_page(pdf_sv: bytes, pdf_en: bytes) -> None:
    for pdf in (pdf_sv, pdf_en):
        pages = PdfReader(io.BytesIO(pdf)).pages
        assert len(pages) == 1
        width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_xmp_metadata_declares_pdf_a_3(pdf_sv: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf_sv))
    xmp = reader.xmp_metadata.stream.get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="U"' in xmp
    assert "Tjänstgöringsintyg – Amira Haddad Öberg – SV-2025-000123" in xmp
    assert reader.pdf_header == "%PDF-1.7"


def test_pdf_is_tagged_with_title_and_language(pdf_sv: bytes, pdf_en: bytes) -> None:
    for pdf, lang in ((pdf_sv, "sv"), (pdf_en, "en")):
        reader = PdfReader(io.BytesIO(pdf))
        root = reader.trailer["/Root"]
        assert root["/Lang"] == lang
        assert bool(root["/MarkInfo"]["/Marked"])
        assert "/StructTreeRoot" in root
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
        assert reader.metadata.title.startswith(
            "Tjänstgöringsintyg" if lang == "sv" else "Certificate of volunteer service"
        )


def test_credential_is_attached_as_pdf_a_3_associated_file(pdf_sv: bytes) -> None:
    root = PdfReader(io.BytesIO(pdf_sv)).trailer["/Root"]
    (filespec,) = [ref.get_object() for ref in root["/AF"]]
    assert filespec["/F"] == "credential.json"
    assert filespec["/AFRelationship"] == "/Data"
    assert filespec["/EF"]["/F"].get_object()["/Subtype"] == "/application/json"  # pypdf decodes #2f


def test_only_the_shipped_fonts_are_embedded(pdf_sv: bytes) -> None:
    page = PdfReader(io.BytesIO(pdf_sv)).pages[0]
    fonts = page["/Resources"]["/Font"]
    names = set()
    for ref in fonts.values():
        font = ref.get_object()
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # embedded, not referenced
        names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    # Our @font-face family name: proof that the shipped Carlito files were used and
    # that no font of the machine's stood in.
    assert names and names <= {"Samverka-Sans", "Samverka-Sans-Bold", "Samverka-Sans-Italic"}, names


def test_embedded_credential_states_the_page_facts(
    pdf_sv: bytes, data_sv: CertificateData, embedded_credential
) -> None:
    facts = embedded_credential(pdf_sv)["credentialSubject"]["samverka"]
    assert facts["certificateId"] == data_sv.id
    assert facts["volunteer"]["name"] == data_sv.volunteer_name
    assert facts["verifiedMinutes"] == data_sv.verified_minutes
    assert [s["escoUri"] for s in facts["skills"]] == [s.esco_uri for s in data_sv.skills]


def test_page_never_mentions_background_checks(text_sv: str, text_en: str) -> None:
    for text in (text_sv.casefold(), text_en.casefold()):
        assert "belastningsregist" not in text
        assert "background" not in text


def test_reference_and_its_contact_appear_only_when_given(
    renderer: CertificateRenderer, data_sv: CertificateData, key: SigningKey, text_sv: str, page_text
) -> None:
    assert "Johan Berg" in text_sv and "Kontakt: johan.berg@abf.example" in text_sv
    assert data_sv.reference is not None
    no_contact = page_text(renderer.render(replace(data_sv, reference=replace(data_sv.reference, contact="")), key))
    assert "Johan Berg" in no_contact and "Kontakt" not in no_contact and "abf.example" not in no_contact
    without = page_text(renderer.render(replace(data_sv, reference=None), key))
    assert "Johan Berg" not in without and "omdöme" not in without


def test_a_person_is_named_as_issuer_only_when_given(
    renderer: CertificateRenderer, data_sv: CertificateData, key: SigningKey, text_sv: str, page_text
) -> None:
    assert "Utfärdat av IOP Pettersberg Maria Lindqvist" in re.sub(r"\s+", " ", text_sv)
    text = re.sub(r"\s+", " ", page_text(renderer.render(replace(data_sv, signatory_name="", signatory_role=""), key)))
    assert "Maria Lindqvist" not in text and "Samordnare" not in text
    assert "Utfärdat av IOP Pettersberg 2025-06-10" in text


def _qr_modules_drawn(svg: bytes) -> list[list[int]]:
    """The modules the QR code's SVG path strokes: each segment one module wide along a run."""
    root = ElementTree.fromstring(svg)
    size = int(root.get("viewBox").split()[2])
    (path,) = root.iter("{http://www.w3.org/2000/svg}path")
    assert path.get("stroke") == "#000" and path.get("fill") == "none"
    drawn = [[0] * size for _ in range(size)]
    for x, y, direction, length in re.findall(r"M([\d.]+) ([\d.]+)([hv])(\d+)", path.get("d")):
        for step in range(int(length)):
            if direction == "h":
                drawn[int(float(y))][int(x) + step] = 1
            else:
                drawn[int(y) + step][int(float(x))] = 1
    return drawn


def test_qr_code_encodes_the_verification_url(renderer: CertificateRenderer, data_sv: CertificateData) -> None:
    html = renderer.html(data_sv)
    (uri,) = re.findall(r'<img src="([^"]+)"', html)
    assert uri.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(uri.split(",", 1)[1])
    expected = segno.make(data_sv.verify_url, error="m", mask=QR_MASK).matrix
    assert _qr_modules_drawn(svg) == [list(row) for row in expected]
    assert 'alt="QR-kod som leder till kontrollsidan för intyg SV-2025-000123"' in html


def test_qr_path_uses_fewer_segments_than_row_runs() -> None:
    svg = qr_svg("https://samverka.example/v/SV-2025-000123")
    matrix = segno.make("https://samverka.example/v/SV-2025-000123", error="m", mask=QR_MASK).matrix
    row_runs = sum(len(re.findall(rb"\x01+", bytes(row))) for row in matrix)
    assert svg.count(b"M") < row_runs


def test_text_from_the_data_is_escaped(renderer: CertificateRenderer, data_sv: CertificateData) -> None:
    html = renderer.html(replace(data_sv, volunteer_name="<b>Amira</b> & co"))
    assert "&lt;b&gt;Amira&lt;/b&gt; &amp; co" in html
    assert "<b>Amira</b>" not in html


def test_user_agent_stylesheet_drops_only_pseudo_element_rules_for_every_element() -> None:
    from importlib.resources import files

    from certificates.render import _user_agent_stylesheet

    original = (files("weasyprint.css") / "html5_ua.css").read_text("utf-8").splitlines()
    # The trim relies on these lines of WeasyPrint's stylesheet; a new version may move them.
    assert sum(line.startswith(("::footnote-", "::note-")) for line in original) == 5
    assert sum(line.startswith("::marker ") for line in original) == 1
    assert _user_agent_stylesheet() is _user_agent_stylesheet()  # parsed once per process


def test_list_items_keep_their_bullets(text_sv: str) -> None:
    assert text_sv.count("•") >= 9  # roles, trainings, tasks and the referee


def test_render_leaves_the_garbage_collector_as_it_found_it(
    renderer: CertificateRenderer, data_sv: CertificateData, key: SigningKey
) -> None:
    # Rendering pauses the collector; it must come back on, and stay off if it was off.
    assert gc.isenabled()
    renderer.render(data_sv, key)
    assert gc.isenabled()
    gc.disable()
    try:
        renderer.render(data_sv, key)
        assert not gc.isenabled()
    finally:
        gc.enable()
