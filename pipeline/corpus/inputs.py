"""What a classify run reads: files, folders, corpora, HTML pages and stdin, as one stream of pieces."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

from .. import errors
from .piece import Piece
from .readers import CsvOptions, LoadReport, read_corpus


def stream_inputs(inputs: list[str], *, skip_invalid: bool, options: CsvOptions,
                  report: LoadReport) -> Iterator[Piece]:
    """Pieces from files, folders, corpora, or ``-`` (stdin: JSONL if every line is an object, else text)."""
    for item in inputs:
        if item == "-":
            yield from _stdin_pieces(report)
            continue
        path = Path(item)
        if path.suffix.lower() in (".html", ".htm"):
            from .html import html_to_text
            from .text_io import read_text

            # rules alone after trafilatura: see pipeline/cli/split.py
            yield from _text_pieces(html_to_text(read_text(path)), path.stem, str(path), cleaner=False)
            continue
        yield from read_corpus(path, skip_invalid=skip_invalid, csv_options=options, report=report)


def _stdin_pieces(report: LoadReport) -> Iterator[Piece]:
    text = sys.stdin.read()
    lines = [line for line in text.splitlines() if line.strip()]
    try:
        records = [json.loads(line) for line in lines]
        is_jsonl = bool(records) and all(isinstance(r, dict) for r in records)
    except json.JSONDecodeError:
        is_jsonl = False
    if is_jsonl:
        for number, record in enumerate(records, start=1):
            yield Piece.from_record(record, where=f"<stdin>:{number}", default_id=f"stdin:{number}")
            report.loaded += 1
    else:
        yield from _text_pieces(text, "stdin", "<stdin>")


def _text_pieces(text: str, doc_id: str, where: str, *, cleaner: bool | None = None) -> Iterator[Piece]:
    from .roundup import read_page

    pieces = read_page(text, document_id=doc_id, cleaner=cleaner).pieces
    if not pieces:
        raise errors.CorpusError.of(errors.EMPTY_TEXT, where=where)
    for piece in pieces:
        piece.origin = piece.origin or where
        yield piece
