"""Reading CSV/TSV corpora: a header row, a column mapping to piece fields, label columns.

A problem with the header or the options stops the load even with ``skip_invalid``; a bad row
is an error at its ``file:line`` (or skipped and recorded).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import errors
from .load_report import LoadReport, _build, _fail
from .piece import FIELDS, Piece
from .text_io import iter_lines

__all__ = ["LABEL_COLUMNS", "CsvOptions"]

LABEL_COLUMNS = ("stance", "frame", "lean", "label")
# The piece fields one column can hold (labels come from label columns, meta from the others).
COLUMN_FIELDS = tuple(name for name in FIELDS if name not in ("labels", "meta", "offsets"))

# Columns that often hold a piece's text under another name: named in the error's hint, never
# taken silently (a file can have a headline and a body, and only the user knows which is meant).
TEXT_LIKE = ("body", "content", "tweet", "post", "comment", "sentence", "article", "document",
             "message", "perspective", "claim", "headline", "title")


# A whole article can sit in one CSV cell; the csv module's default limit is 128 KiB.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class CsvOptions:
    """How CSV/TSV columns map to piece fields.

    Attributes:
        columns: Piece field -> CSV column name, for columns not named like the field.
        labels: Columns holding labels (task name = column name). Default: any of
            ``stance``, ``frame``, ``lean``, ``label`` present in the header, in any case
            (a ``Stance`` column is the ``stance`` task).
        delimiter: Force a delimiter; default ``\\t`` for .tsv and ``,`` otherwise.
    """

    columns: dict[str, str] = field(default_factory=dict)
    labels: tuple[str, ...] | None = None
    delimiter: str | None = None


def _read_csv(file: Path, options: CsvOptions, skip_invalid: bool, report: LoadReport) -> Iterator[Piece]:
    try:
        yield from _read_csv_rows(file, options, skip_invalid, report)
    except errors.CorpusError as exc:
        if getattr(exc, "fatal", False) or not skip_invalid:
            raise
        _fail(exc, exc.where or str(file), skip_invalid, report)


def _header_error(message: str | errors.CorpusError, *, where: str | None = None) -> errors.CorpusError:
    """A problem with the header or the options: it stops the load even with skip_invalid."""
    exc = (message if isinstance(message, errors.CorpusError) else errors.CorpusError(message)).at(where)
    exc.fatal = True
    return exc


def _read_csv_rows(file: Path, options: CsvOptions, skip_invalid: bool, report: LoadReport) -> Iterator[Piece]:
    delimiter = options.delimiter or ("\t" if file.suffix.lower() == ".tsv" else ",")
    # strict: an unterminated quote is an error at its line, not a cell that swallows the
    # rest of the file.
    reader = csv.reader((line for _, line in iter_lines(file)), delimiter=delimiter, strict=True)
    header, columns = csv_header_columns(reader, options, str(file))
    yield from csv_row_pieces(reader, header, columns, str(file), file.stem, skip_invalid=skip_invalid,
                              report=report, line_base=reader.line_num)


def csv_header_columns(reader: Any, options: CsvOptions, name: str) -> tuple[list[str], tuple[dict, dict, set]]:
    """Read the header row from ``reader`` and check it against ``options``.

    Returns:
        The header, and (piece field -> column, task -> label column, columns used) for
        :func:`csv_row_pieces`.

    Raises:
        CorpusError: (fatal, even with ``skip_invalid``) for a missing, invalid or duplicate
            header, or options that name columns it lacks.
    """
    file = name
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise _header_error(errors.EMPTY_CORPUS.format(path=file, expected="a header row"),
            where=f"{file}:1") from None
    except csv.Error as exc:
        raise _header_error(errors.CorpusError.of(errors.CSV_READER_HEADER_ROW_VALID, exc=exc), where=f"{file}:1") from None
    if len(set(header)) < len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        raise _header_error(errors.CorpusError.of(errors.CSV_READER_HEADER_NAMES_COLUMN, dupes=dupes),
            where=f"{file}:1")
    mapping = {name: column for name in COLUMN_FIELDS if (column := _named(header, name)) is not None}
    for fld, column in options.columns.items():
        if fld not in FIELDS:
            raise _header_error(errors.CorpusError.of(errors.CSV_MAP_UNKNOWN_FIELD, field=fld, known=", ".join(FIELDS)))
        if column not in header:
            raise _header_error(errors.CorpusError.of(errors.CSV_MAP_NO_COLUMN, field=fld, column=column, header=header),
                                where=f"{file}:1")
        mapping[fld] = column
    mapped = set(mapping.values())
    if "text" not in mapping:
        raise _header_error(errors.CorpusError.of(errors.CSV_NO_TEXT_COLUMN, wanted="text", columns=header,
                                                  hint=_text_hint(header, reader.dialect.delimiter, mapped)),
                            where=f"{file}:1")
    if options.labels is not None:
        label_cols = {col: col for col in options.labels}
    else:
        label_cols = {task: col for task in LABEL_COLUMNS
                      if (col := _named(header, task)) is not None and col not in mapped}
    for col in label_cols.values():
        if col not in header:
            raise _header_error(errors.CorpusError.of(errors.CSV_READER_LABEL_COLUMN_HEADER, col=col, header=header), where=f"{file}:1")
    used = mapped | set(label_cols.values())
    return header, (mapping, label_cols, used)


def _named(header: list[str], name: str) -> str | None:
    """The column called ``name``; else the one column called so in another case (``Target``), else None."""
    if name in header:
        return name
    folded = [column for column in header if column.casefold() == name]
    return folded[0] if len(folded) == 1 else None


def table_header(text: str) -> tuple[str, list[str]] | None:
    """The delimiter and columns of a text that reads as a CSV/TSV table, else None.

    A table here: a first line of two or more short cells (tab- or comma-separated), one named
    like a field, a label task or a text column (``ID, Target, Tweet, Stance``), and most of the
    next lines holding as many cells. Prose rarely does both; a shared-task file saved as .txt does.
    """
    lines = [line for line in text.split("\n", 64)[:64] if line.strip()][:21]
    if len(lines) < 2:
        return None
    known = {*FIELDS, *LABEL_COLUMNS, *TEXT_LIKE}
    for delimiter in ("\t", ","):
        header = [cell.strip().strip('"') for cell in lines[0].split(delimiter)]
        if len(header) < 2 or any(not cell or len(cell) > 40 for cell in header):
            continue
        if not any(cell.casefold() in known for cell in header):
            continue
        if delimiter == "\t":
            same = sum(line.count("\t") == len(header) - 1 for line in lines[1:])
        else:  # commas sit inside quoted text cells too: count the rows the csv module splits alike
            same = sum(len(row) == len(header) for row in csv.reader(lines[1:]))
        if same >= 0.8 * (len(lines) - 1):
            return delimiter, header
    return None


def canonical_names(header: list[str]) -> dict[str, str]:
    """Header column -> the field or label task it names in another case (``Stance`` -> ``stance``).

    Columns already named exactly, and names that two columns share in different cases, are left
    out: the caller keeps those as they are.
    """
    return {column: name for name in (*COLUMN_FIELDS, *LABEL_COLUMNS)
            if (column := _named(header, name)) not in (None, name)}


def _text_hint(header: list[str], delimiter: str, mapped: set[str]) -> str:
    """What the header suggests to a user whose file has no ``text`` column: a delimiter or a column to map."""
    if len(header) == 1:
        for other, how in (("\t", "tab-separated: name it .tsv"), (";", "semicolon-separated: save it with commas or tabs"),
                           (",", "comma-separated: name it .csv")):
            if other != delimiter and other in header[0]:
                return f" The header reads as one column: the file looks {how}."
    likely = [column for column in header if column.casefold() in TEXT_LIKE and column not in mapped]
    return f" Perhaps the text is in {likely[0]!r}." if likely else ""


def csv_row_pieces(reader: Any, header: list[str], columns: tuple[dict, dict, set], name: str, stem: str, *,
                   skip_invalid: bool, report: LoadReport, line_base: int) -> Iterator[Piece]:
    """The pieces of the rows ``reader`` yields after the header.

    Args:
        reader: A ``csv.reader`` positioned after the header (or at a record boundary).
        header, columns: From :func:`csv_header_columns`.
        name: How messages name the file; stem: its name without suffix (default ids).
        skip_invalid: Record invalid rows in ``report`` instead of raising.
        report: The load report.
        line_base: Lines of the file before the reader's first line (line numbers continue it).
    """
    mapping, label_cols, used = columns
    file, base = name, line_base - reader.line_num
    line = line_base
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            _fail(errors.CorpusError.of(errors.CSV_NOT_CSV, detail=exc),
                  f"{file}:{line + 1}", skip_invalid, report)
            line = base + reader.line_num
            continue
        where = f"{file}:{line + 1}"
        start_line, line = line + 1, base + reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            _fail(errors.CorpusError.of(errors.CSV_BAD_ROW, found=len(row), expected=len(header)), where, skip_invalid, report)
            continue
        cells = dict(zip(header, row))
        record: dict[str, Any] = {fld: cells[col] or None for fld, col in mapping.items()}
        record["labels"] = {task: cells[col] for task, col in label_cols.items() if cells[col].strip()}
        record["meta"] = {col: cells[col] for col in header if col not in used and col}
        piece = _build(record, where, f"{stem}:{start_line}", skip_invalid, report)
        if piece is not None:
            yield piece
