"""Corpus loaders: JSONL (canonical), CSV/TSV with a column mapping (:mod:`.csv_reader`),
folders of text files.

Every loader streams :class:`Piece` records. An invalid record raises :class:`CorpusError`
naming ``file:line``; with ``skip_invalid`` it is skipped and recorded in the
:class:`~.load_report.LoadReport` instead, so nothing is ever dropped without a trace.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

from .. import errors
from .csv_reader import LABEL_COLUMNS, CsvOptions, _read_csv, canonical_names, table_header
from .load_report import LoadReport, _build, _fail
from .piece import FIELDS, Piece
from .text_io import iter_lines, read_text

__all__ = ["CORPUS_SUFFIXES", "LABEL_COLUMNS", "SIDECAR_NAMES", "TEXT_SUFFIXES", "CsvOptions", "LoadReport",
           "iter_jsonl_records", "parse_json_line", "read_corpus"]

CORPUS_SUFFIXES = (".jsonl", ".csv", ".tsv")
TEXT_SUFFIXES = (".txt", ".md")


SIDECAR_NAMES = ("labels.jsonl", "labels.csv", "labels.tsv")
_DOC_NAMES = ("readme", "codebook", "license", "licence", "changelog", "notice")


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def read_corpus(
    paths: str | Path | Iterable[str | Path],
    *,
    skip_invalid: bool = False,
    csv_options: CsvOptions | None = None,
    folder_task: str | None = None,
    split_roundups: bool = True,
    report: LoadReport | None = None,
) -> Iterator[Piece]:
    """Stream the pieces of one or more corpus files or folders.

    Args:
        paths: JSONL, CSV/TSV or text files, or folders of them (read recursively, in order).
        skip_invalid: Skip invalid records (recorded in ``report``) instead of raising.
        csv_options: Column mapping for CSV/TSV files.
        folder_task: For folders of text files: the task whose label is the sub-folder name.
        split_roundups: Split text files that look like roundup pages into their pieces.
        report: Collects skipped and ignored records; pass one to see them.

    Raises:
        CorpusError: On the first invalid record (unless ``skip_invalid``), a missing path,
            or a duplicate id.
    """
    report = report if report is not None else LoadReport()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise errors.CorpusError(errors.NO_SUCH_INPUT.format(path=path))
        files = _walk(path, report) if path.is_dir() else [path]
        sidecars = _sidecar_labels(path, skip_invalid, report) if path.is_dir() else {}
        for file in files:
            for piece in _read_file(file, path, skip_invalid, csv_options, folder_task,
                                    split_roundups, sidecars, report):
                first = report._ids.get(piece.id)
                where = piece.origin
                if first is not None:
                    _fail(errors.DUPLICATE_ID.format(id=piece.id, first=first), where, skip_invalid, report)
                    continue
                report._ids[piece.id] = where or str(file)
                report.loaded += 1
                yield piece


def iter_jsonl_records(path: Path) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, line)`` for the non-blank lines of a JSONL file, any encoding.

    The file is streamed: memory stays flat whatever its size.
    """
    for number, line in iter_lines(path):
        if line.strip():
            yield number, line


def parse_json_line(line: str) -> Any:
    """Parse one JSONL line; unpaired UTF-16 surrogate escapes become U+FFFD.

    Raises:
        ValueError: When the line is not JSON (message says why).
    """
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if _SURROGATE_ESCAPE.search(line):
        # "\ud800" alone is valid JSON but cannot be written as UTF-8 later on.
        value = _scrub_surrogates(value)
    return value


def _scrub_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_scrub_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_scrub_surrogates(k): _scrub_surrogates(v) for k, v in value.items()}
    return value


def _walk(folder: Path, report: LoadReport) -> list[Path]:
    files = []
    for file in sorted(folder.rglob("*")):
        if file.is_dir():
            continue
        keep, reason = file_role(file.relative_to(folder))
        if keep:
            files.append(file)
        elif reason is not None:
            report.ignored.append((str(file), reason))
    return files


