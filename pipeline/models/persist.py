"""Saving and loading models: ``models/NAME/`` holds one joblib file per task and ``model.json``.

``model.json`` records the format version, the versions that made the model, tasks and
labels, the training corpus hash and size, metrics, creation time and the SHA-256 of every
file. joblib runs code when it loads, so :func:`load_model` verifies every checksum
*before* unpickling anything, and refuses a model outside the trusted folder unless told
to trust it. Saving writes to a temporary folder and swaps it in, so an interrupted save
leaves the previous model intact.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import warnings
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import joblib
from joblib import numpy_pickle

from .. import errors
from ..features.samples import FEATURES_VERSION
from ..io import umask_mode
from ..version import __version__
from .files import task_file_names
from .framing import FramingModel
from .renames import renamed
from .trust import SIGNATURE, check_trusted, sign
from .trust import trusted_roots as trust_roots

FORMAT_VERSION = 1
MODEL_JSON = "model.json"
PROJECT_MODELS = Path(__file__).resolve().parents[2] / "models"
# The default model ships inside the package (setup.py copies models/default to
# pipeline/default_model in a wheel or sdist build); a clone or an editable install reads it
# from the repository's models/default.
PACKAGED_MODEL = Path(__file__).resolve().parents[1] / "default_model"
DEFAULT_MODEL = PACKAGED_MODEL if (PACKAGED_MODEL / "model.json").is_file() else PROJECT_MODELS / "default"
# model.json may only name plain files inside the model folder: no '/', no '..'.
_SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,200}\.joblib\Z")


def trusted_roots() -> list[Path]:
    """Folders whose models load unsigned and without ``trust``: the shipped default model and
    ``$FRAMING_MODELS`` when set. Not ``./models`` of any working directory: running framing
    inside a downloaded folder must not trust the model files that came with it. Models this
    user saved are signed and load from anywhere (:mod:`pipeline.models.trust`)."""
    return trust_roots(DEFAULT_MODEL)


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
        task_files = task_file_names(list(model.tasks), reserved=[f"{n}.joblib" for n in model.extras])
        for name, obj in [*((task_files[t], p) for t, p in model.tasks.items()),
                          *((f"{n}.joblib", o) for n, o in model.extras.items())]:
            joblib.dump(obj, tmp / name, compress=3)
            files[name] = _sha256(tmp / name)
        info = dict(model.info)
        info.pop(SIGNATURE, None)  # a loaded model's old signature: signed anew below
        info.update(
            format_version=FORMAT_VERSION,
            features_version=FEATURES_VERSION,
            created=info.get("created") or datetime.now(timezone.utc).isoformat(timespec="seconds"),
            versions=_versions(info.get("spacy_model", {}).get("name")),
            tasks={t: {**info.get("tasks", {}).get(t, {}), "labels": model.labels(t), "file": task_files[t]}
                   for t in model.tasks},
            extras={n: f"{n}.joblib" for n in model.extras},
            files=files,
        )
        info[SIGNATURE] = sign(info)  # this user's key: the model loads from any folder, by them only
        (tmp / MODEL_JSON).write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", "utf-8")
        _fsync_folder(tmp)
        tmp.chmod(umask_mode(0o777))  # mkdtemp makes it private; a model folder is not secret
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
        aside = sorted(path.parent.glob(f".{path.name}.old-*")) if path.parent.is_dir() else []
        if aside and not path.exists():
            raise errors.ModelError(
                f"{path}: missing, but a save that was interrupted left the previous model at "
                f"{aside[-1]}. Rename it back to {path} (or retrain)."
            )
        raise errors.ModelError(
            f"{path}: no model here ({MODEL_JSON} is missing). Train one with "
            f"`framing train CORPUS --out {path}` or pass --model with an existing model folder."
        )
    try:
        info = json.loads(info_file.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise errors.ModelError(f"{info_file}: not valid JSON ({exc}). Retrain or restore the model.") from None
    if not isinstance(info, dict):
        raise errors.ModelError(f"{info_file}: expected a JSON object, found {type(info).__name__}.")
    if info.get("format_version") != FORMAT_VERSION:
        raise errors.ModelError(
            f"{info_file}: model format {info.get('format_version')!r}, this version of framing reads "
            f"format {FORMAT_VERSION}. Retrain the model with this version."
        )
    if info.get("features_version") != FEATURES_VERSION:
        raise errors.ModelError(
            f"{info_file}: the model was trained on features of version {info.get('features_version')!r}; "
            f"this version of framing computes version {FEATURES_VERSION}, which the model cannot read. "
            f"Retrain it: framing train CORPUS --out {path}."
        )
    return info


def load_model(path: str | Path, *, trust: bool = False) -> FramingModel:
    """Load a model folder after verifying every file against its recorded SHA-256.

    Args:
        path: The model folder (with ``model.json``).
        trust: Load a model that this user did not sign (see :mod:`pipeline.models.trust`).
            Only for models whose origin you trust: loading a joblib file can run code.

    Raises:
        UntrustedModelError: When the model is not signed with this user's key, not the shipped
            default model, and ``trust`` is not given.
        ModelIntegrityError: When a file is missing, unlisted or its checksum differs.
        ModelError: When ``model.json`` is missing or of another format.
    """
    path = Path(path)
    info = read_model_info(path)  # a missing folder: "no model here", before any trust question
    check_trusted(path, info, trust=trust, default_model=DEFAULT_MODEL)
    data = _verified_files(path, info)
    _warn_versions(info, path)
    try:
        tasks = {task: _unpickle(data[meta["file"]]) for task, meta in info["tasks"].items()}
        extras = {name: _unpickle(data[file]) for name, file in info.get("extras", {}).items()}
    except Exception as exc:  # a verified file that still fails: versions, or a bad save
        raise errors.ModelError(
            f"{path}: cannot load the model files ({type(exc).__name__}: {exc}). "
            "Retrain the model with this version of framing."
        ) from None
    for task, pipe in tasks.items():
        if not (hasattr(pipe, "predict_proba") and hasattr(pipe, "classes_")):
            raise errors.ModelError(f"{path / info['tasks'][task]['file']}: not a fitted classifier.")
    return FramingModel(tasks=tasks, info=info, extras=extras)


class _RenamingUnpickler(numpy_pickle.NumpyUnpickler):
    """joblib's unpickler, reading the classes of pre-regroup models from their new modules."""

    def find_class(self, module: str, name: str) -> Any:
        return super().find_class(*renamed(module, name))


