"""The learned line classifier: gradient boosting for "is it article text", a linear model for the rest.

Whether a line is article text decides what is kept, so it gets the stronger model: binary
gradient boosting over the line features (:func:`.features.line_features`, which already hold
the neighbours' features and windows around the line). What a non-article line is (headline,
byline or other furniture) only matters for the few lines at the top of an article, so a
multinomial logistic regression reads it; one boosted tree per iteration instead of one per
class keeps cleaning fast. A second pass over the neighbours' first-pass scores (a stacked,
CRF-like model) was tried and scored lower in page-grouped CV (F1 0.869 against 0.881 at the
same threshold), so it is not used.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from .align import LABELS

__all__ = ["LineClassifier"]


class LineClassifier(ClassifierMixin, BaseEstimator):
    """Labels lines as article, headline, byline or furniture.

    Args:
        max_iter: Boosting iterations of the article model.
        learning_rate: Its learning rate.
        max_leaf_nodes: Leaves per tree.
        C: Inverse regularisation of the linear model for the kind of non-article lines.
        random_state: Seed of the boosting.
    """

    def __init__(self, *, max_iter: int = 120, learning_rate: float = 0.1, max_leaf_nodes: int = 31,
                 C: float = 1.0, random_state: int = 0) -> None:
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.C = C
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: Sequence[str]) -> LineClassifier:
        """Fit both models on line features ``X`` and labels ``y`` (from :data:`.align.LABELS`)."""
        X, y = np.asarray(X, np.float32), np.asarray(y)
        unknown = set(y.tolist()) - set(LABELS)
        if unknown:
            raise ValueError(f"unknown line labels {sorted(unknown)}; expected some of {LABELS}")
        self.classes_ = np.array([c for c in LABELS if c in set(y.tolist())])
        self.article_ = HistGradientBoostingClassifier(
            max_iter=self.max_iter, learning_rate=self.learning_rate, max_leaf_nodes=self.max_leaf_nodes,
            early_stopping=False, random_state=self.random_state).fit(X, y == "article")
        rest = y != "article"
        # Balanced: headlines and bylines are 3% of the other lines, and the title is read from them.
        self.kind_ = make_pipeline(StandardScaler(),
                                   LogisticRegression(C=self.C, max_iter=2000, class_weight="balanced"))
        self.kind_.fit(X[rest], y[rest])
        self.n_features_in_ = X.shape[1]
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probabilities of :attr:`classes_` per line: P(article), and (1 - P(article)) shared
        among the other labels as the linear model reads them."""
        X = np.asarray(X, np.float32)
        article = self.article_.predict_proba(X)[:, list(self.article_.classes_).index(True)]
        kinds = self.kind_.predict_proba(X)
        out = np.zeros((len(X), len(self.classes_)))
        columns = list(self.classes_)
        out[:, columns.index("article")] = article
        for k, label in enumerate(self.kind_.classes_):
            out[:, columns.index(label)] = (1.0 - article) * kinds[:, k]
        return out

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The most probable label of each line."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
