"""A linear classifier whose probabilities are calibrated and whose decisions stay explainable.

Logistic regression with class weighting gives good rankings but skewed probabilities.
Calibration here is *temperature scaling*, fitted on out-of-fold scores. A per-class bias
would learn the class priors back and undo the class weighting, so it is left out: the
decisions stay those of the class-weighted model, only their confidence is rescaled. The
model stays linear, so every probability is explained exactly by per-feature
contributions (``coef_ * x``, already divided by the temperature).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from joblib import Parallel, delayed
from scipy.optimize import minimize
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data
from threadpoolctl import threadpool_limits


class LogitsClassifierMixin:
    """``predict_proba`` and ``predict`` of a classifier whose ``logits(X)`` gives calibrated logits.

    One home for the step every calibrated classifier here shares: probabilities are the softmax
    of the logits (one column per class, also for two classes), the prediction their argmax.
    """

    def predict_proba(self, X: Any) -> np.ndarray:
        """Calibrated class probabilities, columns in the order of ``classes_``."""
        return softmax(self.logits(X), axis=1)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each row."""
        logits = self.logits(X)  # first: it raises NotFittedError before classes_ is read
        return self.classes_[np.argmax(logits, axis=1)]


class LinearLogitsClassifierMixin(LogitsClassifierMixin):
    """:class:`LogitsClassifierMixin` for linear models over sparse features (the calibrated
    logistic regression and the word blend): scikit-learn's ``decision_function`` from the logits
    and the tag that says sparse input is accepted."""

    def decision_function(self, X: Any) -> np.ndarray:
        """Calibrated logits; for two classes, as scikit-learn expects, one column (class 1 - class 0)."""
        logits = self.logits(X)
        return logits[:, 1] - logits[:, 0] if logits.shape[1] == 2 else logits

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


