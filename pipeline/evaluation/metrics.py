"""Metrics from predictions: per-class precision/recall/F1, macro-F1, accuracy, confusion,
bootstrap 95% intervals, calibration (ECE, Brier, reliability bins), and the shortcut gap
between random and grouped splits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

# The groupings cross-validation reports beside the random split.
GROUPED = ("source", "story", "target")


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


def per_target_scores(gold: Sequence[str], predicted: Sequence[str],
                      targets: Sequence[str | None]) -> dict[str, dict[str, Any]]:
    """Scores of each target's pieces on their own: ``n``, ``macro_f1``, ``accuracy`` and F1 per
    label, most frequent target first (pieces without a target under ``"(none)"``).

    A model that serves several targets can be good on the whole and poor on one of them; the
    overall score hides that, so training and evaluation report this beside it.
    """
    by: dict[str, list[int]] = {}
    for i, target in enumerate(targets):
        by.setdefault(target or "(none)", []).append(i)
    out: dict[str, dict[str, Any]] = {}
    for target, rows in sorted(by.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        g, p = [gold[i] for i in rows], [predicted[i] for i in rows]
        m = classification_metrics(g, p, sorted(set(g) | set(p)), n_boot=0)
        out[target] = {"n": len(rows), "macro_f1": round(m["macro_f1"], 4), "accuracy": round(m["accuracy"], 4),
                       "f1": {lab: round(v["f1"], 4) for lab, v in m["per_class"].items() if v["support"]}}
    return out


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
