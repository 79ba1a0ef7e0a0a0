"""The array form of the linear classifiers: weights, intercepts and temperature, applied with numpy.

:func:`export_head` writes a fitted :class:`~.linear.CalibratedLinearClassifier` (or a
:class:`~.blend.WordBlendClassifier`, whose blended weights are one such model at temperature 1),
or a :class:`~.per_target.TargetAugmentedClassifier` around one, as a JSON spec and arrays;
:class:`LinearHead` reads them back and gives the same probabilities from a feature matrix
(:class:`~pipeline.features.rows.Rows`) without scikit-learn: the logistic regression's
decision values ``X @ coef.T + intercept``, a binary model's one column widened to two, divided
by the temperature, then softmax; for per-target weights, first the augmented matrix that
:func:`pipeline.models.per_target.augment` builds (either layout: a full copy per target, or
only the columns each target's rows used), entry for entry (tested). Any other classifier
raises :class:`~pipeline.features.tfidf_arrays.Unsupported`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..features import rows as R
from ..features.tfidf_arrays import Unsupported


def export_head(clf: Any) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The spec and arrays of a fitted classifier (``clf`` step of a task pipeline).

    Raises:
        Unsupported: When it is not a kind reproduced here.
    """
    kind = type(clf).__name__
    if kind == "TargetAugmentedClassifier":
        known = {"estimator", "target_weight", "target_column", "n_targets_", "n_features_in_", "estimator_", "classes_",
                 "target_column_", "columns_", "copy_cap"}
        if set(vars(clf)) - known:
            raise Unsupported(f"classifier: {kind} with attributes {sorted(set(vars(clf)) - known)}")
        spec, arrays = export_head(clf.estimator_)
        n_features = int(clf.n_features_in_)
        columns = getattr(clf, "columns_", None)
        if columns is not None:
            arrays["target_columns"] = np.concatenate([np.zeros(0, np.int64), *columns]).astype(np.int64)
            arrays["target_sizes"] = np.asarray([len(c) for c in columns], dtype=np.int64)
        return {"kind": "target_augmented", "n_targets": int(clf.n_targets_), "target_weight": float(clf.target_weight),
                "n_features": n_features, "target_column": int(getattr(clf, "target_column_", n_features - 1)),
                "compact": columns is not None, "inner": spec}, arrays
    if kind == "WordBlendClassifier":  # one linear model already: its blended calibrated weights, temperature 1
        known = {"estimator", "words_estimator", "word_columns", "weight", "coef_", "intercept_", "classes_",
                 "n_features_in_"}
        if set(vars(clf)) - known:
            raise Unsupported(f"classifier: {kind} with attributes {sorted(set(vars(clf)) - known)}")
        coef, intercept = np.asarray(clf.coef_, dtype=np.float64), np.asarray(clf.intercept_, dtype=np.float64)
        classes = [str(c) for c in clf.classes_]
        if coef.ndim != 2 or coef.shape[0] != len(classes) or intercept.shape != (len(classes),):
            raise Unsupported("classifier: blended weights do not match the classes")
        return {"kind": "calibrated_linear", "temperature": 1.0, "classes": classes,
                "n_features": int(coef.shape[1])}, {"coef": coef, "intercept": intercept}
    if kind != "CalibratedLinearClassifier" or type(clf.model_).__name__ != "LogisticRegression":
        raise Unsupported(f"classifier: {kind}")
    coef, intercept = np.asarray(clf.model_.coef_), np.asarray(clf.model_.intercept_)
    if coef.dtype != np.float64 or coef.ndim != 2 or intercept.shape != (coef.shape[0],):
        raise Unsupported("classifier: weights are not a dense float64 matrix")
    classes = [str(c) for c in clf.classes_]
    if coef.shape[0] != (1 if len(classes) == 2 else len(classes)):
        raise Unsupported("classifier: weight rows do not match the classes")
    return {"kind": "calibrated_linear", "temperature": float(clf.temperature_), "classes": classes,
            "n_features": int(coef.shape[1])}, {"coef": coef, "intercept": intercept}


