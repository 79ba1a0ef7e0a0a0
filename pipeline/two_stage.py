"""A two-stage classifier: first "gate label or not", then the other labels among the rest.

Some label sets hold one large label that differs in kind from the others: FNC-1's
``unrelated`` (the body is about something else) against ``agree``/``disagree``/``discuss``
(how the body treats the claim). One model over all four spends most of its capacity on the
easy split, and class weights computed over all pieces make the rare related labels rarer
still (disagree: 1.4% of all FNC-1 pairs, 8% of the related ones). Here stage 1 separates
the gate label from the rest; stage 2 is trained on the other pieces only, with its class
weights computed there. The probabilities combine as P(gate) = p1 and P(k) = (1 - p1) * p2(k).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from . import errors
from .classifier import CalibratedLinearClassifier


_NOT_LINEAR = (
    "this model classifies in two stages (classifier.gate_label is set), so its probabilities are not "
    "a sum of per-feature contributions and cannot be explained term by term. Train with gate_label = \"\" "
    "to explain predictions, or inspect the stages' own weights (clf.gate_.coef_, clf.stage_.coef_)."
)


class TwoStageClassifier(ClassifierMixin, BaseEstimator):
    """Gate label against the rest (stage 1), then the other labels among the rest (stage 2).

    Args:
        gate_label: The label stage 1 separates from all others (e.g. ``"unrelated"``). When
            the training labels do not contain it, the model is one classifier over all
            labels; when they hold only one other label, stage 1 alone decides.
        estimator: Stage-2 classifier (cloned); default :class:`CalibratedLinearClassifier`.
        gate_estimator: Stage-1 classifier (cloned); default: a clone of ``estimator``.

    Attributes:
        classes_: All labels, sorted (gate label included).
        gate_: Fitted stage 1 (``None`` when there is no gate: see ``gate_label``).
        stage_: Fitted stage 2, or ``None`` when only one label remains beside the gate.
    """

    def __init__(self, gate_label: Any = "unrelated", estimator: Any = None, gate_estimator: Any = None) -> None:
        self.gate_label = gate_label
        self.estimator = estimator
        self.gate_estimator = gate_estimator

    def fit(self, X: Any, y: Any) -> TwoStageClassifier:
        """Fit stage 1 on all rows (gate label or not), stage 2 on the rows of the other labels."""
        X, y = validate_data(self, X, y, accept_sparse="csr")
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError(
                f"needs samples of at least 2 classes; the data contains only one class: {self.classes_[0]!r}"
            )
        base = self.estimator if self.estimator is not None else CalibratedLinearClassifier()
        gated = np.array([label == self.gate_label for label in y], dtype=bool)
        rest = np.unique(y[~gated])
        self.gate_ = None
        if gated.any() and len(rest) >= 1:
            gate = clone(self.gate_estimator if self.gate_estimator is not None else base)
            self.gate_ = gate.fit(X, gated)
        # With one other label stage 2 has nothing to learn: its probability is 1.
        self.stage_ = clone(base).fit(X[~gated], y[~gated]) if len(rest) >= 2 else None
        self.rest_classes_ = rest
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """P(gate) = p1, P(k) = (1 - p1) * p2(k); columns in the order of ``classes_``."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", reset=False)
        proba = np.zeros((X.shape[0], len(self.classes_)))
        cols = np.searchsorted(self.classes_, self.rest_classes_)
        if self.stage_ is not None:
            inner = self.stage_.predict_proba(X)
            proba[:, np.searchsorted(self.classes_, self.stage_.classes_)] = inner
        else:
            proba[:, cols] = 1.0
        if self.gate_ is not None:
            p_gate = self.gate_.predict_proba(X)[:, list(self.gate_.classes_).index(True)]
            proba *= (1.0 - p_gate)[:, None]
            proba[:, int(np.flatnonzero(self.classes_ == self.gate_label)[0])] = p_gate
        return proba

    @property
    def coef_(self) -> np.ndarray:
        """Not available: P(k) = (1 - p1) * p2(k) is not linear in the features."""
        raise errors.NotLinearError(_NOT_LINEAR)

    @property
    def intercept_(self) -> np.ndarray:
        """Not available (see ``coef_``)."""
        raise errors.NotLinearError(_NOT_LINEAR)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each row."""
        check_is_fitted(self)
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
