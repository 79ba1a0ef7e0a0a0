"""Saving and loading models: ``models/NAME/`` holds one joblib file per task and ``model.json``,
and beside each joblib file its array form (``TASK.npz``, :mod:`.arrays`) where it has one.

``model.json`` records the format version, the versions that made the model, tasks and
labels, the training corpus hash and size, metrics, creation time, the array form's specs and
the SHA-256 of every file. joblib runs code when it loads, so :func:`load_model` verifies every
checksum *before* unpickling anything, and refuses a model outside the trusted folder unless
told to trust it. A task with an array form is predicted from it and unpickled only when its
pipeline is asked for. Saving writes to a temporary folder and swaps it in, so an interrupted
save leaves the previous model intact.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import errors
from ..features.samples import FEATURES_VERSION
from ..io import umask_mode, write_bytes
from .files import task_file_names
from .folders import _fsync_folder, _sha256, _swap_in, shipped
from .framing import FramingModel, Lazy
from .integrity import MODEL_JSON, _verified_files
from .trust import SIGNATURE, check_trusted, sign
from .trust import trusted_roots as trust_roots
from .versions import _versions, _warn_versions

FORMAT_VERSION = 1
PROJECT_MODELS = Path(__file__).resolve().parents[2] / "models"
# The default model ships inside the package (setup.py copies models/default to
# pipeline/default_model in a wheel or sdist build); a clone or an editable install reads it
# from the repository's models/default.
PACKAGED_MODEL = Path(__file__).resolve().parents[1] / "default_model"
DEFAULT_MODEL = shipped(PACKAGED_MODEL, PROJECT_MODELS / "default")
# The zero-shot stance model (models/stance-any: JSON and float16 arrays, no pickles) ships the
# same way, as pipeline/stance_any_model; classify reads a piece's unseen target with it.
PACKAGED_ZERO_SHOT = Path(__file__).resolve().parents[1] / "stance_any_model"
DEFAULT_ZERO_SHOT = shipped(PACKAGED_ZERO_SHOT, PROJECT_MODELS / "stance-any")


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
    import joblib

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
        arrays = _write_arrays(model, task_files, tmp, files)
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
            arrays=arrays,
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
            raise errors.ModelError.of(errors.PERSIST_MISSING_BUT_SAVE, path=path, aside=aside[-1]
            )
        raise errors.ModelError.of(errors.NO_MODEL_HERE, path=path, info=MODEL_JSON)
    try:
        info = json.loads(info_file.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise errors.ModelError.of(errors.PERSIST_VALID_JSON_RETRAIN, info_file=info_file, exc=exc) from None
    if not isinstance(info, dict):
        raise errors.ModelError.of(errors.PERSIST_EXPECTED_JSON_OBJECT, info_file=info_file, kind=type(info).__name__)
    if info.get("format_version") != FORMAT_VERSION:
        raise errors.ModelError.of(errors.PERSIST_MODEL_FORMAT_VERSION, info_file=info_file, found=info.get('format_version'), expected=FORMAT_VERSION
        )
    if info.get("features_version") != FEATURES_VERSION:
        raise errors.ModelError.of(errors.OLD_FEATURES, info=info_file, found=info.get("features_version"),
                                   expected=FEATURES_VERSION, path=path)
    return info


def load_model(path: str | Path, *, trust: bool = False) -> FramingModel:
    """Load a model folder after verifying every file against its recorded SHA-256.

    A folder holding an any-target stance model (``models/stance-any``: JSON and float16 arrays,
    no pickles) is loaded by :func:`pipeline.models.stance_any.load_framing_model`.

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
    if _is_stance_any(path):  # JSON and float16 arrays read without pickle: nothing in it can run code
        from .stance_any import load_framing_model

        return load_framing_model(path)
    info = read_model_info(path)  # a missing folder: "no model here", before any trust question
    check_trusted(path, info, trust=trust, default_model=DEFAULT_MODEL)
    data = _verified_files(path, info)
    _warn_versions(info, path)
    arrays, extra_arrays = _read_arrays(info, data)

    def unpickle(file: str, task: str | None = None) -> Callable[[], Any]:
        def load() -> Any:
            from .renames import _unpickle

            try:
                obj = _unpickle(data[file])
            except Exception as exc:  # a verified file that still fails: versions, or a bad save
                raise errors.ModelError.of(errors.PERSIST_CANNOT_LOAD_MODEL, path=path, kind=type(exc).__name__,
                                           exc=exc) from None
            if task is not None and not (hasattr(obj, "predict_proba") and hasattr(obj, "classes_")):
                raise errors.ModelError.of(errors.PERSIST_FITTED_CLASSIFIER, file=path / file)
            return obj
        return load

    task_loaders = {task: unpickle(meta["file"], task) for task, meta in info["tasks"].items()}
    extra_loaders = {name: unpickle(file) for name, file in info.get("extras", {}).items()}
    # What has no array form is unpickled now, so that a bad file is reported at load as before.
    tasks = Lazy({t: task_loaders[t]() for t in task_loaders if t not in arrays}, task_loaders)
    extras = Lazy({n: extra_loaders[n]() for n in extra_loaders if n not in extra_arrays}, extra_loaders)
    return FramingModel(tasks=tasks, info=info, extras=extras, arrays=arrays, extra_arrays=extra_arrays)


