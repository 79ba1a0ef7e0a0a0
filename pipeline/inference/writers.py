"""Writing classification records in every output format: JSON, JSON lines, CSV and TSV (one
column per field of :func:`~.records.flatten_record`), and the CSV a Dask worker encodes."""

from __future__ import annotations

import csv
import functools
import json
import re
from collections.abc import Iterable
from typing import Any, TextIO

from .records import Record, flat_columns, flatten_record
from .resumable import _csv_text, safe_cell

FORMATS = ("table", "json", "jsonl", "csv", "tsv")
STREAMING = ("jsonl", "csv")  # formats written batch by batch, resumable


_JSON_RAW = re.compile(r"[\x7f-\x9f]")


def json_text(value: Any) -> str:
    """``value`` as one line of JSON (non-ASCII kept) with no raw control character in it: DEL
    and the C1 controls, which ``json.dumps`` leaves raw and some terminals read as escape
    sequences, are written ``\\u00NN`` (the same string read back)."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def csv_header(tasks: list[str], labels: dict[str, list[str]] | None = None, *, text: bool = True) -> list[str]:
    """The CSV columns: every field of the JSON record (see :func:`flatten_record`).

    Args:
        tasks: The model's tasks.
        labels: Task -> labels, for the per-label probability columns (none without it).
        text: Include ``title`` and ``text`` (records without text leave them out).
    """
    return flat_columns({t: (labels or {}).get(t, []) for t in tasks}, text=text)


def row_cells(rec: Record, header: list[str]) -> list:
    """The CSV cells of a record, in ``header`` order."""
    row = flatten_record(rec)
    return [row.get(column) for column in header]


def write_csv_rows(handle: TextIO, rows: Iterable[dict[str, Any]], header: list[str]) -> None:
    """Write dict rows as spreadsheet-safe CSV."""
    writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})


def write_tsv_rows(handle: TextIO, rows: Iterable[dict[str, Any]], header: list[str]) -> None:
    """Plain tab-separated text: a header line, then one line per row; tabs and line breaks
    inside a cell become spaces (TSV has no quoting), missing values are empty."""
    clean = str.maketrans({"\t": " ", "\n": " ", "\r": " "})
    handle.write("\t".join(header) + "\n")
    for row in rows:
        handle.write("\t".join("" if row.get(c) is None else str(row.get(c)).translate(clean) for c in header) + "\n")


def write_records(handle: TextIO, records: Iterable[Record], fmt: str, header: list[str]) -> None:
    """Write every record to ``handle`` as ``fmt`` (``json``, ``jsonl``, ``csv`` or ``tsv``)."""
    if fmt == "json":
        handle.write("[\n")
        for i, rec in enumerate(records):
            handle.write((",\n" if i else "") + json_text(rec))
        handle.write("\n]\n")
    elif fmt == "jsonl":
        for i, rec in enumerate(records, start=1):
            handle.write(json_text(rec) + "\n")
            if i % 64 == 0:
                handle.flush()
    elif fmt == "tsv":
        write_tsv_rows(handle, (flatten_record(r) for r in records), header)
    else:
        write_csv_rows(handle, (flatten_record(r) for r in records), header)


def encode_csv(records: list[Record], header: list[str]) -> bytes:
    """Records as spreadsheet-safe CSV rows, as a local CSV output writes them (run on workers)."""
    return _csv_text([[safe_cell(v) for v in row_cells(r, header)] for r in records]).encode("utf-8")


def csv_encoder(header: list[str]) -> Any:
    """The encoder a Dask worker runs for CSV output with these columns."""
    return functools.partial(encode_csv, header=header)
