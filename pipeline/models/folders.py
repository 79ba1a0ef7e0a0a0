"""A model folder on disk: where a shipped model is for each kind of install, hashing its
files, flushing them, and swapping a new folder in at once so that an interrupted save leaves
the previous model intact."""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
from pathlib import Path


def shipped(packaged: Path, repository: Path) -> Path:
    """The folder of a model that ships with framing, for the kind of install that runs.

    A wheel, an sdist install or ``pip install git+...`` has the model inside the package
    (``setup.py`` copies it there): ``packaged``. A clone or an editable install has no copy there
    and reads the repository's own folder: ``repository``. A ``packaged`` folder without its
    ``model.json`` (an interrupted install) is not a model, so the repository's is used.
    """
    return packaged if (packaged / "model.json").is_file() else repository


def _swap_in(tmp: Path, path: Path) -> None:
    """Put the folder ``tmp`` at ``path``; any previous folder there is removed afterwards.

    On Linux both folders are exchanged in one atomic ``renameat2`` call, so there is no
    instant at which ``path`` is missing. Elsewhere the old folder is first moved aside,
    which leaves a short window (see :func:`read_model_info` for how that is reported).
    """
    if path.exists() and _exchange(tmp, path):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old model
        return
    old = None
    if path.exists():
        old = path.with_name(f".{path.name}.old-{os.getpid()}")
        os.replace(path, old)
    os.replace(tmp, path)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux ``renameat2(RENAME_EXCHANGE)``; False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def _fsync_folder(folder: Path) -> None:
    """Flush the files of ``folder`` to disk, so a power cut cannot swap in empty files."""
    for file in folder.iterdir():
        with open(file, "rb") as handle:
            os.fsync(handle.fileno())


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with open(file, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
