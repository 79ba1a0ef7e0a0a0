"""What every CLI verb shares: the console, progress bars, inputs, outputs, error handling."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from .. import errors
from ..corpus import CsvOptions, LoadReport, Piece, read_corpus
from ..io import atomic_write
from ..nlp.cache import DocCache
from ..nlp.processor import Processor
from ._text import SafeConsole, esc

# stdout carries data (tables, JSON, user text): no markup and no emoji codes are read in it.
# stderr messages use markup; the user's text in them goes through _text.esc.
out = SafeConsole(soft_wrap=True, markup=False, emoji=False, wide_when_piped=True)
err = SafeConsole(stderr=True, soft_wrap=True, emoji=False)


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


# Training holds the corpus, its tokens and the n-gram matrices in memory at once. Peak
# memory grows with the corpus text, steeply while the n-gram vocabularies still grow and
# more slowly once they saturate; these figures are measured (docs/reliability.md).
TRAIN_BASE_BYTES = 600 * 2**20
TRAIN_BYTES_PER_TEXT_BYTE = 120  # for the first TRAIN_STEEP_BYTES of corpus
TRAIN_STEEP_BYTES = 8 * 2**20
TRAIN_BYTES_PER_LATER_BYTE = 40  # beyond them


def training_memory(paths: list[Path]) -> tuple[int, int | None]:
    """``(estimated peak bytes, available bytes or None)`` for loading and training on ``paths``."""
    size = 0
    for path in paths:
        files = path.rglob("*") if path.is_dir() else [path]
        size += sum(f.stat().st_size for f in files if f.is_file())
    available = None
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    available = int(line.split()[1]) * 1024
    except OSError:
        pass
    return training_bytes(size), available


def training_bytes(corpus_bytes: int) -> int:
    """Estimated peak memory of training on a corpus of ``corpus_bytes`` bytes (files as on disk)."""
    steep = min(corpus_bytes, TRAIN_STEEP_BYTES)
    return (TRAIN_BASE_BYTES + TRAIN_BYTES_PER_TEXT_BYTE * steep
            + TRAIN_BYTES_PER_LATER_BYTE * (corpus_bytes - steep))


def check_memory(paths: list[Path]) -> None:
    """Refuse up front a corpus whose training would not fit in memory; warn when it is tight.

    ``FRAMING_MEMORY_CHECK=off`` skips the refusal (the estimate is conservative).

    Raises:
        TrainingError: When the estimate exceeds the memory available now.
    """
    need, available = training_memory(paths)
    if available is None:
        return
    gib = 2**30
    if need > available and os.environ.get("FRAMING_MEMORY_CHECK", "").lower() != "off":
        raise errors.TrainingError(
            f"the corpus needs about {need / gib:.1f} GiB of memory to train on (about "
            f"{TRAIN_BYTES_PER_TEXT_BYTE} bytes per byte of its first {TRAIN_STEEP_BYTES // 2**20} MiB, "
            f"{TRAIN_BYTES_PER_LATER_BYTE} per byte beyond, plus {TRAIN_BASE_BYTES // 2**20} MiB), "
            f"but only {available / gib:.1f} GiB is available. Train on a sample of the corpus, free "
            "memory, or set FRAMING_MEMORY_CHECK=off to try anyway."
        )
    if need > available / 2:
        import warnings

        warnings.warn(f"training on this corpus needs about {need / gib:.1f} GiB of memory; "
                      f"{available / gib:.1f} GiB is available now.", stacklevel=2)


def load_pieces(paths: list[Path], *, skip_invalid: bool, options: CsvOptions,
                folder_task: str | None = None) -> tuple[list[Piece], LoadReport]:
    """Read a whole corpus (for training and evaluation), returning its load report too.

    The memory it will need is checked first (:func:`check_memory`).
    """
    check_memory([Path(p) for p in paths if Path(p).exists()])
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
    from ..corpus.roundup import read_page

    pieces = read_page(text, document_id=doc_id, cleaner=cleaner).pieces
    if not pieces:
        raise errors.CorpusError(errors.EMPTY_TEXT, where=where)
    for piece in pieces:
        piece.origin = piece.origin or where
        yield piece


def report_load(report: LoadReport) -> None:
    """Tell the user (on stderr) about every skipped record and ignored file."""
    for where, reason in report.skipped:
        err.print(f"[yellow]skipped[/] {esc(where)}: {esc(reason)}", highlight=False)
    if report.skipped:
        err.print(f"[yellow]{len(report.skipped)} record(s) skipped[/] (listed above).")
    for path, reason in report.ignored:
        err.print(f"[dim]ignored {esc(path)}: {esc(reason)}[/]", highlight=False)


@contextmanager
def atomic_output(path: Path | None) -> Iterator[io.TextIOBase]:
    """Write to ``path`` through a temporary file renamed into place at the end, or to stdout.

    An interruption leaves the previous file (if any) untouched and no partial file behind.
    """
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_write(path, "w", encoding="utf-8", newline="") as handle:
        yield handle


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


class ResumableOutput:
    """A JSONL or CSV output written batch by batch so that an interrupted run can resume.

    Records are appended to ``OUTPUT.partial`` and flushed after every batch; when the run
    completes, the partial file is renamed to ``OUTPUT`` in one step. So ``OUTPUT`` only
    ever holds a complete file (the previous one or the new one), and the partial file
    always ends at a complete record: an interruption truncates it to the last whole batch,
    and a crash mid-batch leaves an incomplete last record that :meth:`open` drops.

    Args:
        path: The final output file.
        fmt: ``jsonl`` or ``csv``.
        header: CSV columns (ignored for JSONL).
        resume: Continue ``OUTPUT.partial`` (or a finished ``OUTPUT``) instead of starting anew.
    """

    def __init__(self, path: Path, fmt: Format, *, header: list[str] | None = None, resume: bool = False) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.fmt = fmt
        self.header = header or []
        self.resume = resume
        self.done: set[str] = set()
        self.written = 0
        self._handle: Any = None
        self._good = 0

    def open(self) -> ResumableOutput:
        """Create or reopen the partial file; after it, :attr:`done` holds the finished ids."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.resume and not self.partial.exists() and self.path.exists():
            shutil.copyfile(self.path, self.partial)  # keep OUTPUT intact until the end
        if self.resume and self.partial.exists():
            scan = _scan_jsonl if self.fmt is Format.jsonl else _scan_csv
            self.done, self._good = scan(self.partial, self.header)
        else:
            if self.partial.exists():
                err.print(f"[yellow]note:[/] starting anew; the unfinished {esc(self.partial)} of an earlier run "
                          "is overwritten (pass --resume to continue it instead).", highlight=False)
            self._good = 0
        self._handle = open(self.partial, "r+b" if self._good else "wb")
        self._handle.truncate(self._good)  # drops an incomplete last record
        self._handle.seek(self._good)
        if self._good == 0 and self.fmt is Format.csv:
            self._write(_csv_text([self.header]))
        return self

    def write_batch(self, records: list[dict[str, Any]], rows: list[list[Any]] | None = None) -> None:
        """Append one batch (records for JSONL, ``rows`` for CSV) and flush it to disk."""
        if self.fmt is Format.jsonl:
            text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        else:
            text = _csv_text([[safe_cell(v) for v in row] for row in rows or []])
        self._write(text)
        self.written += len(records)

    def finish(self) -> None:
        """Close the partial file and rename it to the final output."""
        self._handle.close()
        os.replace(self.partial, self.path)

    def abort(self) -> None:
        """Cut the partial file back to its last complete batch and close it (kept for --resume)."""
        if self._handle is not None and not self._handle.closed:
            self._handle.truncate(self._good)
            self._handle.close()
            if self.written == 0 and not self.done:
                self.partial.unlink(missing_ok=True)  # nothing of value in it

    def _write(self, text: str) -> None:
        try:
            self._handle.write(text.encode("utf-8"))
            self._handle.flush()
            os.fsync(self._handle.fileno())
        except BaseException:
            self._handle.truncate(self._good)
            raise
        self._good = self._handle.tell()


