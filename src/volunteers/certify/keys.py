"""The service's signing key and the keyset it publishes.

    <data_dir>/keys/signing-key.pem       the private key (mode 0600), made on first start
    <data_dir>/keys/samverka-keys.json    every public key, current and retired

`SAMVERKA_SIGNING_KEY` (PEM text or a PEM file's path) replaces the file key; a key
the keyset does not list yet is added by rotation on start, so changing the variable
is how such installations rotate. `samverka keys rotate` makes a new file key: the old
public key stays in the keyset (with a `not_after`) so its certificates keep verifying.
Running instances notice the new files at their next use.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from pathlib import Path

from certificates import KeySet, KeySetError, SigningKey
from volunteers.settings import Settings

KEY_FILE = "signing-key.pem"
KEYSET_FILE = "samverka-keys.json"
log = logging.getLogger("samverka.keys")


def key_dir(settings: Settings) -> Path:
    return settings.data_dir / "keys"


def _write_private(path: Path, pem: bytes, *, replace: bool) -> bool:
    """Write a private key readable by the owner only; False if one exists and `replace` is off."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = path.with_suffix(".tmp") if replace else path
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if replace else os.O_EXCL), 0o600)
    except FileExistsError:  # another instance made it first
        return False
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(target, 0o600)
    if replace:
        os.replace(target, path)
    return True


def _save_keyset(path: Path, keyset: KeySet) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(keyset.dumps(), encoding="utf-8")
    os.replace(tmp, path)


def _configured_key(settings: Settings) -> SigningKey | None:
    if not settings.signing_key_pem:
        return None
    return SigningKey.from_env({"SAMVERKA_SIGNING_KEY": settings.signing_key_pem})


def ensure_keys(settings: Settings, now: dt.datetime | None = None) -> SigningKey:
    """Make the signing key and keyset if missing (first start); publish a newly configured key."""
    folder = key_dir(settings)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = _configured_key(settings)
    key_path = folder / KEY_FILE
    if key is None:
        if not key_path.exists():
            _write_private(key_path, SigningKey.generate().to_pem(), replace=False)
        key = SigningKey.from_pem(key_path.read_bytes())
    keyset_path = folder / KEYSET_FILE
    if not keyset_path.exists():
        # No not_before: a first key signs from any time (clocks of several instances may differ).
        _save_keyset(keyset_path, KeySet.for_key(key, settings.base_url))
    else:
        keyset = KeySet.load(keyset_path)
        if keyset.get(key.key_id) is None:
            log.warning("signing key %s is new: adding it to the keyset, retiring the others", key.key_id)
            _save_keyset(keyset_path, keyset.rotate(key, now))
        elif keyset.issuer != settings.base_url:
            log.warning("keyset issuer %s differs from SAMVERKA_BASE_URL %s", keyset.issuer, settings.base_url)
    return key


def rotate_keys(settings: Settings, at: dt.datetime | None = None) -> tuple[str, str]:
    """A new file signing key from `at` (default now); returns (old key id, new key id)."""
    if settings.signing_key_pem:
        raise KeySetError(
            "the signing key comes from SAMVERKA_SIGNING_KEY: set a new key there; the keyset rotates on start"
        )
    old = ensure_keys(settings)
    folder = key_dir(settings)
    new = SigningKey.generate()
    keyset = KeySet.load(folder / KEYSET_FILE).rotate(new, at)
    # The key first: an instance that sees it before the keyset heals the keyset on its next start.
    _write_private(folder / KEY_FILE, new.to_pem(), replace=True)
    _save_keyset(folder / KEYSET_FILE, keyset)
    return old.key_id, new.key_id


class KeyStore:
    """The current signing key and keyset of this instance, re-read when their files change."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._lock = threading.Lock()
        self._stamp: tuple[object, ...] | None = None
        self._loaded: tuple[SigningKey, KeySet, bytes] | None = None

    def ensure(self) -> None:
        """Called on start: make the key and keyset if this is the first start."""
        ensure_keys(self.settings)

    def _files_stamp(self) -> tuple[object, ...]:
        stamp: list[object] = []
        for name in (KEY_FILE, KEYSET_FILE):
            try:
                st = (key_dir(self.settings) / name).stat()
                stamp += [st.st_ino, st.st_mtime_ns, st.st_size]
            except FileNotFoundError:
                stamp.append(None)
        return tuple(stamp)

    def _current(self) -> tuple[SigningKey, KeySet, bytes]:
        stamp = self._files_stamp()
        with self._lock:
            if self._loaded is None or stamp != self._stamp:
                key = ensure_keys(self.settings)
                keyset = KeySet.load(key_dir(self.settings) / KEYSET_FILE)
                if keyset.get(key.key_id) is None:
                    raise KeySetError(f"signing key {key.key_id} is not in the published keyset")
                self._loaded = (key, keyset, keyset.dumps().encode())
                self._stamp = self._files_stamp()
            return self._loaded

    def signing(self) -> tuple[SigningKey, KeySet]:
        """The key to sign with now, and the keyset that publishes it."""
        key, keyset, _ = self._current()
        return key, keyset

    def published(self) -> bytes:
        """The keyset JSON served at /.well-known/samverka-keys.json."""
        return self._current()[2]