class LinearHead:
    """A classifier read back from :func:`export_head`'s spec and arrays."""

    def __init__(self, spec: dict[str, Any], arrays: Any) -> None:
        self.spec = spec
        inner = spec["inner"] if spec["kind"] == "target_augmented" else spec
        if inner["kind"] != "calibrated_linear" or spec["kind"] not in ("target_augmented", "calibrated_linear"):
            raise Unsupported(f"classifier: {spec['kind']}")
        self.coef, self.intercept = np.asarray(arrays["coef"]), np.asarray(arrays["intercept"])
        self.temperature = float(inner["temperature"])
        self.classes_ = np.asarray(inner["classes"])
        if self.coef.shape[1] != inner["n_features"]:
            raise Unsupported("classifier: weights of another width than recorded")
        self.columns = None
        if spec["kind"] == "target_augmented" and spec.get("compact"):
            ends = np.cumsum(arrays["target_sizes"])
            self.columns = np.split(arrays["target_columns"], ends[:-1]) if len(ends) else []

    def predict_proba(self, X: R.Rows) -> np.ndarray:
        """Class probabilities of the feature matrix ``X`` (columns: :attr:`classes_`)."""
        if self.spec["kind"] == "target_augmented":
            X = self._augmented(X)
        scores = R.dot(X, self.coef) + self.intercept
        if scores.shape[1] == 1:  # binary: the decision value is class 1's, class 0 gets 0
            scores = np.column_stack([np.zeros(len(scores)), scores[:, 0]])
        return softmax(scores / self.temperature)

    def _augmented(self, X: R.Rows) -> R.Rows:
        """Take the target-number column off and augment the rest, as
        :class:`~.per_target.TargetAugmentedClassifier` does."""
        spec = self.spec
        n_targets, d = spec["n_targets"], spec["n_features"] - 1
        column = spec.get("target_column", d)  # recorded since 4dcd45e; before, the last column
        if X.n_columns != d + 1:
            raise ValueError(f"{X.n_columns} feature columns for a classifier of {d + 1}")
        row_of = X.row_of()
        at_column = X.indices == column
        index = np.zeros(X.n_rows, dtype=np.int64)
        index[row_of[at_column]] = X.data[at_column].astype(np.int64)
        index = np.where((index >= 0) & (index <= n_targets), index, 0)
        keep = ~at_column
        row_of, data = row_of[keep], X.data[keep].astype(np.float64)
        indices = X.indices[keep] - (X.indices[keep] > column)  # the columns after it move left by one
        if n_targets == 0:
            return R.Rows(R.indptr_of(row_of, X.n_rows), indices, data, d)
        target_of = index[row_of]
        copy = np.full(len(indices), -1, dtype=np.int64)  # each entry's column in its target's block
        if self.columns is None:  # the full layout: target t's block is columns t * d ...
            own = target_of > 0
            copy[own] = target_of[own] * d + indices[own]
            width = d * (n_targets + 1)
        else:  # compact: target t's block holds only the columns its training rows used
            starts = np.concatenate([[0], np.cumsum([len(c) for c in self.columns])])
            for t in np.unique(target_of[target_of > 0]):
                entries = np.flatnonzero(target_of == t)
                cols = self.columns[t - 1]
                if not len(cols):
                    continue
                at = np.minimum(np.searchsorted(cols, indices[entries]), len(cols) - 1)
                found = cols[at] == indices[entries]
                copy[entries[found]] = d + starts[t - 1] + at[found]
            width = d + int(starts[-1])
        copied = copy >= 0
        rows = np.concatenate([row_of, row_of[copied]])
        order = np.argsort(rows, kind="stable")  # each row: its entries, then their copies
        return R.Rows(R.indptr_of(rows, X.n_rows), np.concatenate([indices, copy[copied]])[order],
                      np.concatenate([data, data[copied] * spec["target_weight"]])[order], width)


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax, computed as ``scipy.special.softmax`` computes it."""
    shifted = np.exp(scores - np.amax(scores, axis=1, keepdims=True))
    return shifted / np.sum(shifted, axis=1, keepdims=True)
