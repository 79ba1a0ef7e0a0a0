"""The cleaner shipped inside the package: ``cleaner.joblib`` and its ``cleaner.json``.

``cleaner.json`` records the format version, the scikit-learn version that fitted it, the
training data, the cross-validated figures, the decision threshold and the file's SHA-256;
:func:`load_cleaner` checks the checksum and the format before unpickling (the file is ours and
inside the package, never a user's), once per process. :func:`save_cleaner` writes both files
atomically; ``benchmarks/extraction.py --retrain`` rebuilds them.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ... import errors

__all__ = ["FORMAT", "MODEL_FILE", "ShippedCleaner", "load_cleaner", "save_cleaner"]

FORMAT = 1
MODEL_FILE = Path(__file__).resolve().parent / "cleaner.joblib"


@dataclass(frozen=True)
class ShippedCleaner:
    """A fitted :class:`~.model.LineClassifier` and what its ``cleaner.json`` says about it.

    Attributes:
        model: The classifier.
        threshold: Lines whose probability of being article text is below it are furniture.
        meta: The whole ``cleaner.json``.
    """

    model: Any
    threshold: float
    meta: dict[str, Any]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def save_cleaner(model: Any, meta: dict[str, Any], path: Path = MODEL_FILE) -> None:
    """Write ``model`` to ``path`` and ``meta`` (plus format, versions, checksum) beside it.

    Both files are written to temporary names first and then renamed, so a failed save leaves
    the previous model whole.
    """
    import joblib
    import sklearn

    tmp = path.with_suffix(".joblib.tmp")
    joblib.dump(model, tmp, compress=3)
    info = {"format": FORMAT, "sklearn": sklearn.__version__, **meta, "sha256": _sha256(tmp)}
    tmp_json = path.with_suffix(".json.tmp")
    tmp_json.write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    os.replace(tmp_json, path.with_suffix(".json"))


@lru_cache(maxsize=4)
def load_cleaner(path: Path = MODEL_FILE) -> ShippedCleaner:
    """Load the cleaner at ``path`` (by default the shipped one), once per process.

    Raises:
        ModelError: When the file or its ``.json`` is missing, of another format, or the
            scikit-learn of this environment cannot read it.
        ModelIntegrityError: When the file does not match its recorded checksum.
    """
    info_path = path.with_suffix(".json")
    if not path.exists() or not info_path.exists():
        raise errors.ModelError(errors.CLEANER_MISSING.format(path=path))
    meta = json.loads(info_path.read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise errors.ModelError(errors.CLEANER_FORMAT.format(path=path, found=meta.get("format"), expected=FORMAT))
    if _sha256(path) != meta.get("sha256"):
        raise errors.ModelIntegrityError(errors.CLEANER_CHECKSUM.format(path=path))
    import joblib

    try:
        model = joblib.load(path)
    except Exception as exc:  # an unpickling error from another scikit-learn version
        raise errors.ModelError(errors.CLEANER_UNREADABLE.format(path=path, version=meta.get("sklearn"),
                                                                 detail=exc)) from exc
    return ShippedCleaner(model, float(meta["threshold"]), meta)