class CalibratedLinearClassifier(LinearLogitsClassifierMixin, ClassifierMixin, BaseEstimator):
    """L2 logistic regression with temperature-scaling calibration of its probabilities.

    Args:
        C: Inverse regularisation strength.
        class_weight: ``"balanced"`` (default) or ``None`` or a dict.
        max_iter: Solver iterations.
        calibration_folds: Folds for the out-of-fold scores that calibration is fitted on;
            fewer when a class is rarer; 0 or 1 switches calibration off.
        random_state: Seed of the calibration folds (and of their row sample).
        calibration_max_rows: With more training rows than this (0: no limit), the calibration
            folds split a stratified random sample of this many rows: the temperature is one
            figure per model, and its estimate holds on a sample (held-out NLL within 0.001 at
            5,000 of 11,000 ARC or VAST rows, docs/benchmarks.md), while the folds' fits were most
            of the time on tens of thousands of long texts. The model itself reads every row.
        solver: scikit-learn's solver for the regression: ``"newton-cg"`` or ``"lbfgs"`` (the same
            objective; see ``classifier.solver`` in the default config for why newton-cg).
        n_jobs: Threads that fit the calibration folds and the final model side by side
            (``None``: 1). newton-cg's sparse products run without the GIL: two fits of 5,120
            ARC pairs (1.1 M columns) took 18.4 s on 2 threads against 39.6 s on one
            (L-BFGS-B's core holds it: 6 lbfgs fits of a 40,000-row problem, 8.7 s against 14.9 s).
    """

    def __init__(self, C: float = 1.0, class_weight: Any = "balanced", max_iter: int = 2000,
                 calibration_folds: int = 5, random_state: int = 0, n_jobs: int | None = None,
                 solver: str = "newton-cg", calibration_max_rows: int = 0) -> None:
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.calibration_folds = calibration_folds
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.solver = solver
        self.calibration_max_rows = calibration_max_rows

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Pickled before the settings existed: those models were fitted with lbfgs, calibrated on every row.
        state.setdefault("solver", "lbfgs")
        state.setdefault("calibration_max_rows", 0)
        super().__setstate__(state)

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> CalibratedLinearClassifier:
        """Fit the linear model on all of ``X``, and its calibration on out-of-fold scores.

        Args:
            sample_weight: Per-row weights (e.g. each source counting equally); with
                ``class_weight="balanced"`` the classes then get equal total *weight*.
        """
        X, y = validate_data(self, X, y, accept_sparse="csr")
        self.classes_, encoded = encode_classes(y)
        class_weight, weights = self.class_weight, None
        if sample_weight is not None:
            weights = _check_sample_weight(sample_weight, X, dtype=np.float64)
            totals = np.bincount(encoded, weights=weights, minlength=len(self.classes_))
            if (totals > 0).sum() < 2:
                raise ValueError("needs positive sample weights on samples of at least 2 classes; "
                                 f"only {self.classes_[totals > 0].tolist()} have any")
            if class_weight == "balanced":  # balance the classes' total weights, not their counts
                weights = weights * (weights.sum() / (len(self.classes_) * np.maximum(totals, 1e-12)))[encoded]
                class_weight = None
        base = LogisticRegression(C=self.C, class_weight=class_weight, max_iter=self.max_iter, solver=self.solver)
        sample = calibration_rows(encoded, self.calibration_max_rows, self.random_state, self.calibration_folds)
        folds = min(self.calibration_folds, int(np.bincount(encoded[sample], minlength=len(self.classes_)).min()))
        splits = [(sample[train], sample[test]) for train, test in StratifiedKFold(
            folds, shuffle=True, random_state=self.random_state).split(sample, encoded[sample])] if folds >= 2 else []

        def fit(rows: np.ndarray | None) -> LogisticRegression:
            """The regression fitted on ``rows`` of the training data (``None``: all of it, uncopied)."""
            if rows is None:
                return clone(base).fit(X, encoded, sample_weight=weights)
            return clone(base).fit(X[rows], encoded[rows], sample_weight=None if weights is None else weights[rows])

        models = fit_in_threads([delayed(fit)(rows) for rows in [None, *(train for train, _ in splits)]],
                                self.n_jobs)
        self.model_, *fold_models = models
        self.temperature_ = 1.0
        if splits:
            scores = np.zeros((len(encoded), len(self.classes_)))
            for model, (_, test) in zip(fold_models, splits):
                scores[test] = full_scores(model.decision_function(X[test]))
            self.temperature_ = fit_temperature(scores[sample], encoded[sample])
        self.n_iter_ = self.model_.n_iter_
        return self

    @property
    def coef_(self) -> np.ndarray:
        """Per-class feature weights on the calibrated logit scale (binary: 2 rows)."""
        check_is_fitted(self)
        return _full_coef(self.model_.coef_) / self.temperature_

    @property
    def intercept_(self) -> np.ndarray:
        """Per-class intercepts on the calibrated logit scale."""
        check_is_fitted(self)
        return _full_coef(self.model_.intercept_[:, None])[:, 0] / self.temperature_

    def logits(self, X: Any) -> np.ndarray:
        """Calibrated logits, one column per class (also for two classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", reset=False)
        return full_scores(self.model_.decision_function(X)) / self.temperature_


def calibration_rows(encoded: np.ndarray, max_rows: int, random_state: int = 0, least: int = 5) -> np.ndarray:
    """The rows (sorted) that calibration folds split: all of them, or, with more than
    ``max_rows`` (> 0), a random sample of about ``max_rows`` stratified by class, each class
    keeping its share and at least ``least`` rows (all of a rarer class's)."""
    if max_rows <= 0 or len(encoded) <= max_rows:
        return np.arange(len(encoded))
    rng = np.random.default_rng(random_state)
    keep = []
    for label in np.unique(encoded):
        rows = np.flatnonzero(encoded == label)
        share = max(int(round(len(rows) * max_rows / len(encoded))), least)
        keep.append(rng.choice(rows, min(share, len(rows)), replace=False))
    return np.sort(np.concatenate(keep))


def fit_in_threads(calls: list[Any], n_jobs: int | None) -> list[Any]:
    """The results of joblib ``delayed`` fitting ``calls``, run on up to ``n_jobs`` threads
    (``None``: 1), in order."""
    # The solver's dense products are small: BLAS threads only add contention (measured
    # 6x slower fits on 2 busy cores), so one BLAS thread in each fitting thread.
    with threadpool_limits(limits=1, user_api="blas"):
        return Parallel(n_jobs=min(n_jobs or 1, len(calls)), backend="threading")(calls)


def full_scores(scores: np.ndarray) -> np.ndarray:
    """Binary decision values as two columns ``[0, d]``, so every case is k-class."""
    scores = np.asarray(scores, dtype=np.float64)
    return np.column_stack([np.zeros_like(scores), scores]) if scores.ndim == 1 else scores


def _full_coef(coef: np.ndarray) -> np.ndarray:
    return np.vstack([np.zeros_like(coef), coef]) if coef.shape[0] == 1 else coef


def fit_temperature(scores: np.ndarray, y: np.ndarray) -> float:
    """The temperature T minimising the log loss of ``softmax(scores / T)``."""

    def loss(log_t: np.ndarray) -> float:
        return -log_softmax(scores * np.exp(-log_t[0]), axis=1)[np.arange(len(y)), y].mean()

    result = minimize(loss, np.zeros(1), method="L-BFGS-B", bounds=[(-3.0, 3.0)])
    return float(np.exp(result.x[0]))


def encode_classes(y: Any) -> tuple[np.ndarray, np.ndarray]:
    """The sorted classes of ``y`` and each row's class index; at least two classes, else
    scikit-learn's ValueError."""
    check_classification_targets(y)
    classes, encoded = np.unique(y, return_inverse=True)
    if len(classes) < 2:
        raise ValueError(f"needs samples of at least 2 classes; the data contains only one class: {classes[0]!r}")
    return classes, encoded
