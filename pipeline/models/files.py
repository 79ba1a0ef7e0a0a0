"""File names for a model's tasks: any task name a user's label column has, as a safe file name.

A task (label column) is named by the user's data: ``stance/2020``, ``..``, ``a\\b``, a name with
a NUL, spaces or accents, or 10,000 characters. Its pickle inside the model folder is named
``TASK.joblib`` when the name is a plain word (so models keep the names they always had), and
otherwise ``SLUG-HASH.joblib`` (also when a plain name would equal an earlier task's ignoring case): the name's letters, digits and ``_`` (at most 40), then the first
12 hex digits of the SHA-256 of the name. ``model.json`` keeps the real name as the task's key
and the file under ``"file"``, which is what loading reads, so every name maps back.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

# a plain word: kept as the file name (what every model saved before had); at most 64 characters
_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,63}\Z")


def task_file_names(tasks: Sequence[str], reserved: Sequence[str] = ()) -> dict[str, str]:
    """A distinct, path-safe ``*.joblib`` file name for each task name.

    Args:
        tasks: The task names, as the user's data spells them.
        reserved: File names already taken in the folder (the model's extras).

    Returns:
        ``{task: file name}``; no two names are equal ignoring case (case-insensitive file systems),
        none is in ``reserved``, and each matches the names :func:`~pipeline.models.persist.load_model`
        accepts.
    """
    names: dict[str, str] = {}
    taken = {n.casefold() for n in reserved}
    for task in tasks:
        name = f"{task}.joblib" if _PLAIN.match(task) else _hashed(task)
        if name.casefold() in taken:  # `stance` after `Stance`, or a task named like an extra
            name = _hashed(task)
        names[task] = name
        taken.add(name.casefold())
    return names


def _hashed(task: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_]+", "_", task).strip("_")[:40] or "task"
    digest = hashlib.sha256(task.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{slug}-{digest}.joblib"
