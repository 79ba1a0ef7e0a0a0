"""Stance toward each entity: a target-dependent sentiment classifier and its use on a doc.

:class:`EntityStanceClassifier` is a scikit-learn classifier over ``(sentence, start, end)``
samples: :class:`~pipeline.features.mention.TargetFeaturizer` then a logistic regression,
calibrated by cross-validation. :func:`attach_stance` asks it about every sentence that
mentions an entity and averages the probabilities.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted
from spacy.tokens import Doc

from .. import errors
from ..corpus.datasets.newsmtsc import read_newsmtsc
from ..features.mention import Sample, TargetFeaturizer, check_samples
from .types import Entity, doc_text

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


def attach_stance(entities: list[Entity], doc: Doc, model: EntityStanceClassifier) -> list[Entity]:
    """Fill each entity's ``stance`` and ``stance_proba`` from the sentences that mention it.

    Every mention is classified in its sentence (``doc.sents`` when the doc has sentence
    boundaries, else the whole text); the entity's probabilities are the mean over mentions.

    Args:
        entities: Entities of ``doc``, e.g. from :func:`~pipeline.entities.extract.extract_entities`.
        doc: The spaCy ``Doc`` the entities' mention offsets point into.
        model: A fitted :class:`EntityStanceClassifier`.

    Returns:
        The same entities, updated in place.

    Raises:
        ModelError: When the model is not fitted.
    """
    if not hasattr(model, "model_"):
        raise errors.ModelError(errors.STANCE_NOT_FITTED)
    bounds = _sentence_bounds(doc)
    starts = [a for a, _ in bounds]
    samples, owners = [], []
    for k, entity in enumerate(entities):
        for start, end in entity.mentions:
            s0, s1 = _sentence_of(bounds, starts, start, len(doc_text(doc)))
            end = min(end, s1)
            if end > start:
                samples.append((doc_text(doc)[s0:s1], start - s0, end - s0))
                owners.append(k)
    if not samples:
        return entities
    proba = model.predict_proba(samples)
    owners_arr = np.asarray(owners)
    for k, entity in enumerate(entities):
        rows = proba[owners_arr == k]
        if len(rows):
            mean = rows.mean(axis=0)
            entity.stance_proba = {str(c): float(p) for c, p in zip(model.classes_, mean)}
            entity.stance = str(model.classes_[int(np.argmax(mean))])
    return entities


def _sentence_of(bounds: list[tuple[int, int]], starts: list[int], offset: int,
                 length: int) -> tuple[int, int]:
    """The sentence ``(start, end)`` holding character ``offset``, else the whole text: the
    sentences are in order and do not overlap, so only the last one starting at or before
    ``offset`` can hold it."""
    k = bisect_right(starts, offset) - 1
    if k >= 0 and offset < bounds[k][1]:
        return bounds[k]
    return 0, length


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the doc's sentences, or one span for the whole text."""
    if doc.has_annotation("SENT_START"):
        return [(sent.start_char, sent.end_char) for sent in doc.sents]
    return [(0, len(doc_text(doc)))]
