"""Reading a model's files only after checking them: plain ``*.joblib`` (and ``*.npz``, the
array form) names inside the folder, no symbolic links, and the SHA-256 that ``model.json``
records for each (joblib runs code when it loads, so nothing is unpickled before this passes)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from .. import errors

MODEL_JSON = "model.json"


# model.json may only name plain files inside the model folder: no '/', no '..'.
_SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,200}\.(joblib|npz)\Z")


def _verified_files(path: Path, info: dict[str, Any]) -> dict[str, bytes]:
    """The bytes of every file ``model.json`` lists, each checked against its SHA-256.

    Each file is read once and the checked bytes are what gets unpickled, so the file cannot
    change between the check and the load. Names must be plain ``*.joblib`` files in the
    folder itself, and no file may be a symbolic link.
    """
    files = info.get("files")
    tasks = info.get("tasks")
    extras = info.get("extras", {})
    if not isinstance(files, dict) or not isinstance(tasks, dict) or not isinstance(extras, dict):
        raise errors.ModelIntegrityError.of(errors.INTEGRITY_FILES_TASKS_EXTRAS, file=path / MODEL_JSON)
    needed = []
    for task, meta in tasks.items():
        if not isinstance(meta, dict) or not isinstance(meta.get("file"), str):
            raise errors.ModelIntegrityError.of(errors.INTEGRITY_TASK_NAMES_FILE, file=path / MODEL_JSON, task=task)
        needed.append(meta["file"])
    needed += list(extras.values())
    needed += array_files(info)
    for name in [*needed, *files]:
        if not isinstance(name, str) or not _SAFE_NAME.match(name):
            raise errors.ModelIntegrityError.of(errors.INTEGRITY_LISTS_FILE_MODEL, file=path / MODEL_JSON, name=name
            )
    for name in needed:
        if name not in files:
            raise errors.ModelIntegrityError.of(errors.INTEGRITY_CHECKSUM_RECORDED_REFUSING, file=path / name, info=MODEL_JSON)
    real_folder = path.resolve()
    data: dict[str, bytes] = {}
    for name in sorted(set(needed)):
        file = path / name
        if file.is_symlink() or (file.exists() and file.resolve().parent != real_folder):
            raise errors.ModelIntegrityError.of(errors.INTEGRITY_SYMBOLIC_LINK_MODEL, file=file
            )
        try:
            content = file.read_bytes()
        except FileNotFoundError:
            raise errors.ModelIntegrityError.of(errors.INTEGRITY_MISSING_MODEL_INCOMPLETE, file=file) from None
        except OSError as exc:
            raise errors.ModelIntegrityError.of(errors.INTEGRITY_CANNOT_READ, file=file, strerror=exc.strerror) from None
        if hashlib.sha256(content).hexdigest() != files[name]:
            raise errors.ModelIntegrityError.of(errors.INTEGRITY_CHECKSUM_DOES_MATCH, file=file, info=MODEL_JSON
            )
        data[name] = content
    return data


def array_files(info: dict[str, Any]) -> list[str]:
    """The ``.npz`` files ``model.json`` names for the array form of its tasks and extras."""
    arrays = info.get("arrays")
    if not isinstance(arrays, dict):
        return []
    names = []
    for part in ("tasks", "extras"):
        entries = arrays.get(part, {})
        for meta in entries.values() if isinstance(entries, dict) else []:
            if isinstance(meta, dict) and isinstance(meta.get("file"), str):
                names.append(meta["file"])
    return names
