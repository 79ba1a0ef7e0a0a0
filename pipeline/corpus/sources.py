"""Planning inputs that the Dask workers read themselves, from listings and sizes alone.

An input is read where it lies when it is an fsspec URL (``s3://``, ``file://``, ``gs://``,
``memory://``...: anything fsspec knows), or a local path on a filesystem the workers share
(``workers_read``). This module lists such inputs the way a local run walks them (same files,
same order, same ids, same ignored files) and plans their shards without reading their
contents: whole files for text and HTML (grouped up to ``blocksize`` bytes), and for JSONL and
CSV files larger than ``blocksize``, a request to cut them (:class:`Blocks`), which the workers
resolve (:func:`~.ranges.align_block`, :func:`~.ranges.csv_cuts`) before the shards run.
Only the labels sidecars of text folders (small files) are read here.
"""

from __future__ import annotations

import posixpath
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .. import errors
from .ranges import SourceFile, SourceShard
from .readers import CsvOptions, LoadReport, _sidecar_labels, _walk, file_role

HTML_SUFFIXES = (".html", ".htm")
DEFAULT_BLOCKSIZE = 8 << 20  # bytes per shard: a few MB, as spaCy's guidance for Dask suggests


def is_url(item: str) -> bool:
    """Whether ``item`` names an fsspec URL (``protocol://...``) rather than a local path or ``-``."""
    protocol, sep, _ = item.partition("://")
    return bool(sep) and protocol.replace("+", "").replace("-", "").isalnum()


@dataclass(frozen=True)
class Blocks:
    """A JSONL or CSV file to cut into shards of about ``blocksize`` bytes, on the workers."""

    kind: str
    file: SourceFile
    blocksize: int
    csv_options: CsvOptions | None = None

    def offsets(self) -> list[tuple[int, int]]:
        """The nominal JSONL blocks ``[offset, stop)`` (each is then aligned to lines)."""
        starts = list(range(0, self.file.size, self.blocksize))
        return [(start, min(start + self.blocksize, self.file.size)) for start in starts]


@dataclass
class ClientInput:
    """An input read on the client and shipped in shards of pieces (``-``, or a local path the
    workers may not see)."""

    item: str


@dataclass
class Planned:
    """The inputs in order: ready shards, files still to cut, inputs read here, and what the
    listing ignored or skipped (attached to the input where a local run reports it)."""

    entries: list[SourceShard | Blocks | ClientInput] = field(default_factory=list)
    skipped: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # entry index -> skips before it


def plan_inputs(inputs: list[str], *, workers_read: bool, blocksize: int = DEFAULT_BLOCKSIZE,
                max_files: int = 1000, csv_options: CsvOptions | None = None, skip_invalid: bool = False,
                report: LoadReport | None = None) -> Planned:
    """Plan ``inputs``: what the workers read (URLs; local paths too with ``workers_read``).

    Args:
        inputs: Files, folders, URLs, or ``-`` (stdin, always read here).
        workers_read: The workers see this machine's local paths (a shared filesystem).
        blocksize: Bytes per shard of a large JSONL/CSV file, and of a group of text files.
        max_files: Text files per shard at most.
        csv_options: Column mapping for CSV/TSV files.
        skip_invalid: Record invalid sidecar rows instead of raising.
        report: Receives the files the listing ignored (hidden, documentation, other types).

    Raises:
        CorpusError: For a missing input or a file of an unsupported type.
    """
    report = report if report is not None else LoadReport()
    planned = Planned()
    for item in inputs:
        if item == "-" or not (is_url(item) or workers_read):
            planned.entries.append(ClientInput(item))
            continue
        sidecar_report = LoadReport()
        files, sidecars, folder = _list(item, report, sidecar_report, skip_invalid)
        if sidecar_report.skipped:
            planned.skipped[len(planned.entries)] = sidecar_report.skipped
        group: list[tuple[SourceFile, str]] = []
        for file, rel, kind in files:
            if kind == "text" and folder:
                group.append((file, rel))
                if sum(f.size for f, _ in group) >= blocksize or len(group) >= max_files:
                    planned.entries.append(_text_shard(group, sidecars))
                    group = []
                continue
            if group:
                planned.entries.append(_text_shard(group, sidecars))
                group = []
            if kind in ("jsonl", "csv") and file.size > blocksize:
                planned.entries.append(Blocks(kind, file, blocksize, csv_options))
            elif kind in ("jsonl", "csv"):
                planned.entries.append(SourceShard(kind, (file,), csv_options=csv_options if kind == "csv" else None))
            else:
                planned.entries.append(SourceShard(kind, (file,), rels=(rel,)))
        if group:
            planned.entries.append(_text_shard(group, sidecars))
    return planned


