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
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.utils.validation import check_is_fitted, validate_data
from threadpoolctl import threadpool_limits

from .. import errors
from .linear import CalibratedLinearClassifier, LogitsClassifierMixin, encode_classes, fit_temperature, full_scores


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

    def fit(self, X: Any, y: Any, feature_names: Any = None) -> TwoStageClassifier:
        """Fit stage 1 on all rows (gate label or not), stage 2 on the rows of the other labels.

        Args:
            X: The features.
            y: The labels.
            feature_names: The name of each column, for a stage that finds columns by name
                (:class:`BoostedStage`); other stages take none.
        """
        X, y = validate_data(self, X, y, accept_sparse="csr")
        self.classes_, _ = encode_classes(y)
        base = self.estimator if self.estimator is not None else CalibratedLinearClassifier()
        gated = np.array([label == self.gate_label for label in y], dtype=bool)
        rest = np.unique(y[~gated])
        self.gate_ = None
        if gated.any() and len(rest) >= 1:
            gate = clone(self.gate_estimator if self.gate_estimator is not None else base)
            self.gate_ = gate.fit(X, gated, **_names(gate, feature_names))
        # With one other label stage 2 has nothing to learn: its probability is 1.
        stage = clone(base)
        self.stage_ = stage.fit(X[~gated], y[~gated], **_names(stage, feature_names)) if len(rest) >= 2 else None
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
        raise errors.NotLinearError(errors.TWO_STAGE_NOT_LINEAR)

    @property
    def intercept_(self) -> np.ndarray:
        """Not available (see ``coef_``)."""
        raise errors.NotLinearError(errors.TWO_STAGE_NOT_LINEAR)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each row."""
        check_is_fitted(self)
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


def _names(estimator: Any, feature_names: Any) -> dict[str, Any]:
    """``fit``'s ``feature_names`` argument for ``estimator`` if it takes one (a :class:`BoostedStage`)."""
    return {"feature_names": feature_names} if isinstance(estimator, BoostedStage) else {}


class BoostedStage(LogitsClassifierMixin, ClassifierMixin, BaseEstimator):
    """A linear model's out-of-fold probabilities and named dense columns of ``X``, read by boosted trees.

    A linear model over the words cannot say "refuting words *near the claim's terms* and a
    closest sentence that negates where the headline does not": the relation values
    (:mod:`pipeline.features.relation`) act in combination, which trees can learn. The trees are
    stacked on the linear model rather than replacing it: its log-probabilities (out-of-fold
    while fitting, so that the trees do not learn to trust a model on its own training rows)
    carry the hundreds of thousands of sparse word columns, which trees handle badly, as a
    few numbers; the columns of the ``dense_blocks`` feature blocks (the relation and similarity
    values) go in as they are, found by name: ``BLOCK__...`` among the feature names given to
    :meth:`fit` (a feature union's ``get_feature_names_out()``), or among the columns of a DataFrame. The trees' probabilities are calibrated by temperature
    scaling on out-of-fold scores, as :class:`CalibratedLinearClassifier` does.

    Args:
        estimator: The linear model (cloned); default :class:`CalibratedLinearClassifier`.
        dense_blocks: The feature blocks whose columns the trees read directly (``()``: none), e.g.
            ``("relation", "similarity")``: every column named ``relation__...`` or ``similarity__...``.
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
        dense_index_: The column numbers of the dense columns, in the order of ``X``.
        dense_names_: Their names.
        linear_: The linear model fitted on all rows.
        booster_: The fitted :class:`~sklearn.ensemble.HistGradientBoostingClassifier`.
        n_iter_: Boosting iterations run.
        temperature_: Divides the trees' raw scores before the softmax.
    """

    def __init__(self, estimator: Any = None, dense_blocks: tuple[str, ...] = (), cv: int = 3, max_iter: int = 200,
                 learning_rate: float = 0.05, max_leaf_nodes: int = 15, min_samples_leaf: int = 20,
                 l2_regularization: float = 1.0, class_weight: Any = "balanced", early_stopping: bool = True,
                 calibration_folds: int = 3, random_state: int = 0) -> None:
        self.estimator = estimator
        self.dense_blocks = dense_blocks
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

    def fit(self, X: Any, y: Any, feature_names: Any = None) -> BoostedStage:
        """Fit the linear model, then the trees on its out-of-fold probabilities and the dense columns.

        Args:
            X: The features.
            y: The labels.
            feature_names: The name of each column of ``X`` (default: a DataFrame's column names);
                needed when ``dense_blocks`` names any block.

        Raises:
            TrainingError: (a ValueError) When ``dense_blocks`` is given without feature names, the
                names do not match the columns, or a block has no column among them.
        """
        X, y = validate_data(self, X, y, accept_sparse="csr")
        self.classes_, encoded = encode_classes(y)
        self.dense_index_, self.dense_names_ = self._dense_columns(X.shape[1], feature_names)
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

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Pickled before columns were found by name: it read its last ``dense_columns`` columns
        # (kept for _stack); ``dense_blocks`` keeps get_params, repr and clone working.
        if "dense_blocks" not in state:
            state = {**state, "dense_blocks": ()}
        super().__setstate__(state)

    def _dense_columns(self, n_columns: int, feature_names: Any) -> tuple[np.ndarray, np.ndarray]:
        """The numbers and names of the columns of the ``dense_blocks``, in column order."""
        blocks = tuple(self.dense_blocks)
        if not blocks:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)
        names = feature_names if feature_names is not None else getattr(self, "feature_names_in_", None)
        if names is None:
            raise errors.TrainingError.of(errors.BOOSTED_NEEDS_NAMES, blocks=blocks)
        names = np.asarray(names, dtype=object)
        if len(names) != n_columns:
            raise errors.TrainingError.of(errors.FEATURE_NAMES_COUNT, n_names=len(names), n_columns=n_columns)
        prefixes = tuple(f"{block}__" for block in blocks)
        index = np.flatnonzero([str(name).startswith(prefixes) for name in names])
        missing = [b for b in blocks if not any(str(n).startswith(f"{b}__") for n in names[index])]
        if missing:
            raise errors.TrainingError.of(errors.BOOSTED_NO_COLUMN, missing=missing, first=missing[0])
        return index, names[index]

    def _stack(self, proba: np.ndarray, X: Any) -> np.ndarray:
        """The trees' input: log-probabilities of the linear model, then the dense columns of ``X``."""
        if hasattr(self, "dense_index_"):
            dense = X[:, self.dense_index_]
        else:  # fitted before columns were found by name: the last dense_columns columns
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

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
