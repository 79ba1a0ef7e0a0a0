"""What commands write: output files replaced atomically, or stdout. (CSV cells and resumable
output are the library's: pipeline.inference.writers and pipeline.inference.resumable.)"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
