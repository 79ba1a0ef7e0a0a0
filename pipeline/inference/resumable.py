"""Resumable output: JSONL or CSV records written batch by batch to ``OUTPUT.partial``, renamed
to ``OUTPUT`` at the end, so that an interrupted run continues where it stopped; and the
spreadsheet-safe CSV cells every CSV output uses."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import errors

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise a CSV cell that a spreadsheet would run as a formula (prefix it with ')."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


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

    After :meth:`open`, :attr:`done` holds the ids already written (when resuming) and
    :attr:`restarted` whether an earlier run's unfinished partial file was started over.
        header: CSV columns (ignored for JSONL).
        resume: Continue ``OUTPUT.partial`` (or a finished ``OUTPUT``) instead of starting anew.
    """

    def __init__(self, path: Path, fmt: str, *, header: list[str] | None = None, resume: bool = False) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.fmt = fmt
        self.header = header or []
        self.resume = resume
        self.done: set[str] = set()
        self.restarted = False
        self.written = 0
        self._handle: Any = None
        self._good = 0

    def open(self) -> ResumableOutput:
        """Create or reopen the partial file; after it, :attr:`done` holds the finished ids."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.resume and not self.partial.exists() and self.path.exists():
            shutil.copyfile(self.path, self.partial)  # keep OUTPUT intact until the end
        if self.resume and self.partial.exists():
            scan = _scan_jsonl if self.fmt == "jsonl" else _scan_csv
            self.done, self._good = scan(self.partial, self.header)
        else:
            self.restarted = self.partial.exists()  # an earlier run's unfinished file, overwritten
            self._good = 0
        self._handle = open(self.partial, "r+b" if self._good else "wb")
        self._handle.truncate(self._good)  # drops an incomplete last record
        self._handle.seek(self._good)
        if self._good == 0 and self.fmt == "csv":
            self._write(_csv_text([self.header]))
        return self

    def write_batch(self, records: list[dict[str, Any]], rows: list[list[Any]] | None = None) -> None:
        """Append one batch (records for JSONL, ``rows`` for CSV) and flush it to disk."""
        if self.fmt == "jsonl":
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
        """Cut the partial file back to its last complete batch and close it (kept, to resume from)."""
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
            raise errors.InputError.of(errors.RESUMABLE_COLUMNS_DIFFER_FROM, path=path, first=first, header=header
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
