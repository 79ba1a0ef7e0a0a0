"""Saving and loading models: ``models/NAME/`` holds one joblib file per task and ``model.json``.

``model.json`` records the format version, the versions that made the model, tasks and
labels, the training corpus hash and size, metrics, creation time and the SHA-256 of every
file. joblib runs code when it loads, so :func:`load_model` verifies every checksum
*before* unpickling anything, and refuses a model outside the trusted folder unless told
to trust it. Saving writes to a temporary folder and swaps it in, so an interrupted save
leaves the previous model intact.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import joblib

from . import __version__, errors
from .models import FramingModel

FORMAT_VERSION = 1
MODEL_JSON = "model.json"
PROJECT_MODELS = Path(__file__).resolve().parent.parent / "models"
DEFAULT_MODEL = PROJECT_MODELS / "default"


def trusted_roots() -> list[Path]:
    """Folders whose models load without ``trust``: the project's own ``models/``,
    ``./models`` of the working directory, and ``$FRAMING_MODELS`` when set."""
    roots = [PROJECT_MODELS.resolve(), Path("models").resolve()]
    if os.environ.get("FRAMING_MODELS"):
        roots.append(Path(os.environ["FRAMING_MODELS"]).resolve())
    return roots


def save_model(model: FramingModel, path: str | Path) -> Path:
    """Write ``model`` to the folder ``path`` atomically and return the path.

    The files go to a temporary sibling folder, which then replaces ``path``; a crash at any
    point leaves either the old model or the new one, never a mix.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.tmp-", dir=path.parent))
    try:
        files: dict[str, str] = {}
        for name, obj in [*((f"{t}.joblib", p) for t, p in model.tasks.items()),
                          *((f"{n}.joblib", o) for n, o in model.extras.items())]:
            joblib.dump(obj, tmp / name, compress=3)
            files[name] = _sha256(tmp / name)
        info = dict(model.info)
        info.update(
            format_version=FORMAT_VERSION,
            created=info.get("created") or datetime.now(timezone.utc).isoformat(timespec="seconds"),
            versions=_versions(info.get("spacy_model", {}).get("name")),
            tasks={t: {**info.get("tasks", {}).get(t, {}), "labels": model.labels(t), "file": f"{t}.joblib"}
                   for t in model.tasks},
            extras={n: f"{n}.joblib" for n in model.extras},
            files=files,
        )
        (tmp / MODEL_JSON).write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", "utf-8")
        _swap_in(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return path


def read_model_info(path: str | Path) -> dict[str, Any]:
    """Read and check ``model.json`` of the model folder ``path``, loading nothing else.

    Raises:
        ModelError: When the folder or its ``model.json`` is missing or invalid.
    """
    path = Path(path)
    info_file = path / MODEL_JSON
    if not info_file.is_file():
        raise errors.ModelError(
            f"{path}: no model here ({MODEL_JSON} is missing). Train one with "
            f"`framing train CORPUS --out {path}` or pass --model with an existing model folder."
        )
    try:
        info = json.loads(info_file.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise errors.ModelError(f"{info_file}: not valid JSON ({exc}). Retrain or restore the model.") from None
    if info.get("format_version") != FORMAT_VERSION:
        raise errors.ModelError(
            f"{info_file}: model format {info.get('format_version')!r}, this version of framing reads "
            f"format {FORMAT_VERSION}. Retrain the model with this version."
        )
    return info


def load_model(path: str | Path, *, trust: bool = False) -> FramingModel:
    """Load a model folder after verifying every file against its recorded SHA-256.

    Args:
        path: The model folder (with ``model.json``).
        trust: Load even if the folder lies outside :func:`trusted_root`. Only for models
            whose origin you trust: loading a joblib file can run code.

    Raises:
        UntrustedModelError: When the model is outside the trusted folder and not trusted.
        ModelIntegrityError: When a file is missing, unlisted or its checksum differs.
        ModelError: When ``model.json`` is missing or of another format.
    """
    path = Path(path)
    if not trust and not any(_is_within(path.resolve(), root) for root in trusted_roots()):
        raise errors.UntrustedModelError(
            f"{path}: refusing to load a model from outside the trusted folders "
            f"({', '.join(map(str, trusted_roots()))}); model files can run "
            "code when loaded. If you trust its origin, pass --trust (trust=True)."
        )
    info = read_model_info(path)
    files = info.get("files", {})
    expected = {t["file"] for t in info.get("tasks", {}).values()} | set(info.get("extras", {}).values())
    for name in sorted(expected):
        if name not in files:
            raise errors.ModelIntegrityError(f"{path / name}: no checksum recorded in {MODEL_JSON}; refusing to load it.")
    for name, digest in files.items():
        file = path / name
        if not file.is_file():
            raise errors.ModelIntegrityError(f"{file}: missing. The model is incomplete; retrain or restore it.")
        if _sha256(file) != digest:
            raise errors.ModelIntegrityError(
                f"{file}: checksum does not match {MODEL_JSON}; the file was changed or corrupted. "
                "Refusing to load it (it could run code). Retrain or restore the model."
            )
    _warn_versions(info, path)
    tasks = {task: joblib.load(path / meta["file"]) for task, meta in info["tasks"].items()}
    extras = {name: joblib.load(path / file) for name, file in info.get("extras", {}).items()}
    return FramingModel(tasks=tasks, info=info, extras=extras)


def _swap_in(tmp: Path, path: Path) -> None:
    old = None
    if path.exists():
        old = path.with_name(f".{path.name}.old-{os.getpid()}")
        os.replace(path, old)
    os.replace(tmp, path)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with open(file, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _versions(spacy_model: str | None) -> dict[str, str | None]:
    def version(dist: str) -> str | None:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    return {
        "framing": __version__,
        "python": ".".join(map(str, __import__("sys").version_info[:3])),
        "spacy": version("spacy"),
        "scikit-learn": version("scikit-learn"),
        "joblib": version("joblib"),
        "numpy": version("numpy"),
        "spacy_model": version((spacy_model or "").replace("_", "-")) if spacy_model else None,
    }


def _warn_versions(info: dict[str, Any], path: Path) -> None:
    saved = info.get("versions", {})
    now = _versions(info.get("spacy_model", {}).get("name"))
    for name in ("scikit-learn", "spacy", "numpy", "spacy_model"):
        if saved.get(name) and now.get(name) and saved[name] != now[name]:
            warnings.warn(
                f"{path}: made with {name} {saved[name]}, running {now[name]}; predictions may differ. "
                "Retrain the model to be sure.",
                stacklevel=3,
            )


def _is_within(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False
