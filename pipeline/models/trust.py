"""Which model folders may be unpickled: the ones this user's framing signed, wherever they are.

joblib runs code when it loads, so a model is loaded only when it is

* signed: ``model.json`` carries an HMAC-SHA256 (over the whole file, and so over the SHA-256
  of every model file it lists) made with this user's secret key. ``save_model`` signs
  everything it writes (``framing train``, ``framing model import``), so a user's own models
  load from any folder. The key is created on first use, 32 random bytes in
  ``~/.config/framing/key`` (``$XDG_CONFIG_HOME``) with permissions 0600; ``$FRAMING_KEY_FILE``
  names another file, to share one key across a team or a cluster;
* the default model shipped with framing, or in ``$FRAMING_MODELS``, a folder the user
  declared trusted;
* or the caller passed ``trust`` (``--trust``).

The signature is checked on ``model.json`` alone, before any model file is read.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from .. import errors

SIGNATURE = "signature"
ALGORITHM = "hmac-sha256"


def key_file() -> Path:
    """``$FRAMING_KEY_FILE``, else ``$XDG_CONFIG_HOME/framing/key``, else ``~/.config/framing/key``."""
    if os.environ.get("FRAMING_KEY_FILE"):
        return Path(os.environ["FRAMING_KEY_FILE"]).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "framing" / "key"


def user_key(*, create: bool = True) -> bytes | None:
    """This user's signing key; created (0600) on first use when ``create``, else None if absent.

    Raises:
        ModelError: When the key file exists but cannot be read or is empty.
    """
    path = key_file()
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:  # O_EXCL: two processes creating the key at once keep one of them
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    try:
        key = path.read_text("ascii").strip().encode("ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise errors.ModelError.of(errors.TRUST_CANNOT_READ_MODEL, path=path, exc=exc) from None
    if not key:
        raise errors.ModelError.of(errors.KEY_EMPTY, path=path)
    return key


def _payload(info: dict[str, Any]) -> bytes:
    body = {k: v for k, v in info.items() if k != SIGNATURE}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def key_id(key: bytes) -> str:
    """A short public name of a key (a hash of it), recorded beside each signature."""
    return hashlib.sha256(b"framing key id\0" + key).hexdigest()[:16]


def sign(info: dict[str, Any]) -> dict[str, str]:
    """The signature of ``info`` (``model.json`` without its signature) with this user's key."""
    key = user_key()
    return {"algorithm": ALGORITHM, "key_id": key_id(key),
            "value": hmac.new(key, _payload(info), hashlib.sha256).hexdigest()}


def signed_by_user(info: dict[str, Any]) -> bool:
    """Whether ``info`` carries a valid signature made with this user's key."""
    signature = info.get(SIGNATURE)
    key = user_key(create=False)
    if not isinstance(signature, dict) or key is None or signature.get("algorithm") != ALGORITHM:
        return False
    expected = hmac.new(key, _payload(info), hashlib.sha256).hexdigest()
    return hmac.compare_digest(str(signature.get("value", "")), expected)


def trusted_roots(default_model: Path) -> list[Path]:
    """Folders whose models load unsigned: the shipped default model and ``$FRAMING_MODELS``."""
    roots = [default_model.resolve()]
    if os.environ.get("FRAMING_MODELS"):
        roots.append(Path(os.environ["FRAMING_MODELS"]).resolve())
    return roots


def check_trusted(path: Path, info: dict[str, Any], *, trust: bool, default_model: Path) -> None:
    """Raise unless the model at ``path`` (its ``model.json`` read as ``info``) may be unpickled.

    Raises:
        UntrustedModelError: Naming why (unsigned, signed by another key, changed since
            signing) and the two ways on: ``--trust``, or ``framing model import``.
    """
    if trust or signed_by_user(info):
        return
    real = path.resolve()
    if any(real == root or root in real.parents for root in trusted_roots(default_model)):
        return
    signature = info.get(SIGNATURE)
    key = user_key(create=False)
    if not isinstance(signature, dict):
        why = "it is not signed (it was not saved by this user's framing)"
    elif key is not None and signature.get("key_id") == key_id(key):
        why = "its model.json changed after it was signed"
    else:
        why = f"it was signed with another key ({signature.get('key_id')}; yours is in {key_file()})"
    raise errors.UntrustedModelError.of(errors.UNTRUSTED_MODEL, path=path, why=why)
