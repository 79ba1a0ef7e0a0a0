"""Exporting and importing models in skops format: a file that can be audited before loading.

joblib files run code when loaded, so a model from a colleague is only as safe as its
sender. :func:`export_model` writes the model as one skops ``.zip`` instead; skops stores
objects as data plus the *names* of their types, and :func:`import_model` lists those
names, refuses the file if any is not on :data:`TRUSTED_PREFIXES` (our own ``pipeline.*``
classes, scikit-learn, NumPy, SciPy), and only then builds the objects.
"""

from __future__ import annotations

import importlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import errors
from ..io import atomic_write
from .framing import FramingModel
from .persist import save_model

EXCHANGE_FORMAT = 1
# Types from these packages may be built by an import. Only *classes* are accepted: a
# function or method named in the file (e.g. numpy.load) is refused unless listed below.
TRUSTED_PREFIXES = ("pipeline.", "sklearn.", "numpy.", "scipy.")
TRUSTED_FUNCTIONS = frozenset({"pipeline.models.exchange.split_tokens"})


def split_tokens(text: str) -> list[str]:
    """``str.split``: the word tokenizer of the TF-IDF steps, under a name skops can store."""
    return text.split()


def export_model(model: FramingModel, path: str | Path) -> Path:
    """Write ``model`` to the skops file ``path`` (a ``.zip``), atomically.

    Raises:
        ModelError: When a part of the model cannot be stored by skops.
    """
    sio = _skops()
    path = Path(path)
    tasks = {task: _swap_tokenizer(pipe, str.split, split_tokens) for task, pipe in model.tasks.items()}
    extras = {name: _swap_tokenizer(obj, str.split, split_tokens) for name, obj in model.extras.items()}
    payload = {"format": EXCHANGE_FORMAT, "info": json.dumps(model.info, ensure_ascii=False),
               "tasks": tasks, "extras": extras}
    try:
        with atomic_write(path, "wb") as handle:  # a unique temporary name: two exports never share one
            sio.dump(payload, handle, compression=zipfile.ZIP_DEFLATED)
    except BaseException as exc:
        if isinstance(exc, Exception) and not isinstance(exc, OSError):
            raise errors.ModelError.of(errors.EXCHANGE_CANNOT_EXPORT_MODEL, kind=type(exc).__name__, exc=exc) from None
        raise
    finally:
        for task, pipe in model.tasks.items():  # give the caller its model back unchanged
            _swap_tokenizer(pipe, split_tokens, str.split)
        for obj in model.extras.values():
            _swap_tokenizer(obj, split_tokens, str.split)
    return path


def audit_types(path: str | Path) -> tuple[list[str], list[str]]:
    """The type and function names stored in the skops file ``path``, as (trusted, refused).

    Only the names are read; nothing in the file is built or run.

    Raises:
        ModelError: When the file is not a skops file.
    """
    sio = _skops()
    path = Path(path)
    try:
        names = sio.get_untrusted_types(file=path)
    except FileNotFoundError:
        raise errors.ModelError.of(errors.EXCHANGE_SUCH_FILE, path=path) from None
    except Exception as exc:  # zip or schema errors: the file is not what it claims
        raise errors.ModelError.of(errors.EXCHANGE_SKOPS_MODEL_FILE, path=path, kind=type(exc).__name__, exc=exc) from None
    trusted = [n for n in names if is_trusted_name(n)]
    return trusted, [n for n in names if n not in trusted]


def is_trusted_name(name: str) -> bool:
    """Whether ``name`` (``module.Qualified.name``) is a class from a trusted package, or a listed function."""
    if name in TRUSTED_FUNCTIONS:
        return True
    if not name.startswith(TRUSTED_PREFIXES) or not all(p.isidentifier() for p in name.split(".")):
        return False
    obj = _resolve(name)
    return isinstance(obj, type)


def import_model(path: str | Path, out: str | Path, *,
                 on_types: Callable[[list[str], list[str]], None] | None = None) -> Path:
    """Audit the skops file ``path``, then build the model and save it to the folder ``out``.

    Args:
        path: A file written by :func:`export_model`.
        out: The model folder to write (replaced atomically if it exists).
        on_types: Called with ``(trusted, refused)`` type names before anything is built.

    Raises:
        UntrustedModelError: When the file names a type not on the trusted list; nothing
            from the file has been built or run.
        ModelError: When the file is not a model exported by framing.
    """
    sio = _skops()
    path = Path(path)
    trusted, refused = audit_types(path)
    if on_types:
        on_types(trusted, refused)
    if refused:
        raise errors.UntrustedModelError.of(errors.EXCHANGE_REFUSING_IMPORT_CONTAINS, path=path, trusted=', '.join(TRUSTED_PREFIXES), refused=', '.join(refused)
        )
    try:
        payload = sio.load(path, trusted=trusted)
    except Exception as exc:
        raise errors.ModelError.of(errors.EXCHANGE_CANNOT_READ_MODEL, path=path, kind=type(exc).__name__, exc=exc) from None
    if not isinstance(payload, dict) or payload.get("format") != EXCHANGE_FORMAT:
        raise errors.ModelError.of(errors.EXCHANGE_MODEL_EXPORTED_FRAMING, path=path, expected=EXCHANGE_FORMAT)
    try:
        info = json.loads(payload["info"])
        tasks = dict(payload["tasks"])
        extras = dict(payload["extras"])
    except (KeyError, TypeError, ValueError) as exc:
        raise errors.ModelError.of(errors.EXCHANGE_INCOMPLETE_MODEL_EXPORT, path=path, exc=exc) from None
    for task, pipe in tasks.items():
        if not (hasattr(pipe, "predict_proba") and hasattr(pipe, "classes_")):
            raise errors.ModelError.of(errors.EXCHANGE_TASK_FITTED_CLASSIFIER, path=path, task=task)
        _swap_tokenizer(pipe, split_tokens, str.split)
    for obj in extras.values():
        _swap_tokenizer(obj, split_tokens, str.split)
    for key in ("files", "format_version", "versions"):
        info.pop(key, None)  # recomputed by save_model
    info.setdefault("imported_from", str(path))
    return save_model(FramingModel(tasks=tasks, info=info, extras=extras), out)


def _skops() -> Any:
    try:
        import skops.io as sio
    except ImportError:
        raise errors.ModelError.of(errors.EXCHANGE_EXPORTING_IMPORTING_MODELS
        ) from None
    return sio


def _resolve(name: str) -> Any:
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return obj
    return None


def _swap_tokenizer(obj: Any, old: Any, new: Any) -> Any:
    """Replace ``tokenizer=old`` by ``new`` in every vectoriser inside ``obj`` (in place)."""
    seen: set[int] = set()

    def visit(node: Any) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        if getattr(node, "tokenizer", None) is old and hasattr(node, "build_analyzer"):
            node.tokenizer = new
        for step in getattr(node, "steps", None) or []:
            visit(step[1])
        for item in getattr(node, "transformer_list", None) or []:
            visit(item[1])
        for value in getattr(node, "__dict__", {}).values():
            if hasattr(value, "get_params"):
                visit(value)

    visit(obj)
    return obj
