"""Reading one shard of an input where it lies: a byte range of a JSONL or CSV file
(:mod:`.byte_ranges`), or a few whole text files, opened with fsspec.

What runs on a Dask worker when the workers read the inputs themselves (:mod:`.sources` plans
the shards on the client from file sizes alone). :func:`read_shard` reads exactly what the
local readers (:func:`~.readers.read_corpus`) read for the same lines, so the pieces, their ids
and the ``file:line`` of every message are the same.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any

from .. import errors
from .byte_ranges import _delimiter, open_binary, range_lines
from .csv_reader import CsvOptions, csv_header_columns, csv_row_pieces
from .load_report import LoadReport, _fail
from .piece import Piece
from .readers import jsonl_pieces, text_file_pieces
from .text_io import decode


@dataclass(frozen=True)
class SourceFile:
    """One input file as the workers open it.

    Attributes:
        url: What fsspec opens: a URL, or an absolute local path.
        name: How pieces and messages name it (the path a local run names; the URL).
        size: Its size in bytes (from the listing).
        version: Its modification time or ETag: part of the resume key.
    """

    url: str
    name: str
    size: int
    version: str = ""


@dataclass(frozen=True)
class SourceShard:
    """A shard read on a worker: a byte range of one JSONL/CSV file, or whole text/HTML files.

    Attributes:
        kind: ``jsonl``, ``csv``, ``text`` or ``html``.
        files: The file (JSONL, CSV, HTML), or the text files of the shard, in input order.
        start, end: The byte range ``[start, end)`` (JSONL/CSV; ``end`` None: to the end).
        first_line: Lines of the file before ``start``, so line numbers continue.
        rels: Text files: each one's path relative to the folder read (its id), posix.
        sidecars: Text files: sidecar label records by piece id or file stem.
        csv_options: CSV column mapping. folder_task, split_roundups: as for read_corpus.
        part: Which range of its file this is (0, 1, ...): later ranges of a file whose reading
            stopped (an unreadable line) are dropped, as a local run stops at that line.
    """

    kind: str
    files: tuple[SourceFile, ...]
    start: int = 0
    end: int | None = None
    first_line: int = 0
    rels: tuple[str, ...] = ()
    sidecars: tuple[tuple[str, Any], ...] = ()
    csv_options: CsvOptions | None = None
    folder_task: str | None = None
    split_roundups: bool = True
    part: int = 0

    def key(self) -> list[Any]:
        """What identifies the shard's input without reading it (for resuming)."""
        return [self.kind, [(f.url, f.size, f.version) for f in self.files], self.start, self.end,
                self.first_line, list(self.rels), repr(self.sidecars), repr(self.csv_options),
                self.folder_task, self.split_roundups]


@dataclass
class ShardRead:
    """What reading a shard found besides its pieces: what it skipped, and whether it stopped
    at a line that cannot be read (the rest of that file is then not read, as locally)."""

    report: LoadReport = field(default_factory=LoadReport)
    stopped: bool = False


def read_shard(shard: SourceShard, *, skip_invalid: bool, read: ShardRead) -> Iterator[Piece]:
    """Run on a worker: the pieces of ``shard``, streamed; skips and a stop go to ``read``.

    Raises:
        CorpusError: On the first invalid record (unless ``skip_invalid``) or a duplicate id
            within the shard (across shards the client checks).
    """
    report = read.report
    for piece in _shard_pieces(shard, skip_invalid, read):
        first = report._ids.get(piece.id)
        if first is not None:
            _fail(errors.DUPLICATE_ID.format(id=piece.id, first=first), piece.origin, skip_invalid, report)
            continue
        report._ids[piece.id] = piece.origin or shard.files[0].name
        report.loaded += 1
        yield piece


def _shard_pieces(shard: SourceShard, skip_invalid: bool, read: ShardRead) -> Iterator[Piece]:
    report = read.report
    if shard.kind in ("text", "html"):
        sidecars = dict(shard.sidecars)
        for file, rel in zip(shard.files, shard.rels):
            try:
                with open_binary(file.url) as handle:
                    text = decode(handle.read(), where=file.name)
            except errors.CorpusError as exc:
                if shard.kind == "html":
                    raise  # an unreadable page given by name stops the run, as locally
                _fail(exc, exc.where or file.name, skip_invalid, report)
                continue
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            if shard.kind == "html":
                yield from _html_pieces(text, file, rel)
            else:
                yield from text_file_pieces(text, file.name, PurePosixPath(rel), folder_task=shard.folder_task,
                                            split_roundups=shard.split_roundups, sidecars=sidecars,
                                            skip_invalid=skip_invalid, report=report)
        return
    file = shard.files[0]
    with open_binary(file.url) as handle:
        lines = range_lines(handle, file.name, start=shard.start, end=shard.end, first_line=shard.first_line)
        try:
            if shard.kind == "jsonl":
                yield from _jsonl_pieces(lines, file, skip_invalid, report)
            else:
                yield from _csv_pieces(handle, lines, shard, skip_invalid, report)
        except errors.CorpusError as exc:
            if getattr(exc, "fatal", False) or not skip_invalid:
                raise
            read.stopped = True
            _fail(exc, exc.where or file.name, skip_invalid, report)


def _jsonl_pieces(lines: Iterator[tuple[int, str]], file: SourceFile, skip_invalid: bool,
                  report: LoadReport) -> Iterator[Piece]:
    return jsonl_pieces(lines, file.name, PurePosixPath(file.name).stem, skip_invalid, report)


def _csv_pieces(handle: IO[bytes], lines: Iterator[tuple[int, str]], shard: SourceShard, skip_invalid: bool,
                report: LoadReport) -> Iterator[Piece]:
    file = shard.files[0]
    options = shard.csv_options or CsvOptions()
    delimiter = _delimiter(file.name, options)
    if shard.start == 0:
        reader = csv.reader((line for _, line in lines), delimiter=delimiter, strict=True)
        header, columns = csv_header_columns(reader, options, file.name)
        base = reader.line_num
    else:  # the header, read again from the file's start, then this range's records
        with open_binary(file.url) as head:
            header, columns = csv_header_columns(
                csv.reader((line for _, line in range_lines(head, file.name, start=0, end=None, first_line=0)),
                           delimiter=delimiter, strict=True), options, file.name)
        reader = csv.reader((line for _, line in lines), delimiter=delimiter, strict=True)
        base = shard.first_line
    yield from csv_row_pieces(reader, header, columns, file.name, PurePosixPath(file.name).stem,
                              skip_invalid=skip_invalid, report=report, line_base=base)


def _html_pieces(text: str, file: SourceFile, rel: str) -> Iterator[Piece]:
    from .html import html_to_text
    from .roundup import read_page

    # as a local run reads an .html input: trafilatura, then the rules alone (cli/split.py)
    pieces = read_page(html_to_text(text), document_id=PurePosixPath(rel).stem, cleaner=False).pieces
    if not pieces:
        raise errors.CorpusError.of(errors.EMPTY_TEXT, where=file.name)
    for piece in pieces:
        piece.origin = piece.origin or file.name
        yield piece