def file_role(rel: PurePath) -> tuple[bool, str | None]:
    """Whether a folder's file at ``rel`` (relative to the folder) is read as pieces; if not,
    why it is ignored (None: a labels sidecar, read with the text files beside it)."""
    suffix = rel.suffix.lower()
    if any(part.startswith((".", "_")) for part in rel.parts):
        return False, "hidden file or folder"
    if rel.name.lower() in SIDECAR_NAMES:
        return False, None
    if suffix in TEXT_SUFFIXES and rel.stem.lower().split(".")[0] in _DOC_NAMES:
        return False, "documentation, not a piece"
    if suffix in CORPUS_SUFFIXES + TEXT_SUFFIXES:
        return True, None
    return False, f"unsupported file type {rel.suffix or '(none)'!r}"


def _read_file(file, root, skip_invalid, csv_options, folder_task, split_roundups, sidecars, report):
    suffix = file.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(file, skip_invalid, report)
    elif suffix in (".csv", ".tsv"):
        yield from _read_csv(file, csv_options or CsvOptions(), skip_invalid, report)
    elif suffix in TEXT_SUFFIXES:
        yield from _read_text_piece(file, root, folder_task, split_roundups, sidecars, skip_invalid, report)
    else:
        raise errors.CorpusError(errors.UNSUPPORTED_FILE.format(suffix=suffix or "(none)"), where=str(file))


def _read_jsonl(file: Path, skip_invalid: bool, report: LoadReport) -> Iterator[Piece]:
    try:
        yield from jsonl_pieces(iter_jsonl_records(file), str(file), file.stem, skip_invalid, report)
    except errors.CorpusError as exc:
        _fail(exc, exc.where or str(file), skip_invalid, report)


def jsonl_pieces(lines: Iterable[tuple[int, str]], name: str, stem: str, skip_invalid: bool,
                 report: LoadReport) -> Iterator[Piece]:
    """Turn numbered JSONL lines into pieces, ids ``STEM:LINE``, problems at ``NAME:LINE``.

    Shared by the local reader and the Dask workers' byte ranges, so both give the same ids and
    the same messages. Blank lines are skipped.
    """
    for number, line in lines:
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record = parse_json_line(line)
        except ValueError as exc:
            _fail(errors.CorpusError.of(errors.NOT_JSON, detail=exc), where, skip_invalid, report)
            continue
        piece = _build(record, where, f"{stem}:{number}", skip_invalid, report)
        if piece is not None:
            yield piece


def _read_text_piece(file, root, folder_task, split_roundups, sidecars, skip_invalid, report):
    try:
        text = read_text(file)
    except errors.CorpusError as exc:
        _fail(exc, exc.where or str(file), skip_invalid, report)
        return
    rel = file.relative_to(root) if root.is_dir() else Path(file.name)
    yield from text_file_pieces(text, str(file), PurePosixPath(rel.as_posix()), folder_task=folder_task,
                                split_roundups=split_roundups, sidecars=sidecars, skip_invalid=skip_invalid,
                                report=report)


