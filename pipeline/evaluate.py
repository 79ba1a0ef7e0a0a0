"""Evaluation: metrics from predictions, and cross-validation that respects outlets and stories.

In news data a random split mostly measures whether a model recognises the outlet (or the
story), so :func:`cross_validate` groups folds by ``source`` or ``story`` when asked, and
:func:`evaluation_plan` reports the grouped and random scores side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from . import errors


def classification_metrics(y_true: Sequence[str], y_pred: Sequence[str],
                           labels: Sequence[str] | None = None) -> dict[str, Any]:
    """Per-class precision/recall/F1, macro-F1, accuracy, the confusion matrix and a majority baseline."""
    labels = list(labels) if labels is not None else sorted(set(y_true) | set(y_pred))
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    majority = max(set(y_true), key=list(y_true).count)
    return {
        "n": len(y_true),
        "macro_f1": float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "per_class": {
            lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
            for i, lab in enumerate(labels)
        },
        "labels": labels,
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        "majority_baseline": {
            "label": majority,
            "macro_f1": float(f1_score(y_true, [majority] * len(y_true), labels=labels,
                                       average="macro", zero_division=0)),
            "accuracy": float(list(y_true).count(majority) / len(y_true)),
        },
    }


def cross_validate(fit: Callable[[list[int]], Any], predict: Callable[[Any, list[int]], list[str]],
                   labels: Sequence[str], groups: Sequence[str] | None = None, *,
                   folds: int = 5, seed: int = 13) -> dict[str, Any]:
    """Out-of-fold predictions and their metrics.

    Args:
        fit: Trains on the given row indices and returns a fitted model.
        predict: ``predict(model, rows)`` gives the labels of those rows.
        labels: Gold label of every row.
        groups: Group of every row (outlet or story); a group never spans train and test.
        folds: Number of folds (fewer if there are fewer groups or rarer classes).
        seed: Shuffling seed.

    Raises:
        TrainingError: When there are too few groups or labelled rows to cross-validate.
    """
    y = np.asarray(labels)
    n_groups = len(set(groups)) if groups is not None else len(y)
    _, counts = np.unique(y, return_counts=True)
    k = min(folds, n_groups) if groups is not None else min(folds, int(counts.min()))
    if k < 2:
        what = "groups" if groups is not None else "pieces in the rarest class"
        raise errors.TrainingError(f"cannot cross-validate: only {n_groups if groups is not None else counts.min()} {what}.")
    if groups is not None:
        splitter = StratifiedGroupKFold(k, shuffle=True, random_state=seed)
        splits = splitter.split(np.zeros(len(y)), y, groups)
    else:
        splits = StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y)
    predicted = np.empty(len(y), dtype=object)
    missing: list[str] = []
    for train_rows, test_rows in splits:
        absent = set(y[test_rows]) - set(y[train_rows])
        missing.extend(sorted(absent))
        model = fit(train_rows.tolist())
        predicted[test_rows] = predict(model, test_rows.tolist())
    result = classification_metrics(y.tolist(), predicted.tolist())
    result["folds"] = k
    if missing:
        result["warning"] = (
            f"in some folds no training piece had the label(s) {sorted(set(missing))}: "
            "those test pieces could not be predicted right. Label more pieces of those classes "
            "from more groups."
        )
    return result


def evaluate_model(model: Any, pieces: Sequence[Any], processor: Any, *,
                   tasks: Sequence[str] | None = None) -> dict[str, Any]:
    """Score a trained model on labelled ``pieces`` it was not trained on.

    Returns, per task, :func:`classification_metrics` over the pieces that carry that task's
    label, plus ``unknown_labels``: gold labels the model has never seen (counted as errors).

    Raises:
        TrainingError: When no piece carries a label of any of the model's tasks.
    """
    from .features import prepare_samples

    tasks = list(tasks or model.tasks)
    unknown_tasks = [t for t in tasks if t not in model.tasks]
    if unknown_tasks:
        raise errors.TrainingError(f"the model has no task(s) {unknown_tasks}; it has {list(model.tasks)}.")
    labelled = [p for p in pieces if any(t in p.labels for t in tasks)]
    if not labelled:
        raise errors.TrainingError(
            f"no piece carries a label for {tasks}; evaluation needs gold labels under \"labels\"."
        )
    samples = prepare_samples(labelled, processor, max_tokens=model.max_tokens)
    results: dict[str, Any] = {}
    for task in tasks:
        rows = [i for i, p in enumerate(labelled) if task in p.labels]
        if not rows:
            continue
        gold = [labelled[i].labels[task] for i in rows]
        predicted = model.tasks[task].predict([samples[i] for i in rows]).tolist()
        known = set(model.labels(task))
        labels = model.labels(task) + sorted(set(gold) - known)
        result = classification_metrics(gold, predicted, labels)
        result["unknown_labels"] = {lab: gold.count(lab) for lab in sorted(set(gold) - known)}
        results[task] = result
    return results
