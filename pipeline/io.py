"""Two mechanisms the whole package shares: the atomic file writer and the worker-process pool.

Writing files so that a reader never sees half of one.

Every output (CLI files, HTML reports, skops exports, model folders, Dask parts) is written to
a temporary file with a unique name beside its destination, flushed to disk, given the mode
a new file gets under the process's umask (``mkstemp`` would leave it private, 0600), and
renamed over the destination in one step. An interruption leaves the previous file, if any,
untouched and no temporary file behind.

Worker processes: :func:`worker_pool` is the one pool of forked processes (spaCy batches,
classification in bulk). Forked workers inherit the loaded models instead of unpickling
copies, and leave Ctrl-C to the parent, which stops them.
"""

from __future__ import annotations

import multiprocessing as mp
import multiprocessing.pool
import os
import signal
import tempfile
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def umask_mode(base: int = 0o666) -> int:
    """The permissions a new file (``base`` 0o666) or folder (0o777) gets under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return base & ~umask


@contextmanager
def atomic_write(path: str | Path, mode: str = "w", *, encoding: str | None = "utf-8",
                 newline: str | None = None) -> Iterator[IO[Any]]:
    """Open a temporary file for writing that replaces ``path`` when the block ends without error.

    Args:
        path: The destination; its folder is created if missing.
        mode: ``"w"`` (text) or ``"wb"`` (bytes).
        encoding: Text encoding (text mode only).
        newline: As for :func:`open` (``""`` for CSV).

    Yields:
        The open temporary file. On an exception it is removed and ``path`` is left as it was.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_write writes new files: mode 'w' or 'wb', not {mode!r}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        text = {"encoding": encoding, "newline": newline} if mode == "w" else {}
        with os.fdopen(fd, mode, **text) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, umask_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: str | Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write`) and return the path."""
    with atomic_write(path, "w", encoding=encoding) as handle:
        handle.write(text)
    return Path(path)


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_write`) and return the path."""
    with atomic_write(path, "wb") as handle:
        handle.write(data)
    return Path(path)


def worker_pool(n_process: int, *, owner: object = None, initializer: Callable[..., None] | None = None,
                initargs: tuple[Any, ...] = ()) -> mp.pool.Pool:
    """A pool of ``n_process`` forked workers that ignore Ctrl-C (the parent handles it).

    Args:
        n_process: Worker processes.
        owner: When given, the pool is terminated once ``owner`` is garbage-collected.
        initializer: Called in each worker with ``initargs`` after it starts (with ``fork`` the
            arguments are inherited, not pickled).
        initargs: Arguments of ``initializer``.
    """
    pool = mp.get_context("fork").Pool(n_process, initializer=_start_worker, initargs=(initializer, initargs))
    if owner is not None:
        weakref.finalize(owner, pool.terminate)
    return pool


def _start_worker(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)
