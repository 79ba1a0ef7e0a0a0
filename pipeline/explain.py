"""Why a linear model decided as it did: per-feature contributions (weight x value)."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.pipeline import Pipeline

from .features import Sample

_BLOCK_NAMES = {"words": "word", "chars": "chars", "near": "near-target word", "relation": "relation"}


def feature_names(pipeline: Pipeline) -> list[str]:
    """Readable names of the pipeline's features, e.g. ``word: police`` or ``chars: 'lice'``."""
    names = []
    for raw in pipeline.named_steps["features"].get_feature_names_out():
        block, _, name = str(raw).partition("__")
        kind = _BLOCK_NAMES.get(block, block)
        names.append(f"{kind}: {name!r}" if block == "chars" else f"{kind}: {name}")
    return names


def top_features(pipeline: Pipeline, *, k: int = 15) -> dict[str, list[tuple[str, float]]]:
    """The ``k`` features with the largest weights toward each label."""
    clf = pipeline.named_steps["clf"]
    names = feature_names(pipeline)
    out = {}
    for row, label in enumerate(clf.classes_):
        weights = clf.coef_[row]
        order = np.argsort(-weights)[:k]
        out[str(label)] = [(names[i], round(float(weights[i]), 4)) for i in order]
    return out


def explain(pipeline: Pipeline, sample: Sample, *, label: str | None = None, k: int = 10) -> dict[str, Any]:
    """The features of one sample that pushed toward and against ``label`` (default: the prediction).

    Contributions are on the calibrated logit scale, relative to the mean over labels, so
    that they add up (with the intercept) to the label's score against the others.
    """
    clf = pipeline.named_steps["clf"]
    x = pipeline.named_steps["features"].transform([sample]).tocsr()
    proba = clf.predict_proba(x)[0]
    classes = [str(c) for c in clf.classes_]
    label = label or classes[int(np.argmax(proba))]
    row = classes.index(label)
    coef = clf.coef_
    relative = coef[row] - coef.mean(axis=0)
    cols, values = x.indices, x.data
    contrib = values * relative[cols]
    names = feature_names(pipeline)
    order = np.argsort(-contrib)
    toward = [(names[cols[i]], round(float(contrib[i]), 4)) for i in order[:k] if contrib[i] > 0]
    against = [(names[cols[i]], round(float(contrib[i]), 4)) for i in order[::-1][:k] if contrib[i] < 0]
    return {
        "label": label,
        "probability": round(float(proba[row]), 4),
        "probabilities": {c: round(float(p), 4) for c, p in zip(classes, proba)},
        "toward": toward,
        "against": against,
        "bias": round(float(clf.intercept_[row] - clf.intercept_.mean()), 4),
    }
