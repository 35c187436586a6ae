"""Certificate data -> signed, tagged PDF/A-3 with the credential embedded.

WeasyPrint is fast when the stylesheet and its fonts are parsed once: a
`CertificateRenderer` holds one FontConfiguration and one parsed CSS and is reused for
every certificate. It is not thread-safe; `render_pdf` keeps one per thread, and
`render_many` one per worker process.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import gc
import json
import multiprocessing
import re
import threading
import zlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, time
from html import escape
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Any
from xml.etree import ElementTree

import cssselect2  # type: ignore[import-untyped]
import pydyf  # type: ignore[import-untyped]
import segno
from weasyprint import CSS, HTML, Attachment  # type: ignore[import-untyped]
from weasyprint.html import UA_COUNTER_STYLE  # type: ignore[import-untyped]
from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]
from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

from certificates.credential import CREDENTIAL_FILENAME, build_credential, sign_credential
from certificates.glyphs import SCRIPT_FONTS
from certificates.i18n import t
from certificates.layouts import layouts_kept
from certificates.model import CertificateData
from certificates.page import Line, page_lines, printable
from certificates.signing import SigningKey

PDF_VARIANT = "pdf/a-3u"
# Every QR mask pattern reads the same; segno's search for the one that scores best
# took about 4 ms a certificate, so one is fixed.
QR_MASK = 5
_QR_URI_PREFIX = "data:image/svg+xml;base64,"
_DARK_RUN = re.compile(b"\x01+")
# zlib's fastest level: about 1 ms a certificate less than the default level, for a
# PDF some 3 KiB larger (34 instead of 31 KiB).
_DEFLATE_LEVEL = 1
_HERE = Path(__file__).parent
_FONTS = _HERE / "fonts"
_FONT_FACES = (
    ("Samverka Sans", "Carlito-Regular.ttf", "normal", "normal"),
    ("Samverka Sans", "Carlito-Bold.ttf", "bold", "normal"),
    ("Samverka Sans", "Carlito-Italic.ttf", "normal", "italic"),
    # Names in the scripts Carlito lacks (fonts/README.md): one regular face each, used for
    # bold and italic too. Without them the machine's fonts drew these names, or, where it
    # had none (Ethiopic, Chinese, Thai, Tamil on a plain Debian), .notdef boxes.
    *((family, name, "normal", "normal") for family, name in SCRIPT_FONTS),
)


def _font_face_css() -> str:
    # Family names of our own, so that the machine's fonts can never stand in for them.
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{(_FONTS / name).as_uri()}");'
        f" font-weight: {weight}; font-style: {style}; }}"
        for family, name, weight, style in _FONT_FACES
    )


def _finish(_document: object, pdf: Any) -> None:
    """Last touches on WeasyPrint's pydyf document before it is written."""
    _list_associated_files_once(pdf)
    _compress_streams_once(pdf)


def _list_associated_files_once(pdf: Any) -> None:
    # WeasyPrint 70 adds each attachment to the catalogue's /AF twice (once from the
    # name tree, once from the file specifications); PDF/A-3 wants it listed once.
    associated = pdf.catalog.get("AF")
    if associated is not None:
        unique = list(dict.fromkeys(associated))
        associated.clear()
        associated.extend(unique)


def _compress_streams_once(pdf: Any) -> None:
    # pydyf deflates every stream at level 9 each time its bytes are asked for, and
    # PDF/A's file identifier makes it ask twice (once to write, once to hash the
    # whole file). Deflate each stream once, at the default level, and hand pydyf
    # the result as already-filtered data.
    for stream in pdf.objects:
        if isinstance(stream, pydyf.Stream) and stream.compress:
            raw = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)
            stream.stream = [zlib.compress(raw, _DEFLATE_LEVEL)]
            stream.compress = False
            stream.extra["Filter"] = "/FlateDecode"


@functools.cache
def _user_agent_stylesheet() -> Any:
    """WeasyPrint's HTML user-agent stylesheet without rules for every element's pseudo-elements.

    Its `::marker` and `::footnote-*`/`::note-*` rules match every element, so WeasyPrint
    computed about seven extra styles per element (some 1,200 a page). The page has no
    footnotes and only `li` elements have markers, so those rules are dropped or scoped
    to `li`; everything else is WeasyPrint's own.
    """
    text = (files("weasyprint.css") / "html5_ua.css").read_text("utf-8")
    kept = []
    for line in text.splitlines():
        if line.startswith(("::footnote-", "::note-")):
            continue
        kept.append("li" + line if line.startswith("::marker ") else line)
    return CSS(string="\n".join(kept), counter_style=UA_COUNTER_STYLE)