def _text_shard(group: list[tuple[SourceFile, str]], sidecars: dict[str, Any]) -> SourceShard:
    rels = tuple(rel for _, rel in group)
    wanted = {PurePosixPath(rel).with_suffix("").as_posix() for rel in rels} | {PurePosixPath(rel).stem for rel in rels}
    return SourceShard("text", tuple(f for f, _ in group), rels=rels,
                       sidecars=tuple((k, v) for k, v in sidecars.items() if k in wanted))


def _kind(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".jsonl":
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".txt", ".md"):
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    raise errors.CorpusError(errors.UNSUPPORTED_FILE.format(suffix=suffix or "(none)"), where=name)


def _list(item: str, report: LoadReport, sidecar_report: LoadReport,
          skip_invalid: bool) -> tuple[list[tuple[SourceFile, str, str]], dict[str, Any], bool]:
    """``(file, path relative to the input, kind)`` for every file of ``item``, in a local run's
    order, the folder's sidecar records, and whether ``item`` is a folder."""
    if not is_url(item):
        path = Path(item)
        if not path.exists():
            raise errors.CorpusError(errors.NO_SUCH_INPUT.format(path=path))
        if not path.is_dir():
            return [(_local_file(path), path.name, _kind(path.name))], {}, False
        files = [(_local_file(f), f.relative_to(path).as_posix(), _kind(f.name)) for f in _walk(path, report)]
        return files, _sidecar_labels(path, skip_invalid, sidecar_report), True
    import fsspec

    fs, root = fsspec.core.url_to_fs(item)
    if not fs.exists(root):
        raise errors.CorpusError(errors.NO_SUCH_INPUT.format(path=item))
    if not fs.isdir(root):
        return [(_remote_file(item, fs.info(root)), posixpath.basename(root), _kind(root))], {}, False
    base = item.rstrip("/")
    listing = fs.find(root, detail=True)
    found = []
    for path, info in listing.items():
        if info.get("type") == "directory":
            continue
        rel = path[len(root.rstrip("/")):].lstrip("/")
        found.append((tuple(rel.split("/")), rel, info))
    files, sidecar_names = [], []
    for _, rel, info in sorted(found, key=lambda entry: entry[0]):  # a local walk's order: by parts
        keep, reason = file_role(PurePosixPath(rel))
        if keep:
            files.append((_remote_file(f"{base}/{rel}", info), rel, _kind(rel)))
        elif reason is not None:
            report.ignored.append((f"{base}/{rel}", reason))
        elif "/" not in rel:
            sidecar_names.append(rel)
    return files, _remote_sidecars(fs, root, base, sidecar_names, skip_invalid, sidecar_report), True


def _local_file(path: Path) -> SourceFile:
    stat = path.stat()
    return SourceFile(str(path.resolve()), str(path), stat.st_size, str(stat.st_mtime_ns))


def _remote_file(url: str, info: dict[str, Any]) -> SourceFile:
    version = next((str(info[k]) for k in ("ETag", "etag", "mtime", "LastModified", "created") if info.get(k)), "")
    return SourceFile(url, url, int(info.get("size") or 0), version)


def _remote_sidecars(fs: Any, root: str, base: str, names: list[str], skip_invalid: bool,
                     report: LoadReport) -> dict[str, Any]:
    """A URL folder's labels sidecars, read through a local copy (they are small); messages
    name them by their URL."""
    if not names:
        return {}
    with tempfile.TemporaryDirectory(prefix="framing-sidecars-") as tmp:
        for name in names:
            fs.get(posixpath.join(root, name), str(Path(tmp) / name))
        local = LoadReport()
        try:
            records = _sidecar_labels(Path(tmp), skip_invalid, local)
        except errors.CorpusError as exc:
            raise exc.at((exc.where or "").replace(tmp, base) or None) from None
        report.skipped.extend((where.replace(tmp, base), reason) for where, reason in local.skipped)
    return records
