"""Reading text files whatever their encoding: UTF-8 (with or without BOM), UTF-16, Latin-1."""

from __future__ import annotations

import codecs
from pathlib import Path

from .. import errors

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect_encoding(head: bytes) -> str:
    """Guess the encoding of a file from its first bytes.

    A BOM decides; NUL bytes in every other position mean UTF-16 without a BOM; otherwise
    UTF-8 is assumed and :func:`decode` falls back to cp1252/Latin-1 if it does not decode.
    """
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if len(head) >= 4:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > len(odd) * 0.4 and even.count(0) == 0:
            return "utf-16-le"
        if even.count(0) > len(even) * 0.4 and odd.count(0) == 0:
            return "utf-16-be"
    return "utf-8"


def decode(data: bytes, *, where: str) -> str:
    """Decode bytes to text, detecting the encoding; raise a clear error for binary data.

    Raises:
        CorpusError: When the bytes are binary (NUL bytes that are not UTF-16).
    """
    encoding = detect_encoding(data[:4096])
    if encoding == "utf-8":
        if b"\x00" in data:
            raise errors.CorpusError(errors.BINARY_FILE, where=where)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            # Mixed or legacy files: cp1252 covers Latin-1 plus curly quotes; undefined
            # cp1252 bytes fall back to Latin-1 so no byte is lost.
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                return data.decode("latin-1")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise errors.CorpusError(errors.UNREADABLE.format(detail=exc.reason), where=where) from None


def read_text(path: str | Path) -> str:
    """Read a whole text file, detecting its encoding, with line endings normalised to ``\\n``.

    Raises:
        CorpusError: For a missing, binary or undecodable file.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise errors.CorpusError(errors.NO_SUCH_INPUT.format(path=path)) from None
    except OSError as exc:
        raise errors.CorpusError(errors.UNREADABLE.format(detail=exc.strerror), where=str(path)) from None
    text = decode(data, where=str(path))
    return text.replace("\r\n", "\n").replace("\r", "\n")