def _unpickle(data: bytes) -> Any:
    """Load one joblib file's bytes, mapping old module paths (:mod:`.renames`) to new ones.

    This is ``joblib.load`` on a file object (compressed or not), with :class:`_RenamingUnpickler`
    in place of joblib's own unpickler.
    """
    with numpy_pickle._validate_fileobject_and_memmap(io.BytesIO(data), "", None) as (fobj, _):
        return _RenamingUnpickler("", fobj, ensure_native_byte_order=True, mmap_mode=None).load()


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
        raise errors.ModelIntegrityError(f"{path / MODEL_JSON}: 'files', 'tasks' and 'extras' must be objects.")
    needed = []
    for task, meta in tasks.items():
        if not isinstance(meta, dict) or not isinstance(meta.get("file"), str):
            raise errors.ModelIntegrityError(f"{path / MODEL_JSON}: task {task!r} names no file.")
        needed.append(meta["file"])
    needed += list(extras.values())
    for name in [*needed, *files]:
        if not isinstance(name, str) or not _SAFE_NAME.match(name):
            raise errors.ModelIntegrityError(
                f"{path / MODEL_JSON}: lists the file {name!r}; a model may only name plain *.joblib "
                "files inside its own folder. Refusing to load it."
            )
    for name in needed:
        if name not in files:
            raise errors.ModelIntegrityError(f"{path / name}: no checksum recorded in {MODEL_JSON}; refusing to load it.")
    real_folder = path.resolve()
    data: dict[str, bytes] = {}
    for name in sorted(set(needed)):
        file = path / name
        if file.is_symlink() or (file.exists() and file.resolve().parent != real_folder):
            raise errors.ModelIntegrityError(
                f"{file}: is a symbolic link; a model's files must be regular files in its folder. "
                "Refusing to load it."
            )
        try:
            content = file.read_bytes()
        except FileNotFoundError:
            raise errors.ModelIntegrityError(f"{file}: missing. The model is incomplete; retrain or restore it.") from None
        except OSError as exc:
            raise errors.ModelIntegrityError(f"{file}: cannot be read ({exc.strerror}).") from None
        if hashlib.sha256(content).hexdigest() != files[name]:
            raise errors.ModelIntegrityError(
                f"{file}: checksum does not match {MODEL_JSON}; the file was changed or corrupted. "
                "Refusing to load it (it could run code). Retrain or restore the model."
            )
        data[name] = content
    return data


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