def qr_svg(url: str) -> bytes:
    """The QR code of `url` (segno, error level M) as an SVG of one stroked path.

    WeasyPrint parses and draws an SVG path command by command in Python, about 10 µs
    each, so the path is made of as few segments as cover the dark modules: the
    longest horizontal or vertical runs first, each taken while it still covers a
    module no earlier one did (about 165 segments for a 29 x 29 code, where segno's own
    SVG draws each of some 205 row runs). Segments may overlap; they are all black.
    """
    matrix = segno.make(url, error="m", mask=QR_MASK).matrix
    size = len(matrix)
    runs: list[tuple[int, bool, int, int]] = []  # (length, vertical, row or column, start)
    for vertical, lines in ((False, matrix), (True, zip(*matrix, strict=True))):
        for line, cells in enumerate(lines):
            for run in _DARK_RUN.finditer(bytes(cells)):
                runs.append((run.end() - run.start(), vertical, line, run.start()))
    runs.sort(key=lambda run: -run[0])  # stable: equal lengths keep their order
    covered = bytearray(size * size)  # row-major, 1 once a segment covers the module
    path = []
    for length, vertical, line, start in runs:
        # The run's modules in `covered`: down a column, or along a row.
        modules = (
            slice(start * size + line, (start + length) * size, size)
            if vertical
            else slice(line * size + start, line * size + start + length)
        )
        if 0 not in covered[modules]:
            continue
        covered[modules] = b"\x01" * length
        # A stroke one module wide along the middle of the run.
        path.append(f"M{line}.5 {start}v{length}" if vertical else f"M{start} {line}.5h{length}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{4 * size}"'
        f' height="{4 * size}"><path fill="none" stroke="#000" d="{"".join(path)}"/></svg>'
    ).encode("ascii")


class _Fetcher(URLFetcher):  # type: ignore[misc]
    """WeasyPrint's fetcher, but the page's QR code (a base64 data: URI) is decoded directly.

    Through urllib, the data: URI took about 1 ms a certificate.
    """

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith(_QR_URI_PREFIX):
            body = base64.b64decode(url[len(_QR_URI_PREFIX) :], validate=True)
            return URLFetcherResponse(url, body, {"Content-Type": "image/svg+xml"})
        return super().fetch(url, headers)


_pause_lock = threading.Lock()
_pauses = 0
_resume_collector = False


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a certificate renders.

    A render makes some 100,000 short-lived objects (boxes, styles, layouts); each time
    700 of them accumulate, the collector scans the young ones, and now and then all
    objects of the process. Measured: about 5 ms of a render's CPU time went to
    collections, 1.5 ms with the collector paused during renders (its one catch-up
    collection after a render included). Memory stays flat: the collector runs as
    usual between renders. Renders in several threads at once keep it paused until the
    last one ends, and it is turned back on only if it was on before.
    """
    global _pauses, _resume_collector  # one collector per process, so one count
    with _pause_lock:
        if _pauses == 0:
            _resume_collector = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _resume_collector:
                gc.enable()


class _Page(HTML):  # type: ignore[misc]
    """The certificate's page: well-formed XHTML, styled with the trimmed user-agent stylesheet.

    The page is our own markup, so it is written as well-formed XHTML and parsed with
    the standard library's C XML parser; WeasyPrint's HTML5 parser (pure Python) took
    several milliseconds a page. The tree has the same shape and tag names as the
    HTML parser gives (no namespaces), so the rest of WeasyPrint reads it unchanged.
    """

    def __init__(self, markup: str, base_url: str, url_fetcher: URLFetcher) -> None:
        self.base_url = base_url
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        # Not untrusted XML: our template, every value in it escaped, no entities or DTD.
        root = ElementTree.fromstring(markup)  # noqa: S314
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
        return [_user_agent_stylesheet()]


class CertificateRenderer:
    """Renders certificates with one shared font configuration and stylesheet."""

    def __init__(self) -> None:
        self._font_config = FontConfiguration()
        stylesheet = _font_face_css() + "\n" + (_HERE / "templates" / "certificate.css").read_text("utf-8")
        self._css = CSS(string=stylesheet, font_config=self._font_config, base_url=str(_HERE))
        self._template = Template((_HERE / "templates" / "certificate.html").read_text("utf-8"))
        # Made once: building one sets up urllib's handlers (~2 ms). The page fetches only
        # its data: URI; the fonts are loaded with the stylesheet.
        self._url_fetcher = _Fetcher()

    def render(self, data: CertificateData, key: SigningKey, signed_at: datetime | None = None) -> bytes:
        """Sign the certificate's credential with `key` and render the PDF around it."""
        credential = sign_credential(build_credential(data, signed_at), key, signed_at)
        return self.render_with_credential(data, credential)

    def render_with_credential(self, data: CertificateData, credential: Mapping[str, Any]) -> bytes:
        """Render the page for `data`, embedding `credential` exactly as given.

        For re-issuing a stored, already signed credential. The caller must make sure
        the two state the same facts; `verify_pdf` will reject the PDF if they do not.
        """
        with _collector_paused(), layouts_kept():
            return self._render_with_credential(data, credential)

    def _render_with_credential(self, data: CertificateData, credential: Mapping[str, Any]) -> bytes:
        payload = json.dumps(credential, ensure_ascii=False, indent=2).encode("utf-8")
        created = datetime.combine(data.issued_on, time(), tzinfo=UTC)
        attachment = Attachment(
            string=payload,
            name=CREDENTIAL_FILENAME,
            description="Open Badges 3.0 credential, signed (eddsa-jcs-2022)",
            created=created,
            modified=created,
            relationship="Data",
        )
        html = _Page(self.html(data), str(_HERE), self._url_fetcher)
        pdf: bytes = html.write_pdf(
            stylesheets=[self._css],
            font_config=self._font_config,
            pdf_variant=PDF_VARIANT,
            pdf_tags=True,
            attachments=[attachment],
            pdf_identifier=data.id.encode("utf-8"),
            finisher=_finish,
        )
        return pdf

    def html(self, data: CertificateData) -> str:
        """The certificate page as HTML (for previews and tests)."""
        lang = data.language
        values = {
            "lang": lang,
            "doc_title": f"{t('title', lang)} – {data.volunteer_name} – {data.id}",
            "author": f"{data.partner}, {data.partnership}",
            "description": t("description", lang, name=data.volunteer_name, partnership=data.partnership),
            "keywords": ", ".join((t("title", lang), "ESCO", "Open Badges 3.0", data.id)),
            "created": f"{data.issued_on.isoformat()}T00:00:00Z",
            "qr_alt": t("qr_alt", lang, id=data.id),
        }
        escaped = {name: escape(_printable(value)) for name, value in values.items()}
        # Already-safe values: a data URI made here, and markup built from escaped parts.
        escaped["qr_uri"] = _QR_URI_PREFIX + base64.b64encode(qr_svg(data.verify_url)).decode("ascii")
        text = page_lines(data)
        escaped["body"] = _markup(text.body)
        escaped["closing"] = _markup(text.closing)
        escaped["verify"] = _markup(text.verify)
        return self._template.substitute(escaped)


