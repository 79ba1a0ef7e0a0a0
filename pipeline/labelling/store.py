"""The labels file: one JSON object a line, only ever appended to, so nothing is lost on a crash.

Three kinds of line, all with ``op``, ``annotator`` and ``time`` (UTC, ISO 8601)::

    {"op": "label", "key": "3f2a...", "id": "a-001", "task": "stance", "label": "oppose", ...}
    {"op": "skip", "key": "...", "id": "a-002", ...}
    {"op": "undo", "key": "...", "undoes": "3f2a...", ...}

An undo names the ``key`` of the line it takes back instead of rewriting the file, so the file
is a complete log of what each annotator did. Every line is written with one ``write`` call,
flushed and fsync'ed before the caller is told it is saved; a crash can at worst cut the very
last line short, and :func:`read_label_log` reports such a line instead of failing on it.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import errors

OPS = ("label", "skip", "undo")


def now() -> str:
    """The current UTC time as an ISO 8601 string with seconds (what the ``time`` field holds)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class LabelWriter:
    """Appends records to a labels file, one fsync'ed line each; safe to share between threads.

    Args:
        path: The labels file (created with its folder when missing).
        annotator: Written into every record.
    """

    def __init__(self, path: str | Path, annotator: str) -> None:
        self.path = Path(path)
        self.annotator = annotator
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._repair_tail()

    def _repair_tail(self) -> None:
        """End the file with a newline if a crash cut its last line short, so that the next record
        starts a line of its own (the cut line stays, and reading reports it)."""
        if self.path.exists() and self.path.stat().st_size:
            with open(self.path, "rb") as handle:
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    self._append(b"\n")

    def label(self, piece_id: str, task: str, label: str) -> dict[str, Any]:
        """Record ``label`` for ``task`` of the piece; returns the record written."""
        return self.write({"op": "label", "id": piece_id, "task": task, "label": label})

    def skip(self, piece_id: str) -> dict[str, Any]:
        """Record that the annotator skipped the piece (it comes back after the others)."""
        return self.write({"op": "skip", "id": piece_id})

    def undo(self, key: str) -> dict[str, Any]:
        """Record that the line with ``key`` is taken back."""
        return self.write({"op": "undo", "undoes": key})

    def write(self, record: dict[str, Any]) -> dict[str, Any]:
        """Append ``record`` (with a fresh ``key``, the annotator and the time) and sync it to disk."""
        record = {"op": record["op"], "key": uuid.uuid4().hex, **{k: v for k, v in record.items() if k != "op"},
                  "annotator": self.annotator, "time": now()}
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            self._append(line)
        return record

    def _append(self, data: bytes) -> None:
        # O_APPEND: each write lands at the end even if another process appends to the same file.
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)


@dataclass
class LabelLog:
    """What a labels file says, undos applied.

    Attributes:
        labels: The labels still in force, in file order: records with ``id``, ``task``, ``label``,
            ``annotator``, ``time``, ``key``. An annotator's later label for the same piece and task
            replaces their earlier one (see :meth:`current`).
        skips: Skip records still in force.
        entries: The labels and skips in force together, in file order.
        problems: ``file:line: reason`` for each line that could not be read (a line cut short by a
            crash, or one edited by hand into something else).
    """

    labels: list[dict[str, Any]] = field(default_factory=list)
    skips: list[dict[str, Any]] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def current(self) -> dict[tuple[str, str, str], str]:
        """``(annotator, piece id, task) -> label``: each annotator's latest label for each piece and task."""
        return {(r["annotator"], r["id"], r["task"]): r["label"] for r in self.labels}

    def labelled_ids(self, task: str | None = None) -> set[str]:
        """Ids of the pieces with a label (for ``task``, or for any task)."""
        return {r["id"] for r in self.labels if task is None or r["task"] == task}

    def annotators(self) -> list[str]:
        """Every annotator with a label in force, in order of first appearance."""
        return list(dict.fromkeys(r["annotator"] for r in self.labels))

    def tasks(self) -> list[str]:
        """Every task with a label in force, in order of first appearance."""
        return list(dict.fromkeys(r["task"] for r in self.labels))


_REQUIRED = {"label": ("id", "task", "label"), "skip": ("id",), "undo": ("undoes",)}


def read_label_log(path: str | Path, *, missing_ok: bool = True) -> LabelLog:
    """Read a labels file, apply its undos, and report unreadable lines instead of failing.

    Args:
        path: The labels file.
        missing_ok: Return an empty log when the file does not exist (a new session).

    Raises:
        InputError: When the file is missing and ``missing_ok`` is false.
    """
    path = Path(path)
    if not path.exists():
        if missing_ok:
            return LabelLog()
        raise errors.InputError.of(errors.STORE_SUCH_LABELS_FILE, path=path)
    records, problems = [], []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: not valid JSON ({exc.msg}; a line cut short by a crash while "
                                "writing looks like this); line ignored")
                continue
            reason = _invalid(record)
            if reason:
                problems.append(f"{where}: {reason}; line ignored")
                continue
            records.append(record)
    return _apply_undos(records, problems)


def _invalid(record: Any) -> str | None:
    if not isinstance(record, dict):
        return f"expected a JSON object, found {type(record).__name__}"
    op = record.get("op", "label")  # a hand-written file may leave op out
    if op not in OPS:
        return f"unknown op {op!r} (expected one of {', '.join(OPS)})"
    missing = [k for k in _REQUIRED[op] if record.get(k) in (None, "")]
    if missing:
        return f"a {op} record needs {', '.join(missing)}"
    return None


def _apply_undos(records: Iterable[dict[str, Any]], problems: list[str]) -> LabelLog:
    records = [{"op": "label", "annotator": "(unknown)", **r} for r in records]
    for r in records:
        r["id"] = str(r["id"]) if "id" in r else None
    undone = {r["undoes"] for r in records if r["op"] == "undo"}
    log = LabelLog(problems=problems)
    for r in records:
        if r.get("key") is not None and r["key"] in undone:
            continue
        if r["op"] == "label":
            r["label"] = str(r["label"])
            log.labels.append(r)
        elif r["op"] == "skip":
            log.skips.append(r)
        else:
            continue
        log.entries.append(r)
    return log
