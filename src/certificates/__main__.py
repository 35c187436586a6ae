"""Command line: `python -m certificates {verify,elm,render,keygen,sample} ...`.

verify exits 0 for a genuine certificate, 1 with the reason for one that is not, and 2
when the file or the keys given cannot be used (one line on standard error).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

from certificates.credential import subject_facts
from certificates.errors import CertificateError, KeySetError
from certificates.model import CertificateData
from certificates.signing import KEYSET_PATH, SIGNING_KEY_ENV, KeySet, SigningKey
from certificates.verify import extract_credential, verify_pdf

KEYSET_ENV = "SAMVERKA_KEYSET"
Fetch = Callable[[str], bytes]


def _fetch(url: str) -> bytes:
    if not url.startswith("https://"):
        raise KeySetError(f"refusing to fetch a keyset over anything but https: {url}")
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - https only
        data: bytes = response.read(1_000_000)
        return data


def load_keyset_for(pdf_bytes: bytes, keys: str | None, fetch: Fetch = _fetch) -> KeySet:
    """The keyset from --keys (a file or an https URL), $SAMVERKA_KEYSET, or the issuer.

    Fetching from the issuer named in the PDF trusts that issuer's web address: the
    verify output names it so the reader can judge it. Pass --keys to pin a keyset.
    """
    source = keys or os.environ.get(KEYSET_ENV)
    if source and "://" in source:
        # Any address is fetched (https only, which `fetch` enforces), never read as a path.
        return KeySet.loads(fetch(source))
    if source:
        return KeySet.load(source)
    try:
        credential, _, _ = extract_credential(pdf_bytes)
        issuer = credential["issuer"]["id"]
    except (CertificateError, KeyError, TypeError) as exc:
        raise KeySetError(f"no --keys given and no issuer to ask: {exc}") from exc
    return KeySet.loads(fetch(str(issuer).rstrip("/") + KEYSET_PATH))


def _verify(args: argparse.Namespace) -> int:
    try:
        pdf_bytes = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {_one_line(exc)}", file=sys.stderr)
        return 2
    try:
        keyset = load_keyset_for(pdf_bytes, args.keys)
    except (KeySetError, OSError) as exc:
        # Not a verdict on the certificate: the keys given could not be used (exit 2).
        print(f"error: cannot use the keys: {_one_line(exc)}", file=sys.stderr)
        return 2
    result = verify_pdf(pdf_bytes, keyset)
    if not result.ok:
        print(f"NOT VERIFIED ({result.failure}): {result.reason}", file=sys.stderr)
        return 1
    assert result.credential is not None
    facts = subject_facts(result.credential)
    hours = facts["verifiedMinutes"] / 60
    print(f"VERIFIED: certificate {result.certificate_id}, {result.reason}")
    print(f"  volunteer: {facts['volunteer']['name']} (born {facts['volunteer']['birthDate']})")
    print(f"  issuer:    {facts['partner']}, {facts['partnership']}")
    print(
        f"  period:    {facts['periodStart']} to {facts['periodEnd']}, "
        f"{hours:.1f} h in {facts['sessions']} sessions, unpaid"
    )
    for skill in facts["skills"]:
        print(f"  skill:     {skill['labelEn']} <{skill['escoUri']}> ({skill['assessedBy']})")
    return 0


def _elm(args: argparse.Namespace) -> int:
    from certificates.elm import to_elm

    try:
        pdf_bytes = Path(args.file).read_bytes()
        keyset = load_keyset_for(pdf_bytes, args.keys)
    except (KeySetError, OSError) as exc:
        print(f"error: cannot use the file or the keys: {_one_line(exc)}", file=sys.stderr)
        return 2
    result = verify_pdf(pdf_bytes, keyset)
    if not result.ok or result.credential is None:
        # Only a genuine certificate is exported: the export itself carries no signature.
        print(f"NOT VERIFIED ({result.failure}): {result.reason}", file=sys.stderr)
        return 1
    print(json.dumps(to_elm(result.credential, pdf_bytes), ensure_ascii=False, indent=2))
    return 0


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def _render(args: argparse.Namespace) -> int:
    from certificates.render import render_pdf

    data = CertificateData.from_dict(json.loads(Path(args.data).read_text("utf-8")))
    key = SigningKey.from_pem(Path(args.key).read_bytes(), args.key_id) if args.key else SigningKey.from_env()
    Path(args.output).write_bytes(render_pdf(data, key))
    print(f"wrote {args.output} (certificate {data.id}, key {key.key_id})")
    return 0


def _keygen(args: argparse.Namespace) -> int:
    key = SigningKey.generate(args.key_id)
    key_path = Path(args.key_out)
    if key_path.exists():
        print(f"refusing to overwrite {key_path}", file=sys.stderr)
        return 1
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.to_pem())
    keyset_path = Path(args.keyset)
    if keyset_path.exists():
        keyset = KeySet.load(keyset_path).rotate(key)
        action = "rotated"
    else:
        if not args.issuer:
            print("--issuer is needed to start a new keyset", file=sys.stderr)
            return 1
        keyset = KeySet.for_key(key, args.issuer)
        action = "created"
    keyset.save(keyset_path)
    print(
        f"new key {key.key_id} in {key_path}; {action} {keyset_path} "
        f"({len(keyset.keys)} key(s)); publish it at {KEYSET_PATH}"
    )
    return 0


def _sample(args: argparse.Namespace) -> int:
    from certificates.examples import sample_certificate

    print(json.dumps(sample_certificate(args.language).to_dict(), ensure_ascii=False, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    parser = argparse.ArgumentParser(prog="python -m certificates", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    verify = commands.add_parser("verify", help="check that a certificate PDF is genuine")
    verify.add_argument("file", metavar="FILE.pdf")
    verify.add_argument(
        "--keys",
        metavar="KEYSET.json",
        help=f"keyset file or https URL (default: ${KEYSET_ENV}, else the issuer's {KEYSET_PATH})",
    )
    verify.set_defaults(run=_verify)

    elm = commands.add_parser("elm", help="verify, then print the certificate as an ELM 3 credential (Europass)")
    elm.add_argument("file", metavar="FILE.pdf")
    elm.add_argument("--keys", metavar="KEYSET.json", help="as for verify")
    elm.set_defaults(run=_elm)

    render = commands.add_parser("render", help="render and sign a certificate")
    render.add_argument("data", metavar="DATA.json")
    render.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    render.add_argument("--key", metavar="KEY.pem", help=f"default: ${SIGNING_KEY_ENV}")
    render.add_argument("--key-id", help="the id the key is published under, if chosen")
    render.set_defaults(run=_render)

    keygen = commands.add_parser("keygen", help="new signing key; create or rotate the keyset")
    keygen.add_argument("--key-out", default="signing-key.pem", metavar="KEY.pem")
    keygen.add_argument("--keyset", default="samverka-keys.json", metavar="KEYSET.json")
    keygen.add_argument("--issuer", help="issuer URL, e.g. https://samverka.example")
    keygen.add_argument("--key-id")
    keygen.set_defaults(run=_keygen)

    sample = commands.add_parser("sample", help="print a sample DATA.json")
    sample.add_argument("--language", choices=("sv", "en"), default="sv")
    sample.set_defaults(run=_sample)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except (CertificateError, OSError, json.JSONDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
