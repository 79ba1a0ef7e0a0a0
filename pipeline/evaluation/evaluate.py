"""Scoring a trained model on labelled pieces it was not trained on.

Every score carries a bootstrap 95% interval and, as probabilities are given, calibration
measures (expected calibration error, Brier score and the bins of a reliability diagram);
see :mod:`pipeline.evaluation.metrics`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import errors
from .metrics import classification_metrics, per_target_scores


def task_predictions(model: Any, pieces: Sequence[Any], samples: Sequence[Any],
                     task: str) -> tuple[list[int], np.ndarray, list[str]]:
    """The rows of ``pieces`` labelled for ``task``, the model's probabilities for them (columns
    in ``model.labels(task)`` order), and its predicted label (the most probable) for each."""
    rows = [i for i, p in enumerate(pieces) if task in p.labels]
    if not rows:
        return rows, np.zeros((0, len(model.labels(task)))), []
    known = model.labels(task)
    proba = model.tasks[task].predict_proba([samples[i] for i in rows])
    return rows, proba, [known[j] for j in proba.argmax(axis=1)]


def evaluate_model(model: Any, pieces: Sequence[Any], processor: Any, *,
                   tasks: Sequence[str] | None = None, n_boot: int = 1000) -> dict[str, Any]:
    """Score a trained model on labelled ``pieces`` it was not trained on.

    Returns, per task, :func:`classification_metrics` (with calibration) over the pieces that
    carry that task's label, ``unknown_labels`` (gold labels the model has never seen; counted
    as errors), and ``predictions``: per scored piece its id, gold, predicted label and
    confidence.

    Raises:
        TrainingError: When no piece carries a label of any of the model's tasks.
    """
    from ..features.samples import prepare_samples

    tasks = list(tasks or model.tasks)
    unknown_tasks = [t for t in tasks if t not in model.tasks]
    if unknown_tasks:
        raise errors.TrainingError.of(errors.EVALUATE_MODEL_TASK_S, unknown_tasks=unknown_tasks, tasks=list(model.tasks))
    labelled = [p for p in pieces if any(t in p.labels for t in tasks)]
    if not labelled:
        raise errors.TrainingError.of(errors.EVALUATE_PIECE_CARRIES_LABEL, tasks=tasks
        )
    samples = prepare_samples(labelled, processor, max_tokens=model.max_tokens)
    results: dict[str, Any] = {}
    for task in tasks:
        rows, proba, predicted = task_predictions(model, labelled, samples, task)
        if not rows:
            continue
        gold = [labelled[i].labels[task] for i in rows]
        known = model.labels(task)
        labels = known + sorted(set(gold) - set(known))
        full = np.hstack([proba, np.zeros((len(rows), len(labels) - len(known)))])
        stories = [labelled[i].story for i in rows]
        result = classification_metrics(gold, predicted, labels, proba=full, n_boot=n_boot,
                                        groups=stories if all(stories) and len(set(stories)) > 1 else None)
        result["unknown_labels"] = {lab: gold.count(lab) for lab in sorted(set(gold) - set(known))}
        targets = [labelled[i].target for i in rows]
        if len(set(targets)) > 1 or any(targets):
            result["per_target"] = per_target_scores(gold, predicted, targets)
        result["predictions"] = [
            {"id": labelled[i].id, "gold": g, "predicted": pr, "confidence": round(float(pp.max()), 4)}
            for i, g, pr, pp in zip(rows, gold, predicted, proba)
        ]
        results[task] = result
    return results
