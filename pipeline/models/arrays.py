"""Predicting without scikit-learn: each task's fitted pipeline also saved as plain arrays.

``save_model`` writes, beside each task's pickle, ``TASK.npz`` (vocabularies, idf, weights,
intercepts, calibration: numbers only, read with ``allow_pickle=False``, so nothing in it runs
code) and records the task's spec (block kinds and settings, classes) in ``model.json`` under
``"arrays"``, where the checksums and the signature cover both. ``load_model`` predicts such
a task from its arrays with numpy alone: a one-sentence ``framing classify`` then imports
neither scikit-learn nor SciPy (about 0.9 s of its start-up) and unpickles nothing. The
pickles stay the model: explanations, ``inspect``, evaluation and training read them, unpickled
on first use. Each mechanism's array form lives beside it: TF-IDF blocks in
:mod:`pipeline.features.tfidf_arrays`, the union in :mod:`pipeline.features.union_arrays`, the
linear classifiers in :mod:`.linear_arrays`, the entity-stance model in
:mod:`.entity_stance_arrays` (here, not in ``pipeline.entities``: models, the layer that saves and
loads, may not import entities). A part of a kind they do not reproduce (an embeddings block, a two-stage or boosted classifier, an ensemble) raises
:class:`~pipeline.features.tfidf_arrays.Unsupported` when saving: that task has no arrays and
is predicted from its pickle, as before.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from ..features import rows as R
from ..features.tfidf_arrays import Unsupported
from ..features.union_arrays import UnionArrays, export_union
from .linear_arrays import LinearHead, export_head

FORMAT = "framing-arrays/1"

__all__ = ["FORMAT", "ArrayTask", "Unsupported", "export_entity_stance", "export_task", "load_arrays", "npz_bytes"]


def export_task(pipe: Any) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The spec and arrays of one task's fitted pipeline (features, then classifier).

    Raises:
        Unsupported: When a step is of a kind the array form does not reproduce.
    """
    try:
        steps = list(pipe.named_steps)
        if type(pipe).__name__ != "Pipeline" or steps != ["features", "clf"]:
            raise Unsupported(f"task pipeline with steps {steps}")
        blocks, arrays = export_union(pipe.named_steps["features"])
        head, own = export_head(pipe.named_steps["clf"])
    except Unsupported:
        raise
    except Exception as exc:  # an attribute this version does not know: a kind of its own
        raise Unsupported(f"{type(exc).__name__}: {exc}") from None
    spec = {"kind": "task", "features": blocks, "clf": head}
    task = ArrayTask(spec, {**arrays, **{f"clf.{k}": v for k, v in own.items()}})
    if task.features.n_columns != head["n_features"]:
        raise Unsupported(f"the blocks give {task.features.n_columns} columns, the classifier reads {head['n_features']}")
    return spec, {**arrays, **{f"clf.{k}": v for k, v in own.items()}}


def export_entity_stance(model: Any) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The spec and arrays of the entity-stance extra (:mod:`.entity_stance_arrays`)."""
    from .entity_stance_arrays import export_entity_stance as export

    try:
        return export(model)
    except Unsupported:
        raise
    except Exception as exc:  # noqa: BLE001 - as in export_task
        raise Unsupported(f"{type(exc).__name__}: {exc}") from None


class ArrayTask:
    """One task predicted from its arrays: ``predict_proba(samples)`` as the pipeline's, ``classes_``."""

    def __init__(self, spec: dict[str, Any], arrays: Any) -> None:
        if spec.get("kind") != "task":
            raise Unsupported(f"task: {spec.get('kind')}")
        self.features = UnionArrays(spec["features"], arrays)
        self.clf = LinearHead(spec["clf"], {k.removeprefix("clf."): arrays[k] for k in arrays if k.startswith("clf.")})
        self.classes_ = self.clf.classes_

    def predict_proba(self, samples: list[Any], done: dict[str, R.Rows] | None = None) -> np.ndarray:
        """Calibrated probabilities (columns: :attr:`classes_`); ``done``: shared blocks already computed."""
        return self.clf.predict_proba(self.features.transform(samples, done))


def load_arrays(spec: dict[str, Any], data: bytes, *, entity_stance: bool = False) -> Any:
    """The predictor of one saved spec and its ``.npz`` bytes (already checked against ``model.json``).

    Raises:
        Unsupported: When the spec names a kind this version does not know, or the arrays do
            not fit it (the caller then uses the pickle).
    """
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        if entity_stance:
            from .entity_stance_arrays import EntityStanceArrays

            return EntityStanceArrays(spec, arrays)
        return ArrayTask(spec, arrays)
    except Unsupported:
        raise
    except Exception as exc:  # noqa: BLE001 - a spec of another version, a missing array: use the pickle
        raise Unsupported(f"{type(exc).__name__}: {exc}") from None


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """The arrays as an uncompressed ``.npz`` (loading skips decompression: start-up time)."""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()
