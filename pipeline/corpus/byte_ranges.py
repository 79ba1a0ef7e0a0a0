"""Byte ranges of a text file: where to cut it, and its lines as a local read numbers them.

A JSONL file is cut after newline bytes (:func:`align_block`, as Dask's
``read_text(blocksize=)`` cuts: a block starts after the first newline at or after its offset
and ends at the first newline at or after its end), a CSV file at record boundaries found by
one streaming pass with the csv module (:func:`csv_cuts`), and only files in UTF-8, where a
``\n`` byte is always a line end. :func:`range_lines` then gives a range's lines decoded and
numbered exactly as :func:`~.text_io.iter_lines` does for the whole file. Every file is opened
with fsspec: a local path, ``file://``, ``s3://``, ``memory://``...
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import IO

from .. import errors
from .csv_reader import CsvOptions
from .text_io import _HEAD, _split_cr, _wide_lines, decode_line, detect_encoding

_SEEK_BLOCK = 1 << 16
_READ_BLOCK = 1 << 20
_UTF8 = ("utf-8", "utf-8-sig")


def open_binary(url: str) -> IO[bytes]:
    """Open ``url`` (any fsspec URL or a local path) for reading bytes.

    Raises:
        CorpusError: When it cannot be opened.
    """
    import fsspec

    try:
        return fsspec.open(url, "rb").open()
    except FileNotFoundError:
        raise errors.CorpusError(errors.NO_SUCH_INPUT.format(path=url)) from None
    except OSError as exc:
        raise errors.CorpusError(errors.UNREADABLE.format(detail=exc.strerror or exc), where=url) from None


def splittable(head: bytes) -> bool:
    """Whether a file with these first bytes can be cut at newline bytes: UTF-8 (a byte ``\\n``
    is always a line end there), and no NUL byte that a local run refuses up front."""
    return detect_encoding(head[:_HEAD]) in _UTF8 and b"\x00" not in head[:_HEAD]


def _after_newline(handle: IO[bytes], offset: int) -> int:
    """The position just after the first ``\\n`` at or after ``offset`` (the end if none)."""
    if offset == 0:
        return 0
    handle.seek(offset)
    position = offset
    while block := handle.read(_SEEK_BLOCK):
        found = block.find(b"\n")
        if found >= 0:
            return position + found + 1
        position += len(block)
    return position


def count_lines(data: bytes) -> int:
    """Lines in ``data`` as the local reader numbers them: ``\\n``, ``\\r\\n`` and a lone ``\\r``
    each end one; a last line without an ending counts too."""
    lone_cr = data.count(b"\r") - data.count(b"\r\n")
    tail = 1 if data and not data.endswith((b"\n", b"\r")) else 0
    return data.count(b"\n") + lone_cr + tail


def align_block(url: str, offset: int, stop: int) -> tuple[int, int, int] | None:
    """Run on a worker: the real ``(start, end, lines)`` of the nominal block ``[offset, stop)``
    of a JSONL file, or None when the file cannot be cut at newline bytes (UTF-16, NUL bytes).

    A block starts just after the first newline at or after ``offset`` (at 0 for the first) and
    ends just after the first newline at or after ``stop``, so that each line belongs to exactly
    one block: the one in which it starts after that block's own start.
    """
    with open_binary(url) as handle:
        if not splittable(handle.read(_HEAD)):
            return None
        start = _after_newline(handle, offset)
        end = _after_newline(handle, stop)
        if end <= start:
            return start, start, 0
        handle.seek(start)
        lf = cr = crlf = 0
        last = b""
        remaining = end - start
        while remaining > 0 and (block := handle.read(min(remaining, 1 << 22))):
            remaining -= len(block)
            lf, cr, crlf = lf + block.count(b"\n"), cr + block.count(b"\r"), crlf + block.count(b"\r\n")
            if last == b"\r" and block.startswith(b"\n"):  # a \r\n cut between two reads
                crlf += 1
            last = block[-1:]
        return start, end, lf + cr - crlf + (0 if last in (b"\n", b"\r") else 1)


def csv_cuts(url: str, name: str, blocksize: int, options: CsvOptions | None) -> list[tuple[int, int]] | None:
    """Run on a worker: record boundaries of a CSV file about ``blocksize`` bytes apart, as
    ``(byte offset, lines before it)``, found by reading it once with the csv module (a quoted
    field may span lines, so bytes alone cannot tell where a record ends). None: the file
    cannot be cut (not UTF-8, or NUL bytes at its start)."""
    with open_binary(url) as handle:
        if not splittable(handle.read(_HEAD)):
            return None
        handle.seek(0)
        state = {"offset": 0, "lines": 0, "clean": True}

        def parts() -> Iterator[str]:
            for raw in raw_lines(handle):
                text = _decode(raw, name, state["lines"] + 1, bom=state["offset"] == 0)
                pieces = _split_cr(text)
                for i, part in enumerate(pieces):
                    state["lines"] += 1
                    state["clean"] = i == len(pieces) - 1
                    if state["clean"]:
                        state["offset"] += len(raw)
                    yield part

        reader = csv.reader(parts(), delimiter=_delimiter(name, options), strict=True)
        cuts: list[tuple[int, int]] = []
        last, last_error = 0, -1
        try:
            next(reader)  # the header: checked by the shards that read it
            while True:
                try:
                    next(reader)
                except csv.Error:
                    if state["offset"] == last_error:
                        break  # no progress past the error: the rest is one bad record
                    last_error = state["offset"]
                if state["clean"] and state["offset"] - last >= blocksize:
                    cuts.append((state["offset"], state["lines"]))
                    last = state["offset"]
        except StopIteration:
            pass
        except errors.CorpusError:
            pass  # an unreadable line: the shard that reaches it reports it, as a local run does
        return cuts


def raw_lines(handle: IO[bytes], start: int = 0, end: int | None = None) -> Iterator[bytes]:
    """The lines (``\n`` kept) of bytes ``[start, end)``, read a block at a time: iterating an
    fsspec file object directly reads it a byte at a time (IOBase.readline), 10x slower here."""
    handle.seek(start)
    remaining = None if end is None else end - start
    rest = b""
    while remaining is None or remaining > 0:
        block = handle.read(_READ_BLOCK if remaining is None else min(_READ_BLOCK, remaining))
        if not block:
            break
        if remaining is not None:
            remaining -= len(block)
        lines = (rest + block).split(b"\n")
        rest = lines.pop()
        for line in lines:
            yield line + b"\n"
    if rest:
        yield rest


def _delimiter(name: str, options: CsvOptions | None) -> str:
    return (options.delimiter if options else None) or ("\t" if name.lower().endswith(".tsv") else ",")


def _decode(raw: bytes, name: str, number: int, *, bom: bool) -> str:
    if bom and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return decode_line(raw, name, number)


def range_lines(handle: IO[bytes], name: str, *, start: int, end: int | None,
                first_line: int) -> Iterator[tuple[int, str]]:
    """``(line_number, line)`` for the lines of bytes ``[start, end)``, as
    :func:`~.text_io.iter_lines` numbers and decodes them for the whole file.

    Raises:
        CorpusError: For a binary line or bytes that do not decode (naming ``file:line``).
    """
    number = first_line
    if start == 0:
        head = handle.read(_HEAD)
        handle.seek(0)
        encoding = detect_encoding(head)
        if encoding in _UTF8 and b"\x00" in head:  # refused up front, as a local run does
            line = head[: head.index(b"\x00")].count(b"\n") + 1
            raise errors.CorpusError(errors.BINARY_FILE, where=f"{name}:{line}")
        if encoding not in _UTF8:  # a whole UTF-16/32 file (never cut)
            for text in _wide_lines(handle, name, encoding):  # type: ignore[arg-type]
                for part in _split_cr(text):
                    number += 1
                    yield number, part
            return
    first = start == 0
    for raw in raw_lines(handle, start, end):
        text = _decode(raw, name, number + 1, bom=first)
        first = False
        for part in _split_cr(text):
            number += 1
            yield number, part
