"""What commands write: atomic output files, spreadsheet-safe CSV, and resumable output."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..io import atomic_write


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


def write_csv_rows(handle: io.TextIOBase, rows: Iterable[dict[str, Any]], header: list[str]) -> None:
    """Write dict rows as spreadsheet-safe CSV."""
    writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})


from ..inference.resumable import (  # noqa: E402,F401 (their home moved to the library)
    _FORMULA_START,
    _QUOTED_FORMULAS,
    ResumableOutput,
    _csv_text,
    _scan_csv,
    _scan_jsonl,
    safe_cell,
)
