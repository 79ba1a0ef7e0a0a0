"""Evaluation: metrics from predictions, and cross-validation that respects outlets and stories.

In news data a random split mostly measures whether a model recognises the outlet (or the
story), so :func:`cross_validate` groups folds by ``source`` or ``story`` when asked; training
reports the grouped and random scores side by side, and :func:`shortcut_gaps` names the
difference between them. Every score carries a bootstrap 95% interval, and when
probabilities are given, calibration measures (expected calibration error, Brier score and
the bins of a reliability diagram).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from . import errors

# predict(model, rows) -> (the model's classes, probabilities of those rows: one column per class)
PredictProba = Callable[[Any, list[int]], tuple[Sequence[str], np.ndarray]]
GROUPED = ("source", "story")


def classification_metrics(y_true: Sequence[str], y_pred: Sequence[str],
                           labels: Sequence[str] | None = None, *, proba: np.ndarray | None = None,
                           groups: Sequence[str] | None = None, n_boot: int = 1000, seed: int = 13,
                           bins: int = 10) -> dict[str, Any]:
    """Per-class precision/recall/F1, macro-F1, accuracy, confusion matrix and majority baseline.

    Args:
        y_true: Gold labels.
        y_pred: Predicted labels.
        labels: Label order (default: sorted union of gold and predicted).
        proba: Probabilities, one column per entry of ``labels``; adds ``calibration``.
        groups: Resample whole groups (outlets, stories) in the bootstrap, since pieces of one
            group are not independent; default: resample pieces.
        n_boot: Bootstrap resamples for the 95% intervals (``*_ci``); 0 switches them off.
        seed: Bootstrap seed.
        bins: Bins of the reliability diagram.
    """
    labels = list(labels) if labels is not None else sorted(set(y_true) | set(y_pred))
    index = {lab: i for i, lab in enumerate(labels)}
    t = np.asarray([index[v] for v in y_true])
    p = np.asarray([index[v] for v in y_pred])
    k = len(labels)
    conf = _confusions(t, p, k, np.arange(len(t))[None, :])[0]
    prec, rec, f1 = _prf(conf[None])
    majority = max(labels, key=lambda lab: (list(y_true).count(lab), -index[lab]))
    maj = np.full_like(t, index[majority])
    mconf = _confusions(t, maj, k, np.arange(len(t))[None, :])[0]
    support = conf.sum(axis=1)
    present = support > 0
    result: dict[str, Any] = {
        "n": len(t),
        "macro_f1": float(f1[0][present].mean()) if present.any() else 0.0,
        "accuracy": float(np.trace(conf) / max(len(t), 1)),
        "per_class": {lab: {"precision": float(prec[0, i]), "recall": float(rec[0, i]),
                            "f1": float(f1[0, i]), "support": int(support[i])} for i, lab in enumerate(labels)},
        "labels": labels,
        "confusion": conf.tolist(),
        "majority_baseline": {"label": majority,
                              "macro_f1": float(_prf(mconf[None])[2][0][present].mean()),
                              "accuracy": float(np.mean(t == maj)) if len(t) else 0.0},
    }
    if n_boot and len(t) > 1:
        _add_intervals(result, t, p, k, present, groups, n_boot, seed)
    if proba is not None:
        result["calibration"] = calibration_metrics(t, np.asarray(proba, dtype=float), bins=bins)
    return result


def calibration_metrics(y_true: np.ndarray, proba: np.ndarray, *, bins: int = 10) -> dict[str, Any]:
    """Expected calibration error, Brier score and reliability-diagram bins.

    Args:
        y_true: Gold label of each row, as a column index of ``proba``.
        proba: Predicted probabilities (rows sum to 1).
        bins: Equal-width confidence bins.

    Returns:
        ``ece``: mean |accuracy - confidence| over bins, weighted by their share of pieces, for
        the predicted (top) label; ``brier``: mean squared distance between the probability
        vector and the one-hot gold label (0 is perfect, 2 the worst); ``bins``: per bin its
        range, piece count, mean confidence and accuracy.
    """
    confidence = proba.max(axis=1)
    correct = proba.argmax(axis=1) == y_true
    onehot = np.zeros_like(proba)
    onehot[np.arange(len(y_true)), y_true] = 1.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    table, ece = [], 0.0
    for b in range(bins):
        mask = which == b
        n = int(mask.sum())
        row = {"lower": float(edges[b]), "upper": float(edges[b + 1]), "count": n,
               "confidence": float(confidence[mask].mean()) if n else None,
               "accuracy": float(correct[mask].mean()) if n else None}
        if n:
            ece += n / len(y_true) * abs(row["accuracy"] - row["confidence"])
        table.append(row)
    return {"ece": float(ece), "brier": float(((proba - onehot) ** 2).sum(axis=1).mean()), "bins": table}


def _confusions(t: np.ndarray, p: np.ndarray, k: int, samples: Sequence[np.ndarray]) -> np.ndarray:
    """Confusion matrices (gold rows, predicted columns), one per array of resampled indices."""
    codes = np.concatenate([t[rows] * k + p[rows] + b * k * k for b, rows in enumerate(samples)])
    return np.bincount(codes, minlength=len(samples) * k * k).reshape(len(samples), k, k)


def _prf(conf: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tp = np.diagonal(conf, axis1=1, axis2=2).astype(float)
    predicted, gold = conf.sum(axis=1), conf.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        prec = np.where(predicted > 0, tp / predicted, 0.0)
        rec = np.where(gold > 0, tp / gold, 0.0)
        f1 = np.where(prec + rec > 0, 2 * prec * rec / (prec + rec), 0.0)
    return prec, rec, f1


def _add_intervals(result: dict[str, Any], t: np.ndarray, p: np.ndarray, k: int, present: np.ndarray,
                   groups: Sequence[str] | None, n_boot: int, seed: int) -> None:
    """Percentile 95% intervals from resampling pieces (or whole groups) with replacement."""
    rng = np.random.default_rng(seed)
    if groups is None:
        samples = rng.integers(0, len(t), size=(n_boot, len(t)))
    else:
        names, codes = np.unique(np.asarray(groups), return_inverse=True)
        members = [np.flatnonzero(codes == g) for g in range(len(names))]
        picks = rng.integers(0, len(names), size=(n_boot, len(names)))
        samples = [np.concatenate([members[g] for g in pick]) for pick in picks]
    conf = _confusions(t, p, k, samples)
    prec, rec, f1 = _prf(conf)

    def ci(values: np.ndarray) -> list[float]:
        return [round(float(v), 4) for v in np.percentile(values, [2.5, 97.5])]
    result["macro_f1_ci"] = ci(f1[:, present].mean(axis=1))
    result["accuracy_ci"] = ci(np.trace(conf, axis1=1, axis2=2) / conf.sum(axis=(1, 2)))
    for i, stats in enumerate(result["per_class"].values()):
        stats.update(precision_ci=ci(prec[:, i]), recall_ci=ci(rec[:, i]), f1_ci=ci(f1[:, i]))
    result["bootstrap"] = {"resamples": n_boot, "unit": "group" if groups is not None else "piece"}


def cross_validate(fit: Callable[[list[int]], Any], predict: PredictProba, labels: Sequence[str],
                   groups: Sequence[str] | None = None, *, folds: int = 5, seed: int = 13,
                   grouping: str | None = None) -> dict[str, Any]:
    """Out-of-fold predictions and probabilities, and their metrics (with calibration).

    Args:
        fit: Trains on the given row indices and returns a fitted model.
        predict: ``predict(model, rows)`` gives ``(classes, probabilities)``: the model's
            classes and one row of probabilities per requested row, one column per class.
            The predicted label is the most probable class.
        labels: Gold label of every row.
        groups: Group of every row (outlet or story); a group never spans train and test.
        folds: Number of folds (fewer if there are fewer groups or rarer classes).
        seed: Shuffling and bootstrap seed.
        grouping: What the groups are (e.g. ``"source"``), named in warnings.

    Raises:
        TrainingError: When there are too few groups or labelled rows to cross-validate.
    """
    y = np.asarray(labels)
    classes = sorted(set(y.tolist()))
    n_groups = len(set(groups)) if groups is not None else len(y)
    _, counts = np.unique(y, return_counts=True)
    k = min(folds, n_groups) if groups is not None else min(folds, int(counts.min()))
    if k < 2:
        found = f"{n_groups} {grouping or 'group'} group(s)" if groups is not None else \
            f"{counts.min()} piece(s) in the rarest class"
        raise errors.TrainingError(f"cannot cross-validate: only {found}; at least 2 are needed.")
    if groups is not None:
        splits = StratifiedGroupKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y, groups)
    else:
        splits = StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y)
    proba = np.zeros((len(y), len(classes)))
    warnings: list[str] = []
    for fold, (train_rows, test_rows) in enumerate(splits, start=1):
        absent = sorted(set(y[test_rows].tolist()) - set(y[train_rows].tolist()))
        if absent:
            warnings.append(_missing_class_message(grouping, fold, k, absent, y, test_rows, groups))
        model_classes, fold_proba = predict(fit(train_rows.tolist()), test_rows.tolist())
        columns = [classes.index(str(c)) for c in model_classes]
        proba[np.ix_(test_rows, columns)] = np.asarray(fold_proba, dtype=float)
    predicted = [classes[i] for i in proba.argmax(axis=1)]
    result = classification_metrics(y.tolist(), predicted, classes, proba=proba, groups=groups, seed=seed)
    result["folds"] = k
    if warnings:
        result["warnings"] = warnings
        result["warning"] = " ".join(warnings)
    return result


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


def shortcut_gaps(schemes: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Random-split macro-F1 minus grouped macro-F1, per grouping (``source``, ``story``).

    A large gap means the random-split score owes much to recognising the outlet or the story
    (the shortcut), not to reading the framing; the grouped score is the one to trust.
    """
    random = schemes.get("random", {}).get("macro_f1")
    if random is None:
        return {}
    return {name: round(random - schemes[name]["macro_f1"], 4) for name in GROUPED
            if "macro_f1" in schemes.get(name, {})}


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
        result["predictions"] = [
            {"id": labelled[i].id, "gold": g, "predicted": pr, "confidence": round(float(pp.max()), 4)}
            for i, g, pr, pp in zip(rows, gold, predicted, proba)
        ]
        results[task] = result
    return results
