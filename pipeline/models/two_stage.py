"""A two-stage classifier: first "gate label or not", then the other labels among the rest.

Some label sets hold one large label that differs in kind from the others: FNC-1's
``unrelated`` (the body is about something else) against ``agree``/``disagree``/``discuss``
(how the body treats the claim). One model over all four spends most of its capacity on the
easy split, and class weights computed over all pieces make the rare related labels rarer
still (disagree: 1.4% of all FNC-1 pairs, 8% of the related ones). Here stage 1 separates
the gate label from the rest; stage 2 is trained on the other pieces only, with its class
weights computed there. The probabilities combine as P(gate) = p1 and P(k) = (1 - p1) * p2(k).

Stage 2 can be non-linear: :class:`BoostedStage` stacks gradient-boosted trees on the linear
model's out-of-fold probabilities and the dense relation values (as FNC-1's winner, Talos,
did with trees over its features).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse
from scipy.special import softmax
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.utils.validation import check_is_fitted, validate_data
from threadpoolctl import threadpool_limits

from .. import errors
from .linear import CalibratedLinearClassifier, encode_classes, fit_temperature, full_scores

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
        self.classes_, _ = encode_classes(y)
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

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


class BoostedStage(ClassifierMixin, BaseEstimator):
    """A linear model's out-of-fold probabilities and the dense columns of ``X``, read by boosted trees.

    A linear model over the words cannot say "refuting words *near the claim's terms* and a
    closest sentence that negates where the headline does not": the relation values
    (:mod:`pipeline.features.relation`) act in combination, which trees can learn. The trees are
    stacked on the linear model rather than replacing it: its log-probabilities (out-of-fold
    while fitting, so that the trees do not learn to trust a model on its own training rows)
    carry the hundreds of thousands of sparse word columns, which trees handle badly, as a
    few numbers; the ``dense_columns`` last columns of ``X`` (the relation and similarity
    values) go in as they are. The trees' probabilities are calibrated by temperature
    scaling on out-of-fold scores, as :class:`CalibratedLinearClassifier` does.

    Args:
        estimator: The linear model (cloned); default :class:`CalibratedLinearClassifier`.
        dense_columns: How many of the last columns of ``X`` the trees read directly (0: none).
        cv: Folds for the linear model's out-of-fold probabilities (fewer when a class is rarer).
        max_iter: Boosting iterations (trees per class); early stopping may use fewer.
        learning_rate: Shrinkage of each tree.
        max_leaf_nodes: Leaves per tree.
        min_samples_leaf: Fewest rows in a leaf.
        l2_regularization: L2 penalty on leaf values.
        class_weight: ``"balanced"`` (default), ``None`` or a dict, as for the linear model.
        early_stopping: Hold out 10% of the rows to stop boosting when their loss stops improving.
        calibration_folds: Folds for the out-of-fold tree scores that the temperature is
            fitted on; 0 or 1 switches it off.
        random_state: Seed of the folds and of the trees.

    Attributes:
        classes_: The labels, sorted.
        linear_: The linear model fitted on all rows.
        booster_: The fitted :class:`~sklearn.ensemble.HistGradientBoostingClassifier`.
        n_iter_: Boosting iterations run.
        temperature_: Divides the trees' raw scores before the softmax.
    """

    def __init__(self, estimator: Any = None, dense_columns: int = 0, cv: int = 3, max_iter: int = 200,
                 learning_rate: float = 0.05, max_leaf_nodes: int = 15, min_samples_leaf: int = 20,
                 l2_regularization: float = 1.0, class_weight: Any = "balanced", early_stopping: bool = True,
                 calibration_folds: int = 3, random_state: int = 0) -> None:
        self.estimator = estimator
        self.dense_columns = dense_columns
        self.cv = cv
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.class_weight = class_weight
        self.early_stopping = early_stopping
        self.calibration_folds = calibration_folds
        self.random_state = random_state

    def fit(self, X: Any, y: Any) -> BoostedStage:
        """Fit the linear model, then the trees on its out-of-fold probabilities and the dense columns."""
        X, y = validate_data(self, X, y, accept_sparse="csr")
        self.classes_, encoded = encode_classes(y)
        if not 0 <= self.dense_columns <= X.shape[1]:
            raise ValueError(f"dense_columns must be between 0 and the {X.shape[1]} columns of X, "
                             f"got {self.dense_columns}")
        linear = self.estimator if self.estimator is not None else CalibratedLinearClassifier()
        smallest = int(np.bincount(encoded).min())
        folds = min(self.cv, smallest)
        if folds >= 2:
            oof = cross_val_predict(clone(linear), X, encoded, method="predict_proba",
                                    cv=StratifiedKFold(folds, shuffle=True, random_state=self.random_state))
        else:  # a class too rare to split: in-sample probabilities (optimistic, but defined)
            oof = clone(linear).fit(X, encoded).predict_proba(X)
        self.linear_ = clone(linear).fit(X, y)
        Z = self._stack(oof, X)
        self.temperature_ = 1.0
        folds = min(self.calibration_folds, smallest)
        # The trees are small: OpenMP threads only contend for the cores (measured 4x slower
        # fits on 2 busy cores), so one thread.
        with threadpool_limits(limits=1, user_api="openmp"):
            if folds >= 2:
                cv = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
                scores = cross_val_predict(self._booster(len(Z)), Z, encoded, cv=cv, method="decision_function")
                self.temperature_ = fit_temperature(full_scores(scores), encoded)
            self.booster_ = self._booster(len(Z)).fit(Z, encoded)
        self.n_iter_ = self.booster_.n_iter_
        return self

    def _booster(self, n_rows: int) -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(
            learning_rate=self.learning_rate, max_iter=self.max_iter, max_leaf_nodes=self.max_leaf_nodes,
            min_samples_leaf=min(self.min_samples_leaf, max(1, n_rows // 10)),
            l2_regularization=self.l2_regularization, class_weight=self.class_weight,
            early_stopping=bool(self.early_stopping) and n_rows >= 100, validation_fraction=0.1,
            n_iter_no_change=20, random_state=self.random_state)

    def _stack(self, proba: np.ndarray, X: Any) -> np.ndarray:
        """The trees' input: log-probabilities of the linear model, then the dense columns of ``X``."""
        dense = X[:, X.shape[1] - self.dense_columns:]
        dense = dense.toarray() if sparse.issparse(dense) else np.asarray(dense)
        return np.hstack([np.log(np.clip(proba, 1e-9, 1.0)), dense.astype(np.float64)])

    def logits(self, X: Any) -> np.ndarray:
        """Calibrated scores, one column per class (also for two classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", reset=False)
        stacked = self._stack(self.linear_.predict_proba(X), X)
        with threadpool_limits(limits=1, user_api="openmp"):
            scores = self.booster_.decision_function(stacked)
        return full_scores(scores) / self.temperature_

    def predict_proba(self, X: Any) -> np.ndarray:
        """Calibrated class probabilities, columns in the order of ``classes_``."""
        return softmax(self.logits(X), axis=1)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each row."""
        check_is_fitted(self)
        return self.classes_[np.argmax(self.logits(X), axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
