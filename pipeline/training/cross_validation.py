"""Cross-validation that respects outlets and stories.

In news data a random split mostly measures whether a model recognises the outlet (or the
story), so :func:`cross_validate` groups folds by ``source`` or ``story`` when asked; training
reports the grouped and random scores side by side
(:func:`~pipeline.evaluation.metrics.shortcut_gaps` names the difference)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from .. import errors
from ..config import default
from ..evaluation.metrics import classification_metrics, per_target_scores

# predict(model, rows) -> (the model's classes, probabilities of those rows: one column per class)
PredictProba = Callable[[Any, list[int]], tuple[Sequence[str], np.ndarray]]


def cross_validate(fit: Callable[[list[int]], Any], predict: PredictProba, labels: Sequence[str],
                   groups: Sequence[str] | None = None, *, folds: int | None = None, seed: int | None = None,
                   grouping: str | None = None, n_jobs: int | None = None,
                   targets: Sequence[str | None] | None = None) -> dict[str, Any]:
    """Out-of-fold predictions and probabilities, and their metrics (with calibration).

    Args:
        fit: Trains on the given row indices and returns a fitted model.
        predict: ``predict(model, rows)`` gives ``(classes, probabilities)``: the model's
            classes and one row of probabilities per requested row, one column per class.
            The predicted label is the most probable class.
        labels: Gold label of every row.
        groups: Group of every row (outlet or story); a group never spans train and test.
        folds: Number of folds (fewer if there are fewer groups or rarer classes); default
            ``evaluation.folds`` of ``default_config.toml``.
        seed: Shuffling and bootstrap seed; default ``evaluation.seed``.
        grouping: What the groups are (e.g. ``"source"``), named in warnings.
        n_jobs: Fit the folds side by side through joblib (on a Dask cluster inside
            ``joblib.parallel_config(backend="dask")``); ``fit`` and ``predict`` must then pickle.
            None: one after the other, here.
        targets: Each row's target; with two or more, adds ``per_target``
            (:func:`~pipeline.evaluation.metrics.per_target_scores`).

    Raises:
        TrainingError: When there are too few groups or labelled rows to cross-validate.
    """
    folds = default("evaluation", "folds") if folds is None else folds
    seed = default("evaluation", "seed") if seed is None else seed
    y = np.asarray(labels)
    classes = sorted(set(y.tolist()))
    n_groups = len(set(groups)) if groups is not None else len(y)
    _, counts = np.unique(y, return_counts=True)
    k = min(folds, n_groups) if groups is not None else min(folds, int(counts.min()))
    if k < 2:
        found = f"{n_groups} {grouping or 'group'} group(s)" if groups is not None else \
            f"{counts.min()} piece(s) in the rarest class"
        raise errors.TrainingError.of(errors.CROSS_VALIDATION_CANNOT_CROSS_VALIDATE, found=found)
    if groups is not None:
        splits = StratifiedGroupKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y, groups)
    else:
        splits = StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y)
    proba = np.zeros((len(y), len(classes)))
    warnings: list[str] = []
    splits = list(splits)
    if n_jobs is None:
        outcomes = (_fit_predict(fit, predict, train_rows, test_rows) for train_rows, test_rows in splits)
    else:
        from joblib import Parallel, delayed

        outcomes = iter(Parallel(n_jobs=n_jobs)(delayed(_fit_predict)(fit, predict, train_rows, test_rows)
                                                for train_rows, test_rows in splits))
    for fold, ((train_rows, test_rows), (model_classes, fold_proba)) in enumerate(zip(splits, outcomes), start=1):
        absent = sorted(set(y[test_rows].tolist()) - set(y[train_rows].tolist()))
        if absent:
            warnings.append(_missing_class_message(grouping, fold, k, absent, y, test_rows, groups))
        columns = [classes.index(str(c)) for c in model_classes]
        proba[np.ix_(test_rows, columns)] = np.asarray(fold_proba, dtype=float)
    predicted = [classes[i] for i in proba.argmax(axis=1)]
    result = classification_metrics(y.tolist(), predicted, classes, proba=proba, groups=groups, seed=seed)
    result["folds"] = k
    if targets is not None and len(set(targets)) > 1:
        result["per_target"] = per_target_scores(y.tolist(), predicted, targets)
    if warnings:
        result["warnings"] = warnings
        result["warning"] = " ".join(warnings)
    return result


def _fit_predict(fit: Callable[[list[int]], Any], predict: PredictProba, train_rows: np.ndarray,
                 test_rows: np.ndarray) -> tuple[Sequence[str], np.ndarray]:
    """One fold: fit on ``train_rows``, the classes and probabilities of ``test_rows``."""
    return predict(fit(train_rows.tolist()), test_rows.tolist())


def _missing_class_message(grouping: str | None, fold: int, k: int, absent: list[str], y: np.ndarray,
                           test_rows: np.ndarray, groups: Sequence[str] | None) -> str:
    how = f"grouping by {grouping}" if grouping else ("the grouping" if groups is not None else "the random split")
    parts = []
    for lab in absent:
        rows = [int(r) for r in test_rows if y[r] == lab]
        where = ""
        if groups is not None:
            names = sorted({str(groups[r]) for r in rows})
            where = f" (all from {', '.join(names[:4])}{', ...' if len(names) > 4 else ''})"
        parts.append(f"{lab!r}: {len(rows)} piece(s){where}")
    return (f"{how} left fold {fold} of {k} without any training piece labelled {', '.join(parts)}; "
            f"those test pieces could not be predicted right, so these scores understate the model. "
            f"Label pieces of {'those classes' if len(absent) > 1 else 'that class'} from more "
            f"{grouping + 's' if grouping else 'groups'}.")
