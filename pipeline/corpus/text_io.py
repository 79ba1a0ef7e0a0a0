"""Reading text files whatever their encoding: UTF-8 (with or without BOM), UTF-16, Latin-1.

:func:`read_text` reads a whole file; :func:`iter_lines` streams it line by line, so that a
corpus of any size is read in constant memory. Both decide the encoding from the file's
first bytes. A UTF-8 file with some lines in a legacy encoding (cp1252/Latin-1) is decoded
line by line, each line in the encoding that fits it, so no byte is lost.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path

from .. import errors

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HEAD = 4096


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
    encoding = detect_encoding(data[:_HEAD])
    if encoding in ("utf-8", "utf-8-sig"):
        if b"\x00" in data:
            raise errors.CorpusError(errors.BINARY_FILE, where=where)
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            # Mixed files: decode each line in the encoding that fits it.
            if data.startswith(codecs.BOM_UTF8):
                data = data[len(codecs.BOM_UTF8):]
            return "".join(_decode_legacy_line(line) for line in data.splitlines(keepends=True))
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


def iter_lines(path: str | Path) -> Iterator[tuple[int, str]]:
    """Stream ``(line_number, line)`` for every line of a text file, ending kept as ``\\n``.

    Memory stays flat whatever the file size. Line numbers count from 1, as editors do.

    Raises:
        CorpusError: For a missing or unreadable file, or (naming ``file:line``) a binary
            line or bytes that do not decode.
    """
    path = Path(path)
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        raise errors.CorpusError(errors.NO_SUCH_INPUT.format(path=path)) from None
    except OSError as exc:
        raise errors.CorpusError(errors.UNREADABLE.format(detail=exc.strerror), where=str(path)) from None
    with handle:
        head = handle.read(_HEAD)
        handle.seek(0)
        encoding = detect_encoding(head)
        if encoding in ("utf-8", "utf-8-sig") and b"\x00" in head:
            # Refuse a binary file up front, before a garbled first line is misreported.
            line = head[: head.index(b"\x00")].count(b"\n") + 1
            raise errors.CorpusError(errors.BINARY_FILE, where=f"{path}:{line}")
        if encoding in ("utf-8", "utf-8-sig"):
            lines = _byte_lines(handle, path, skip_bom=encoding == "utf-8-sig")
        else:
            lines = _wide_lines(handle, path, encoding)
        number = 0
        try:
            for text in lines:
                for part in _split_cr(text):
                    number += 1
                    yield number, part
        finally:
            lines.close()


def _split_cr(text: str) -> list[str]:
    """Normalise ``\\r\\n`` to ``\\n``; a lone ``\\r`` (old Mac files) also ends a line.

    Only ``\\r`` splits: ``str.splitlines`` would also split at U+2028 and friends, which
    are valid inside a JSON string.
    """
    if "\r" not in text:
        return [text]
    parts = text.replace("\r\n", "\n").split("\r")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _byte_lines(handle: io.BufferedReader, path: Path, *, skip_bom: bool) -> Iterator[str]:
    for number, raw in enumerate(handle, start=1):
        if number == 1 and skip_bom and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        yield decode_line(raw, path, number)


def decode_line(raw: bytes, name: str | Path, number: int) -> str:
    """One line's bytes as text: UTF-8, else the legacy decoding of :func:`_decode_legacy_line`;
    a NUL byte means a binary file (an error at ``NAME:NUMBER``)."""
    if b"\x00" in raw:
        raise errors.CorpusError(errors.BINARY_FILE, where=f"{name}:{number}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_legacy_line(raw)


def _wide_lines(handle: io.BufferedReader, path: Path, encoding: str) -> Iterator[str]:
    text = io.TextIOWrapper(handle, encoding=encoding, errors="strict", newline="")
    number = 0
    try:
        for number, line in enumerate(text, start=1):  # noqa: B007 - number used on error
            yield line
    except UnicodeDecodeError as exc:
        raise errors.CorpusError(errors.UNREADABLE.format(detail=f"{encoding}: {exc.reason}"),
                                 where=f"{path}:{number + 1}") from None


def _decode_legacy_line(raw: bytes) -> str:
    """A line that is not UTF-8: try UTF-8 first (mixed files), then cp1252, then Latin-1."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # cp1252 covers Latin-1 plus curly quotes; its five undefined bytes fall back to Latin-1.
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")
