"""What every CLI verb shares: the console, progress bars, inputs, outputs, error handling."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from .. import errors
from ..cache import DocCache
from ..corpus import CsvOptions, LoadReport, Piece, read_corpus
from ..nlp import Processor

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


class Format(str, Enum):
    """Output formats of ``classify``."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


@contextmanager
def progress_bars(quiet: bool) -> Iterator[Callable[[str, int], Callable[[int], None]] | None]:
    """A factory ``start(stage, total) -> advance(n)`` drawing bars on stderr, or None when quiet."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    bars = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeRemainingColumn(), console=err, transient=True)
    with bars:
        def start(stage: str, total: int) -> Callable[[int], None]:
            task = bars.add_task(stage, total=total)
            return lambda n=1: bars.advance(task, n)

        yield start


def make_processor(model: str | None, cache_dir: Path | None, no_cache: bool, jobs: int) -> Processor:
    """The spaCy processor for a command, with the on-disk cache unless ``--no-cache``."""
    return Processor(model, cache=None if no_cache else DocCache(cache_dir), n_process=jobs)


def csv_options(mapping: list[str] | None, labels: list[str] | None) -> CsvOptions:
    """Parse ``--map field=column`` and ``--label COLUMN`` options."""
    columns = {}
    for item in mapping or []:
        field, sep, column = item.partition("=")
        if not sep or not field or not column:
            raise errors.ConfigError(f"--map {item!r}: expected FIELD=COLUMN, e.g. --map text=body.")
        columns[field.strip()] = column.strip()
    return CsvOptions(columns=columns, labels=tuple(labels) if labels else None)


def load_pieces(paths: list[Path], *, skip_invalid: bool, options: CsvOptions,
                folder_task: str | None = None) -> tuple[list[Piece], LoadReport]:
    """Read a whole corpus (for training and evaluation), returning its load report too."""
    report = LoadReport()
    pieces = list(read_corpus(paths, skip_invalid=skip_invalid, csv_options=options,
                              folder_task=folder_task, report=report))
    if not pieces:
        raise errors.CorpusError(errors.EMPTY_CORPUS.format(
            path=", ".join(map(str, paths)), expected="JSONL/CSV records or .txt/.md files"))
    return pieces, report


def stream_inputs(inputs: list[str], *, skip_invalid: bool, options: CsvOptions,
                  report: LoadReport) -> Iterator[Piece]:
    """Pieces from files, folders, corpora, or ``-`` (stdin: JSONL if every line is an object, else text)."""
    for item in inputs:
        if item == "-":
            yield from _stdin_pieces(report)
            continue
        path = Path(item)
        if path.suffix.lower() in (".html", ".htm"):
            from ..corpus.html import html_to_text
            from ..corpus.text_io import read_text

            yield from _text_pieces(html_to_text(read_text(path)), path.stem, str(path))
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


def _text_pieces(text: str, doc_id: str, where: str) -> Iterator[Piece]:
    from ..corpus.roundup import looks_like_roundup, split_roundup

    if looks_like_roundup(text):
        yield from split_roundup(text, document_id=doc_id).pieces
    else:
        yield Piece.from_record({"id": doc_id, "text": text}, where=where)


def report_load(report: LoadReport) -> None:
    """Tell the user (on stderr) about every skipped record and ignored file."""
    for where, reason in report.skipped:
        err.print(f"[yellow]skipped[/] {where}: {reason}", highlight=False)
    if report.skipped:
        err.print(f"[yellow]{len(report.skipped)} record(s) skipped[/] (listed above).")
    for path, reason in report.ignored:
        err.print(f"[dim]ignored {path}: {reason}[/]", highlight=False)


@contextmanager
def atomic_output(path: Path | None) -> Iterator[io.TextIOBase]:
    """Write to ``path`` through a temporary file renamed into place at the end, or to stdout.

    An interruption leaves the previous file (if any) untouched and no partial file behind.
    """
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise a CSV cell that a spreadsheet would run as a formula (prefix it with ')."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv_rows(handle: io.TextIOBase, rows: Iterable[dict[str, Any]], header: list[str]) -> None:
    """Write dict rows as spreadsheet-safe CSV."""
    writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})


def fail(exc: errors.FramingError) -> None:
    """Print a library error as one line on stderr and exit with its code."""
    import typer

    err.print(f"[bold red]error:[/] {exc}", highlight=False)
    raise typer.Exit(code=exc.exit_code)