def _csv_text(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def _scan_jsonl(path: Path, header: list[str]) -> tuple[set[str], int]:
    """Ids of the complete records of a JSONL output, and the byte offset where they end."""
    done: set[str] = set()
    good = 0
    with open(path, "rb") as handle:
        for line in handle:
            if not line.endswith(b"\n"):
                break
            try:
                record = json.loads(line)
                done.add(str(record["id"]))
            except (ValueError, KeyError, TypeError):
                break
            good += len(line)
    return done, good


def _scan_csv(path: Path, header: list[str]) -> tuple[set[str], int]:
    """Ids of the complete rows of a CSV output (header checked), and where they end.

    Raises:
        InputError: When the file's header is not the one this run writes.
    """
    offsets = [0]

    def lines() -> Iterator[str]:
        with open(path, "rb") as handle:
            for raw in handle:
                if not raw.endswith(b"\n"):
                    return  # an incomplete last line: never part of a complete row
                offsets[0] += len(raw)
                yield raw.decode("utf-8", "replace")

    done: set[str] = set()
    good = 0
    reader = csv.reader(lines(), strict=True)
    try:
        first = next(reader, None)
        if first is None:
            return done, 0
        if first != header:
            raise errors.InputError(
                f"{path}: its columns {first} differ from this run's {header} (another model or "
                "options?). Resume with the same model, or write to a new --output."
            )
        good = offsets[0]
        for row in reader:
            if row:
                value = row[0]
                done.add(value[1:] if value[:2] in _QUOTED_FORMULAS else value)
            good = offsets[0]
    except csv.Error:
        pass  # an unterminated quote at the end: the row was cut off
    return done, good


_QUOTED_FORMULAS = tuple("'" + c for c in _FORMULA_START)  # cells as safe_cell wrote them
