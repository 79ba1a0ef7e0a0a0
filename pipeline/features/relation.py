"""Target-aware feature blocks: :class:`RelationFeatures` (the values of :data:`RELATION_NAMES`, how a
piece's text relates to its target, computed in :mod:`.target_relation`) and :class:`MentionContext`,
which ``pipeline.features.union.build_features`` adds for pieces with a target (the similarity
block is :mod:`pipeline.features.similarity`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

# The values live in .target_relation (no scikit-learn there); their names are re-exported here.
from .target_relation import (  # noqa: F401
    HEDGE,
    LEAD_SENTENCES,
    REFUTE,
    RELATION_NAMES,
    REPORT,
    STEM,
    WINDOW,
    _by_body,
    _cue_rate,
    _window_rate,
    content_words,
    is_content_word,
    relation_matrix,
    relation_values,
)


class RelationFeatures(TransformerMixin, BaseEstimator):
    """The dense text-target relation features of each sample, as a sparse matrix."""

    def fit(self, X: Any, y: Any = None) -> RelationFeatures:
        """Remember how many relation values there are (models saved earlier had 4, then 10)."""
        self.n_relation_ = len(RELATION_NAMES)
        return self

    def transform(self, X: Any) -> sparse.csr_matrix:
        """One row of :data:`RELATION_NAMES` values per sample."""
        return sparse.csr_matrix(relation_matrix(X, getattr(self, "n_relation_", 4)))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The relation feature names."""
        return np.asarray(RELATION_NAMES[: getattr(self, "n_relation_", 4)], dtype=object)


class MentionContext(TransformerMixin, BaseEstimator):
    """What surrounds the target's first mention in the text, by the entity-stance featurizer.

    A sentence can be kind to one name and hard on the next ("X praised Y's plan but
    mocked Z"): the bag of words is the same for both targets, and the overlap values
    barely differ. This block finds the target in the sentences that mention it (the whole
    target, else its first content word) and gives the features that
    :class:`~pipeline.features.mention.TargetFeaturizer` gives an entity mention there: the
    words left and right by distance, its clause, lexicon valences weighted by distance and
    flipped by negation, quotation. Samples whose target is not found get an empty row.

    Args:
        window: Tokens left and right of the mention that get positional features.
        min_df: Keep a sparse feature only if at least this many training samples have it.
    """

    def __init__(self, window: int = 5, min_df: int = 2) -> None:
        self.window = window
        self.min_df = min_df

    def fit(self, X: Any, y: Any = None) -> MentionContext:
        """Learn the featurizer's vocabulary from the mentions found in ``X``."""
        from .mention import TargetFeaturizer

        found = [m for m in map(mention, X) if m is not None]
        self.featurizer_ = TargetFeaturizer(window=self.window, min_df=self.min_df, mention_words=False).fit(found)
        return self

    def transform(self, X: Any) -> sparse.csr_matrix:
        """One row of mention features per sample (empty where the target is not found)."""
        spans = [mention(s) for s in X]
        rows = np.asarray([i for i, m in enumerate(spans) if m is not None], dtype=np.int64)
        shape = (len(X), self.featurizer_.n_features_out_)
        if not len(rows):
            return sparse.csr_matrix(shape)
        found = self.featurizer_.transform([spans[i] for i in rows]).tocoo()
        return sparse.csr_matrix((found.data, (rows[found.row], found.col)), shape=shape)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The featurizer's names: its sparse features, then its dense lexicon values (``lex:...``)."""
        return self.featurizer_.get_feature_names_out()


def mention(sample: Any) -> tuple[str, int, int] | None:
    """``(sentences, start, end)``: the target's first mention in the sample's near-target sentences.

    The whole target is looked for first, then its first content word found there; None when the
    sample has no target or the sentences do not mention it.
    """
    text, target = sample.near, sample.target
    if not text or not target:
        return None
    padded = f" {text} "
    at = padded.find(f" {target} ")
    if at >= 0:
        return text, at, at + len(target)
    for word in filter(is_content_word, target.split()):
        at = padded.find(f" {word} ")
        if at >= 0:
            return text, at, at + len(word)
    return None
