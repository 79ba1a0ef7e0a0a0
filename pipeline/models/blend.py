"""Where a corpus's targets are new at prediction time: the global model blended with plain words.

On corpora whose every target has a few pieces (PERSPECTRUM's claims, IBM's debate motions,
VAST's topics), no target gets weights of its own, and a test target is one the model never
saw: only the global model applies. There, its text-target blocks and character n-grams can do
worse than a plain word model (PERSPECTRUM's test split: 0.602 macro-F1 against 0.618 for plain
TF-IDF words + LogisticRegression). :class:`WordBlendClassifier` averages the calibrated logits
of the global model with those of a model over the word block alone (a lower C), which keeps the
model linear (``framing explain`` still decomposes every probability). :func:`choose_word_blend`
decides whether to blend by cross-validation with the targets held out, inside the training
pieces, as the model will meet new targets; the weight is fixed (0.5), so the choice is one bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from .linear import LinearLogitsClassifierMixin

# The weight of the global model's logits when blended (the plain word model gets the rest).
# Target-grouped CV inside the train splits, 3,000-5,000 pieces (docs/benchmarks.md): 0.5 was
# best or within 0.3 points of the best of 0.3 / 0.5 / 0.7 on PERSPECTRUM, IBM and VAST.
BLEND_WEIGHT = 0.5


class WordBlendClassifier(LinearLogitsClassifierMixin, ClassifierMixin, BaseEstimator):
    """``weight`` x the logits of ``estimator`` on every column, plus ``1 - weight`` x those of
    ``words_estimator`` on the first ``word_columns`` columns (the union's word block).

    Both estimators must be linear with calibrated ``coef_`` / ``intercept_`` (one row per class,
    :class:`~pipeline.models.linear.CalibratedLinearClassifier`); the blend keeps only the
    combined weights, so it is itself a linear model: ``coef_`` and ``intercept_``.

    Args:
        estimator: The model over every feature.
        words_estimator: The model over the word block.
        word_columns: How many leading columns the word block has (set by the trainer once the
            feature union is fitted).
        weight: The share of ``estimator``'s logits.
    """

    def __init__(self, estimator: Any = None, words_estimator: Any = None, word_columns: int = 0,
                 weight: float = BLEND_WEIGHT) -> None:
        self.estimator = estimator
        self.words_estimator = words_estimator
        self.word_columns = word_columns
        self.weight = weight

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> WordBlendClassifier:
        """Fit both estimators and keep their blended weights."""
        X = sparse.csr_matrix(X)
        if not 0 < self.word_columns <= X.shape[1]:
            raise ValueError(f"word_columns must be between 1 and the {X.shape[1]} columns; got {self.word_columns}")
        weights = {} if sample_weight is None else {"sample_weight": sample_weight}
        full = clone(self.estimator).fit(X, y, **weights)
        words = clone(self.words_estimator).fit(X[:, :self.word_columns], y, **weights)
        if list(full.classes_) != list(words.classes_):
            raise ValueError("the two estimators learnt different classes")
        self.classes_ = full.classes_
        self.n_features_in_ = X.shape[1]
        coef = self.weight * np.asarray(full.coef_, dtype=np.float64)
        coef[:, :self.word_columns] += (1 - self.weight) * np.asarray(words.coef_)
        self.coef_ = coef
        self.intercept_ = self.weight * np.asarray(full.intercept_) + (1 - self.weight) * np.asarray(words.intercept_)
        return self

    def logits(self, X: Any) -> np.ndarray:
        """The blended calibrated logits, one column per class."""
        check_is_fitted(self, "coef_")
        return np.asarray(sparse.csr_matrix(X) @ self.coef_.T) + self.intercept_


def choose_word_blend(X: Any, y: Any, groups: list[str], word_columns: int, *, C: float, words_C: float,
                      class_weight: str | None, folds: int, solver: str = "newton-cg",
                      n_jobs: int | None = None, max_pieces: int = 0, random_state: int = 0) -> bool:
    """Whether blending beats the global model alone, by macro-F1 over out-of-fold predictions
    with each target's pieces held out together (``groups``: the pieces' targets).

    Plain (uncalibrated) logistic regressions stand in for the calibrated ones, each model's
    out-of-fold scores temperature-scaled as calibration would. False when there are fewer than
    ``folds`` targets (no grouped folds to tell). ``n_jobs`` threads fit the folds' models side
    by side (the solver's sparse products run without the GIL). With more than ``max_pieces``
    pieces (0: no limit), the check reads whole targets drawn at random (``random_state``) until
    they hold ``max_pieces`` (:func:`whole_targets`): the choice is one bit, and ten fits on
    tens of thousands of long texts would cost more than the final model.
    """
    from sklearn.metrics import f1_score

    from .linear import fit_temperature

    if max_pieces > 0 and len(groups) > max_pieces:
        rows = whole_targets(groups, max_pieces, random_state)
        X, y, groups = sparse.csr_matrix(X)[rows], np.asarray(y)[rows], [groups[i] for i in rows]
    if len(set(groups)) < max(folds, 2):
        return False
    _, encoded = np.unique(np.asarray(y), return_inverse=True)
    scores = out_of_fold_scores(X, encoded, groups, word_columns, C=C, words_C=words_C,
                                class_weight=class_weight, folds=folds, solver=solver, n_jobs=n_jobs)
    if scores is None:
        return False
    calibrated = {name: s / fit_temperature(s, encoded) for name, s in scores.items()}
    blended = BLEND_WEIGHT * calibrated["full"] + (1 - BLEND_WEIGHT) * calibrated["words"]
    alone = f1_score(encoded, calibrated["full"].argmax(axis=1), average="macro")
    return bool(f1_score(encoded, blended.argmax(axis=1), average="macro") > alone)


def whole_targets(groups: list[str], max_pieces: int, random_state: int = 0) -> np.ndarray:
    """The rows (sorted) of targets drawn at random, whole, until they hold at least
    ``max_pieces`` pieces (the last target drawn may take the count past it)."""
    names, index, counts = np.unique(np.asarray(groups, dtype=object), return_inverse=True, return_counts=True)
    order = np.random.default_rng(random_state).permutation(len(names))
    taken = order[:int(np.searchsorted(np.cumsum(counts[order]), max_pieces)) + 1]
    return np.flatnonzero(np.isin(index, taken))


def out_of_fold_scores(X: Any, encoded: np.ndarray, groups: list[str], word_columns: int, *, C: float,
                       words_C: float, class_weight: str | None, folds: int, solver: str = "newton-cg",
                       n_jobs: int | None = None) -> dict[str, np.ndarray] | None:
    """The full and word-block models' out-of-fold decision scores (``"full"``, ``"words"``: one
    column per class), with each group held out together; None when a fold lacks some class.

    Each fold's regression reads only the columns its training rows use: with L2 a column that
    is zero on every training row gets weight 0, so dropping it changes no score, and the held-out
    targets' own columns (per-target copies) would otherwise be most of the solver's work.
    """
    from joblib import delayed
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    from .linear import fit_in_threads, full_scores

    X = sparse.csr_matrix(X)
    splits = list(GroupKFold(folds).split(X, encoded, groups))  # no shuffle: scikit-learn < 1.6 has none
    n_classes = int(encoded.max()) + 1
    if any(len(np.unique(encoded[train])) < n_classes for train, _ in splits):
        return None  # a fold without some label: too few targets to tell

    def fold_scores(train: np.ndarray, test: np.ndarray, cols: int | None, c: float) -> np.ndarray:
        """One model's scores on ``test``, fitted on ``train`` over the columns those rows use
        (of the first ``cols`` columns; None: of all)."""
        rows = X[train]
        used = np.unique(rows.indices)
        if cols is not None:
            used = used[used < cols]
        rows = rows[:, used]  # the uncompacted copy goes here, before the fit
        model = LogisticRegression(C=c, class_weight=class_weight, max_iter=2000, solver=solver)
        model.fit(rows, encoded[train])
        return full_scores(model.decision_function(X[test][:, used]))

    jobs = [(name, test, delayed(fold_scores)(train, test, cols, c)) for train, test in splits
            for name, cols, c in (("full", None, C), ("words", word_columns, words_C))]
    results = fit_in_threads([job for *_, job in jobs], n_jobs)
    scores = {name: np.zeros((len(encoded), n_classes)) for name in ("full", "words")}
    for (name, test, _), result in zip(jobs, results):
        scores[name][test] = result
    return scores