def text_file_pieces(text: str, name: str, rel: PurePosixPath, *, folder_task: str | None, split_roundups: bool,
                     sidecars: dict[str, dict[str, Any]], skip_invalid: bool, report: LoadReport) -> Iterator[Piece]:
    """The pieces of one text file's ``text`` (a roundup's pieces, or one article).

    Args:
        text: The file's text, line endings normalised.
        name: How messages and ``meta.document`` name the file.
        rel: Its path relative to the folder read (its name alone for a file input): the id.
        folder_task: The task whose label is the sub-folder name, if any.
        split_roundups: Split roundup pages into their pieces.
        sidecars: Sidecar label records by piece id (or file stem).
        skip_invalid: Record invalid pieces in ``report`` instead of raising.
        report: The load report.
    """
    if (table := table_header(text)) is not None:  # a shared-task .txt file: its rows are the pieces
        delimiter, columns = table
        kind, suffix = ("tab-separated", ".tsv") if delimiter == "\t" else ("comma-separated", ".csv")
        _fail(errors.CorpusError.of(errors.TEXT_FILE_IS_TABLE, kind=kind, columns=", ".join(columns), suffix=suffix),
              f"{name}:1", skip_invalid, report)
        return
    pid = rel.with_suffix("").as_posix()
    extra = dict(sidecars.get(pid) or sidecars.get(rel.stem) or {})
    labels = dict(extra.pop("labels", {}) or {})
    if folder_task and len(rel.parts) > 1:
        labels.setdefault(folder_task, rel.parts[-2])
    if split_roundups:
        from .roundup import page_header, read_page

        page = read_page(text, document_id=pid, story=extra.get("story"), target=extra.get("target"))
        if len(page.pieces) != 1 or page.pieces[0].id != pid:  # a roundup: its own pieces
            for piece in page.pieces:
                piece.meta["document"] = name
                piece.origin = piece.origin or name
                yield piece
            return
        article = page.pieces[0]
        for key in ("target", "story"):  # from the page's "Target:" / "Story:" lines
            if getattr(article, key) and not extra.get(key):
                extra[key] = getattr(article, key)
        if page.removed:  # one article, cleaned of page furniture; the removals are counted
            text = article.text
            extra.setdefault("meta", {})["boilerplate_removed"] = len(page.removed)
        elif page_header(text)[1]:
            text = article.text
    record = {"id": pid, "text": text, **extra, "labels": labels}
    piece = _build(record, name, pid, skip_invalid, report)
    if piece is not None:
        yield piece


def _sidecar_labels(folder: Path, skip_invalid: bool, report: LoadReport) -> dict[str, dict[str, Any]]:
    """Records from ``labels.jsonl``/``labels.csv`` in a folder, keyed by piece id (file stem).

    CSV/TSV columns match fields and label tasks in any case, as in a CSV corpus; JSONL keys match
    exactly, as in a JSONL corpus.
    """
    out: dict[str, dict[str, Any]] = {}
    for name in SIDECAR_NAMES:
        file = folder / name
        if not file.exists():
            continue
        if name.endswith(".jsonl"):
            rows = []
            for number, line in iter_jsonl_records(file):
                try:
                    rows.append((f"{file}:{number}", parse_json_line(line)))
                except ValueError as exc:
                    _fail(errors.CorpusError.of(errors.NOT_JSON, detail=exc), f"{file}:{number}", skip_invalid, report)
        else:
            delim = "\t" if name.endswith(".tsv") else ","
            reader = csv.DictReader((line for _, line in iter_lines(file)), delimiter=delim)
            # Columns match in any case, as in a CSV corpus: "ID,Stance" is the id and the stance task.
            rename = canonical_names([h.strip() for h in reader.fieldnames or []])
            rows = [(f"{file}:{i + 2}", {rename.get(k.strip(), k.strip()): v for k, v in r.items() if k})
                    for i, r in enumerate(reader)]
        for where, row in rows:
            if not isinstance(row, dict) or not row.get("id"):
                _fail(errors.CorpusError.of(errors.READERS_SIDECAR_LABEL_ROW),
                      where, skip_invalid, report)
                continue
            row = dict(row)
            pid = str(row.pop("id"))
            labels = row.pop("labels", None) or {k: row.pop(k) for k in list(row) if k in LABEL_COLUMNS}
            fields = {k: v for k, v in row.items() if k in FIELDS}
            others = {k: v for k, v in row.items() if k not in FIELDS}
            if others:  # other columns are kept in the piece's meta, never dropped
                meta = fields.get("meta") or {}
                fields["meta"] = {**(meta if isinstance(meta, dict) else {"meta": meta}), **others}
            out[pid] = {**fields, "labels": labels}
    return out