def _markup(lines: Iterable[Line]) -> str:
    """The page's lines as flat XHTML: one element per paragraph, every value escaped."""
    out = []
    for line in lines:
        body = escape(line.text)  # page_lines made it printable
        if line.style in ("h1", "h2"):
            out.append(f"<{line.style}>{body}</{line.style}>")
        elif line.style == "plain":
            out.append(f"<p>{body}</p>")
        else:
            out.append(f'<p class="{line.style}">{body}</p>')
    return "\n".join(out)


_printable = printable


_local = threading.local()


def _renderer() -> CertificateRenderer:
    renderer: CertificateRenderer | None = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = _local.renderer = CertificateRenderer()
    return renderer


def render_pdf(data: CertificateData, key: SigningKey, signed_at: datetime | None = None) -> bytes:
    """One signed certificate PDF, using this thread's shared renderer."""
    return _renderer().render(data, key, signed_at)


_worker: tuple[CertificateRenderer, SigningKey] | None = None


def _init_worker(pem: bytes, key_id: str) -> None:
    global _worker  # one renderer per worker process is the point
    _worker = (CertificateRenderer(), SigningKey.from_pem(pem, key_id))
    settle_worker(_worker[0])


def settle_worker(renderer: CertificateRenderer) -> None:
    """Make a render worker's long-lived state once, then keep it out of the collector's sight.

    One render warms WeasyPrint's caches (fonts, shaping); `gc.freeze` then moves every
    object alive (modules, fonts, caches: some 75,000) out of the collector's
    generations, so an occasional full collection scans only what renders left, not
    the whole process (about 100 ms each time otherwise). For processes that only render.
    """
    from certificates.examples import sample_certificate

    renderer.render(sample_certificate(), SigningKey.generate())
    gc.collect()
    gc.freeze()


def _render_in_worker(job: tuple[CertificateData, datetime | None]) -> bytes:
    assert _worker is not None, "worker not initialised"
    renderer, key = _worker
    return renderer.render(job[0], key, job[1])


def render_many(
    items: Iterable[CertificateData],
    key: SigningKey,
    processes: int = 2,
    signed_at: datetime | None = None,
) -> Iterator[bytes]:
    """Render many certificates in a process pool, yielding PDFs in input order.

    Each worker builds its renderer (fonts, stylesheet) once. Workers are started with
    'spawn', which is safe from a threaded server. Consume the iterator to the end (or
    close it) to shut the pool down.
    """
    moment = signed_at or datetime.now(UTC)
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes, initializer=_init_worker, initargs=(key.to_pem(), key.key_id)) as pool:
        yield from pool.imap(_render_in_worker, ((item, moment) for item in items), chunksize=4)
