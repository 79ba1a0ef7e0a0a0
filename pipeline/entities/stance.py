"""Stance toward each entity: a target-dependent sentiment classifier and its use on a doc.

:class:`EntityStanceClassifier` is a scikit-learn classifier over ``(sentence, start, end)``
samples: :class:`~pipeline.features.mention.TargetFeaturizer` then a logistic regression,
calibrated by cross-validation. :func:`~.attach.attach_stance` asks it (or its array form,
:mod:`pipeline.models.entity_stance_arrays`) about every sentence that mentions an entity and averages the probabilities.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from .. import errors
from ..corpus.datasets.newsmtsc import read_newsmtsc
from ..features.mention import Sample, TargetFeaturizer, check_samples
from .attach import attach_stance  # noqa: F401  (its home before the array form: kept importable here)

LABELS = ("negative", "neutral", "positive")


class EntityStanceClassifier(ClassifierMixin, BaseEstimator):
    """Sentiment toward one mention in one sentence: negative, neutral or positive.

    Args:
        window: Tokens left and right of the mention that get positional features.
        min_df: Minimum number of training samples a sparse feature must occur in.
        mention_words: Whether the mention's own words are features.
        lexicon_weight: Scale of the dense lexicon features (0 turns them off).
        C: Inverse regularisation strength of the logistic regression.
        class_weight: Passed to the logistic regression (``"balanced"`` or None).
        calibration: ``"sigmoid"``, ``"isotonic"`` or None (the regression's own softmax).
        cv: Folds used to calibrate.
        max_iter: Iterations of the solver.
    """

    def __init__(self, window: int = 5, min_df: int = 2, mention_words: bool = True,
                 lexicon_weight: float = 1.0, C: float = 0.1,
                 class_weight: str | None = "balanced", calibration: str | None = "sigmoid",
                 cv: int = 5, max_iter: int = 3000) -> None:
        self.window = window
        self.min_df = min_df
        self.mention_words = mention_words
        self.lexicon_weight = lexicon_weight
        self.C = C
        self.class_weight = class_weight
        self.calibration = calibration
        self.cv = cv
        self.max_iter = max_iter

    def fit(self, X: Iterable[Sample], y: Sequence[str]) -> EntityStanceClassifier:
        """Learn features and weights from ``(sentence, start, end)`` samples and labels.

        Raises:
            InputError: When a sample is malformed.
            TrainingError: When the labels hold fewer than two classes or do not match X.
        """
        X = check_samples(X)
        y = np.asarray(y)
        if len(y) != len(X):
            raise errors.TrainingError(errors.STANCE_LENGTH_MISMATCH.format(samples=len(X), labels=len(y)))
        classes, counts = np.unique(y, return_counts=True)
        if len(classes) < 2:
            raise errors.TrainingError(errors.STANCE_ONE_CLASS.format(classes=classes.tolist()))
        self.featurizer_ = TargetFeaturizer(window=self.window, min_df=self.min_df,
                                            mention_words=self.mention_words,
                                            lexicon_weight=self.lexicon_weight)
        features = self.featurizer_.fit_transform(X)
        linear = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter)
        folds = min(self.cv, int(counts.min()))
        if self.calibration and folds >= 2:
            self.model_ = CalibratedClassifierCV(linear, method=self.calibration, cv=folds,
                                                 ensemble=False).fit(features, y)
        else:
            self.model_ = linear.fit(features, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X: Iterable[Sample]) -> np.ndarray:
        """Return ``(n_samples, n_classes)`` probabilities, columns in ``classes_`` order."""
        check_is_fitted(self, "model_")
        X = check_samples(X)
        if not X:
            return np.zeros((0, len(self.classes_)))
        return self.model_.predict_proba(self.featurizer_.transform(X))

    def predict(self, X: Iterable[Sample]) -> np.ndarray:
        """Return the most probable label of each ``(sentence, start, end)`` sample."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)] if len(proba) else np.asarray([], dtype=object)

    def linear_model(self) -> LogisticRegression:
        """Return the fitted logistic regression (for explanations of its weights)."""
        check_is_fitted(self, "model_")
        if isinstance(self.model_, CalibratedClassifierCV):
            return self.model_.calibrated_classifiers_[0].estimator
        return self.model_


def train_entity_stance(path: str | Path, **params: Any) -> EntityStanceClassifier:
    """Train the entity-stance model on a NewsMTSC file.

    Args:
        path: NewsMTSC ``train.jsonl`` (or any file of that format).
        **params: Parameters of :class:`EntityStanceClassifier`.

    Returns:
        The fitted classifier.
    """
    samples, labels = read_newsmtsc(path)
    return EntityStanceClassifier(**params).fit(samples, labels)
