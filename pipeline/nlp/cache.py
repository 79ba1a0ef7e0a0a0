"""An on-disk cache of processed texts, so that nothing is parsed twice.

Keys are hashes of (processing profile, spaCy model name and version, text); values are
the serialised result. One SQLite file: safe for several processes, and a crash mid-write
loses at most the batch being written, never the file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

_CHUNK = 500


def default_cache_dir() -> Path:
    """``$FRAMING_CACHE``, else ``$XDG_CACHE_HOME/framing``, else ``~/.cache/framing``."""
    if os.environ.get("FRAMING_CACHE"):
        return Path(os.environ["FRAMING_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "framing"


class DocCache:
    """A key -> bytes store in ``DIR/docs.sqlite``."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.path = Path(directory or default_cache_dir()) / "docs.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("CREATE TABLE IF NOT EXISTS docs (key BLOB PRIMARY KEY, value BLOB NOT NULL)")

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        """The cached values of those ``keys`` that are present."""
        found: dict[bytes, bytes] = {}
        for i in range(0, len(keys), _CHUNK):
            chunk = keys[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            found.update(self._conn.execute(f"SELECT key, value FROM docs WHERE key IN ({marks})", chunk))
        return found

    def put_many(self, items: Iterable[tuple[bytes, bytes]]) -> None:
        """Store ``(key, value)`` pairs in one transaction."""
        with self._conn:
            self._conn.execute("BEGIN")
            self._conn.executemany("INSERT OR REPLACE INTO docs (key, value) VALUES (?, ?)", items)

    def __len__(self) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM docs").fetchone()[0]

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()
