"""Target-dependent features of one mention in one sentence, for the entity-stance model:
:class:`TargetFeaturizer` (the scikit-learn block) and :func:`describe_feature` (a reader's
phrase for each of its feature names).

A sample is ``(sentence, start, end)``: the mention's character span in the sentence; the
features of one sample are :mod:`.mention_features`'.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .mention_features import _DENSE, Sample, check_samples, extract_features, feature_entries, sample_features

__all__ = ["Sample", "TargetFeaturizer", "check_samples", "describe_feature", "sample_features"]


class TargetFeaturizer(TransformerMixin, BaseEstimator):
    """Turn ``(sentence, start, end)`` samples into a sparse feature matrix.

    Args:
        window: Tokens left and right of the mention that get positional features.
        min_df: Keep a sparse feature only if at least this many training samples have it.
        mention_words: Whether the mention's own words are features.
        lexicon_weight: Scale of the dense lexicon features (0 turns them off).
    """

    def __init__(self, window: int = 5, min_df: int = 2, mention_words: bool = True,
                 lexicon_weight: float = 1.0) -> None:
        self.window = window
        self.min_df = min_df
        self.mention_words = mention_words
        self.lexicon_weight = lexicon_weight

    def _extract(self, X: Iterable[Sample]) -> list[tuple[dict[str, float], list[float]]]:
        return extract_features(X, self.window, self.mention_words)

    def fit(self, X: Iterable[Sample], y: object = None) -> TargetFeaturizer:
        """Learn the vocabulary of sparse features seen in at least ``min_df`` samples."""
        df: Counter[str] = Counter()
        for feats, _ in self._extract(X):
            df.update(feats.keys())
        kept = sorted(f for f, n in df.items() if n >= self.min_df)
        self.vocabulary_ = {f: i for i, f in enumerate(kept)}
        self.n_features_out_ = len(kept) + len(_DENSE)
        return self

    def transform(self, X: Iterable[Sample]) -> sp.csr_matrix:
        """Return the ``(n_samples, n_features_out_)`` CSR matrix of the samples' features."""
        check_is_fitted(self, "vocabulary_")
        extracted = self._extract(X)
        rows, cols, data = feature_entries(extracted, self.vocabulary_, self.lexicon_weight)
        return sp.csr_matrix((data, (rows, cols)), shape=(len(extracted), self.n_features_out_))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Return the names of the output features, sparse ones first, then the dense ones."""
        check_is_fitted(self, "vocabulary_")
        return np.asarray(list(self.vocabulary_) + ["lex:" + d for d in _DENSE], dtype=object)


_FLAGS = {"pronoun": "the mention is a pronoun", "possessive": "the mention is possessive",
          "in_quote": "the mention is inside a quotation", "has_quote": "the sentence quotes someone",
          "speaker": "the mention is the speaker (said, according to)", "neg_near": "a negation near the mention",
          "first": "the mention opens the sentence"}
_DISTANCE = {"1": "right {side} it", "2": "2-3 words {side} it", "4": "4-5 words {side} it"}
_DENSE_TEXT = {"sent": "in the sentence", "clause": "in its clause", "left": "just before it",
               "right": "just after it", "near": "weighted by nearness"}


def describe_feature(name: str) -> str:
    """A reader's phrase for one of :class:`TargetFeaturizer`'s feature names, e.g. ``Rn=mocked`` ->
    ``"mocked" after it``; unknown names come back as they are."""
    if name in _FLAGS:
        return _FLAGS[name]
    name = name.removeprefix("lex:")  # the dense lexicon values, as get_feature_names_out names them
    if name in _DENSE:
        what, _, kind = name.rpartition("_")
        if what == "clause":  # clause_max / clause_min
            return f"most {'positive' if kind == 'max' else 'negative'} word in its clause"
        return f"{'positive' if kind == 'pos' else 'negative'} words {_DENSE_TEXT[what]}"
    key, sep, value = name.partition("=")
    if key.startswith("x") and key[1:4] in ("own", "oth"):
        sign = "positive" if key[4:5] == "+" else "negative"
        aim = "aimed at the mention" if key[1:4] == "own" else "aimed at another name"
        return f'"{value}" ({sign}, {aim})' if sep else f"{sign} words {aim}"
    side = {"L": "before", "R": "after"}
    if key[:1] == "x" and len(key) == 4 and key[1] in side and key[2] in _DISTANCE and not sep:  # xL1+
        where = _DISTANCE[key[2]].format(side=side[key[1]])
        return f"{'positive' if key[3] == '+' else 'negative'} words {where}"
    if not sep:
        return name
    if key in ("Lb", "Rb"):
        return f'"{value}" just {side[key[0]]} it'
    if key in ("Ln", "Rn"):
        return f'"{value}" {side[key[0]]} it'
    if key in ("Lo", "Ro"):
        return f'"{value}" {side[key[0]]} it, past another name'
    if len(key) == 2 and key[0] in side and key[1] in _DISTANCE:
        return f'"{value}" {_DISTANCE[key[1]].format(side=side[key[0]])}'
    simple = {"u": "in the sentence", "b": "in the sentence", "c": "in its clause", "m": "in the mention"}
    if key in simple:
        return f'"{value.replace("<t>", "[mention]")}" {simple[key]}'
    if key == "pos":
        return f"mention at {int(value) * 20}-{int(value) * 20 + 20}% of the sentence"
    return name