def _write_arrays(model: FramingModel, task_files: dict[str, str], folder: Path, files: dict[str, str]) -> dict[str, Any]:
    """Write the array form of every task and extra that has one (:mod:`.arrays`) into ``folder``,
    adding each file's SHA-256 to ``files``; returns what ``model.json`` records under ``"arrays"``."""
    from .arrays import FORMAT, Unsupported, export_entity_stance, export_task, npz_bytes

    out: dict[str, Any] = {"format": FORMAT, "tasks": {}, "extras": {}}
    parts = [("tasks", t, task_files[t], lambda t=t: export_task(model.tasks[t])) for t in model.tasks]
    if "entity_stance" in model.extras:
        parts.append(("extras", "entity_stance", "entity_stance.joblib",
                      lambda: export_entity_stance(model.extras["entity_stance"])))
    for part, name, pickle_file, export in parts:
        try:
            spec, arrays = export()
        except Unsupported:  # predicted from its pickle
            continue
        file = pickle_file.removesuffix(".joblib") + ".npz"
        write_bytes(folder / file, npz_bytes(arrays))
        files[file] = _sha256(folder / file)
        out[part][name] = {"file": file, "spec": spec}
    return out


def _read_arrays(info: dict[str, Any], data: dict[str, bytes]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The array forms ``model.json`` records (tasks, extras) that this version reads; a part it
    does not read (another format, an unknown kind) is left to its pickle."""
    from .arrays import FORMAT, Unsupported, load_arrays

    recorded = info.get("arrays")
    if not isinstance(recorded, dict) or recorded.get("format") != FORMAT:
        return {}, {}
    found: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
    for out, part, known in zip(found, ("tasks", "extras"), (info["tasks"], {"entity_stance": None})):
        for name, meta in (recorded.get(part) or {}).items():
            if name not in known or not isinstance(meta, dict) or meta.get("file") not in data:
                continue
            if part == "extras" and name not in info.get("extras", {}):
                continue
            try:
                out[name] = load_arrays(meta["spec"], data[meta["file"]], entity_stance=part == "extras")
            except Unsupported:
                continue
    return found


def _is_within(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def _is_stance_any(path: Path) -> bool:
    """Whether ``path`` holds an any-target stance model (``pipeline.models.stance_any``), read cheaply."""
    try:
        head = (path / MODEL_JSON).read_text("utf-8")[:200]
    except (OSError, UnicodeDecodeError):
        return False
    return '"format": "framing-stance-any/' in head


def add_arrays(path: str | Path, *, trust: bool = False) -> list[str]:
    """Write the array form of a saved model's tasks and extras into its folder, leaving its pickles
    (and so its predictions) as they are: for models saved before the array form existed, and
    the shipped default model. ``model.json`` gets the specs and the new files' checksums; a
    model signed before is signed again (with this user's key), an unsigned one stays unsigned.

    Args:
        path: The model folder.
        trust: As for :func:`load_model`.

    Returns:
        The names of the tasks and extras that now have an array form.
    """
    from ..io import write_text

    path = Path(path)
    model = load_model(path, trust=trust)
    info = dict(model.info)
    for name in _array_file_names(info):  # an earlier array form: replaced
        info["files"].pop(name, None)
    task_files = {t: meta["file"] for t, meta in info["tasks"].items()}
    files = dict(info["files"])
    info["arrays"] = _write_arrays(model, task_files, path, files)
    info["files"] = files
    if SIGNATURE in info:
        info.pop(SIGNATURE)
        info[SIGNATURE] = sign(info)
    write_text(path / MODEL_JSON, json.dumps(info, indent=2, ensure_ascii=False) + "\n")
    return [*info["arrays"]["tasks"], *info["arrays"]["extras"]]


def _array_file_names(info: dict[str, Any]) -> list[str]:
    from .integrity import array_files

    return array_files(info)

