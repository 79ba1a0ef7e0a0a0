"""Part files: one shard's records each, written atomically, checked, merged in input order.

A shard's records go to ``part-NNNNNN.data`` through a temporary file renamed into place; then a
sidecar ``part-NNNNNN.json`` records how many records it holds, the SHA-256 and size of its
bytes, and the key of the shard and run it was made for. A part counts as complete only when
its sidecar exists and agrees with its bytes and with the shard it stands for, so a writer
killed at any point leaves either nothing or a temporary file that is ignored and overwritten.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .. import errors
from ..io import atomic_write, write_text

_COPY_BLOCK = 1 << 20


@dataclass(frozen=True)
class PartInfo:
    """What a finished part holds, as its sidecar records it.

    Attributes:
        index: The shard's position in the input (0-based).
        records: Records in the part (one per piece of the shard).
        sha256: SHA-256 of the part's bytes.
        size: Its size in bytes.
        shard: Key of the shard's input (:func:`shard_key`).
        run: Key of the run's settings (model, options, format).
        read: For a shard its worker read itself: the pieces' ``(id, file:line)``, what was
            skipped and whether reading stopped (see :class:`~.worker.ShardResult`).
    """

    index: int
    records: int
    sha256: str
    size: int
    shard: str
    run: str
    read: dict[str, Any] | None = None


def data_path(parts_dir: Path, index: int) -> Path:
    """Where the bytes of part ``index`` live."""
    return parts_dir / f"part-{index:06d}.data"


def sidecar_path(parts_dir: Path, index: int) -> Path:
    """Where the sidecar of part ``index`` lives."""
    return parts_dir / f"part-{index:06d}.json"


def shard_key(records: Iterable[dict[str, Any]]) -> str:
    """SHA-256 over a shard's input records (each piece's fields, in order)."""
    digest = hashlib.sha256()
    for record in records:
        digest.update(json.dumps(record, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def write_part(parts_dir: Path, index: int, chunks: Iterable[tuple[int, bytes]], *, shard: str, run: str,
               read: Callable[[], dict[str, Any] | None] | None = None) -> PartInfo:
    """Write part ``index`` from ``(records, bytes)`` chunks, then its sidecar, each atomically.

    Args:
        parts_dir: The parts folder (created if missing).
        index: The shard's position.
        chunks: The encoded records, a batch at a time, with how many records each holds.
        shard: The shard's key; run: the run's key (both recorded in the sidecar).
        read: Called once the chunks are written: what reading the shard found (recorded too).
    """
    parts_dir.mkdir(parents=True, exist_ok=True)
    digest, records, size = hashlib.sha256(), 0, 0
    final = data_path(parts_dir, index)
    with atomic_write(final, "wb") as handle:
        for count, data in chunks:
            handle.write(data)
            digest.update(data)
            records += count
            size += len(data)
    info = PartInfo(index, records, digest.hexdigest(), size, shard, run, read() if read else None)
    _write_json_atomically(sidecar_path(parts_dir, index), asdict(info))
    return info


def complete_part(parts_dir: Path, index: int, *, shard: str, run: str, records: int | None) -> PartInfo | None:
    """The part ``index`` if it is complete for this shard and run, else None.

    Complete: its sidecar names this shard and run and ``records`` records (any number when
    None: a shard read on a worker), and the bytes on disk have the recorded size and SHA-256.
    """
    try:
        info = PartInfo(**json.loads(sidecar_path(parts_dir, index).read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if (info.index, info.shard, info.run) != (index, shard, run) or records not in (None, info.records):
        return None
    data = data_path(parts_dir, index)
    try:
        if data.stat().st_size != info.size or _file_sha256(data) != info.sha256:
            return None
    except OSError:
        return None
    return info


def merge_parts(parts: Sequence[PartInfo], parts_dir: Path, output: Path, *, header: bytes = b"") -> int:
    """Concatenate ``parts`` (in the order given) into ``output`` atomically; return its size.

    Every part's bytes are checked against its sidecar's SHA-256 while they are copied, so a
    part changed after it was written stops the merge instead of reaching the output.

    Raises:
        ClusterError: When a part is missing or its bytes differ from its sidecar.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(output, "wb") as handle:
        handle.write(header)
        for info in parts:
            _copy_checked(data_path(parts_dir, info.index), info, handle)
        size = handle.tell()
    return size


def clear_parts(parts_dir: Path) -> None:
    """Remove the parts folder and everything in it (after a merge, or to start anew)."""
    shutil.rmtree(parts_dir, ignore_errors=True)


def _copy_checked(path: Path, info: PartInfo, handle: Any) -> None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as source:
            for block in iter(lambda: source.read(_COPY_BLOCK), b""):
                digest.update(block)
                handle.write(block)
    except FileNotFoundError:
        raise errors.ClusterError.of(errors.PART_MISSING, path=path) from None
    if digest.hexdigest() != info.sha256:
        raise errors.ClusterError.of(errors.PART_CHANGED, path=path, sidecar=path.with_suffix(".json").name)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_COPY_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_json_atomically(path: Path, value: dict[str, Any]) -> None:
    write_text(path, json.dumps(value))
