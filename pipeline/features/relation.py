"""Target-aware features: how a piece's text relates to its target (e.g. a body to a headline claim).

:func:`relation_values` computes the dense values of :data:`RELATION_NAMES` from normalised
tokens; :class:`RelationFeatures` and :class:`MentionContext` are feature blocks that
``pipeline.features.union.build_features`` adds for pieces with a target (the similarity block is
:mod:`pipeline.features.similarity`). Besides overlap and
similarity, some values read the headline *by* the body: cue words close to the headline's
terms, and whether the sentence closest to the headline negates where the headline does not.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from spacy.lang.en.stop_words import STOP_WORDS

from ..lexicon import NEGATION

RELATION_NAMES = ("target_coverage", "target_jaccard", "target_sentence_share", "target_in_lead",
                  "refute_near", "hedge_near", "report_near", "refute_target", "hedge_target", "question_target",
                  # headline by body (appended, so models fitted with the first 10 keep reading those)
                  "best_sentence_coverage", "lead_coverage", "stem_coverage", "bigram_coverage",
                  "refute_window", "hedge_window", "report_window",
                  "refute_best", "hedge_best", "negation_best", "negation_mismatch")
# Cue words for a text's relation to a claim (as in the FNC-1 baseline and its entrants):
# denial and debunking, hedging and attribution.
REFUTE = frozenset(
    "fake fraud hoax false deny denies denied denial not despite nope doubt doubts bogus debunk debunks "
    "debunked refute refutes refuted retract retracts retracted untrue misleading wrong incorrect myth "
    "rumor rumour satire satirical parody fabricated baseless never no nothing neither nor".split())
HEDGE = frozenset(
    "allegedly reportedly apparently purportedly claim claims claimed claiming rumored rumoured rumors "
    "rumours unconfirmed unverified appears appear appeared seems seem may might could possibly perhaps "
    "suggest suggests suggested believed according report reports reported purported supposedly".split())
REPORT = frozenset("said says told confirmed confirms confirm announced stated revealed shows showed".split())
# Tokens either side of a headline term within which a cue word counts as aimed at the claim.
WINDOW = 6
LEAD_SENTENCES = 3
STEM = 5


def content_words(words: list[str]) -> set[str]:
    """The words of ``words`` that carry content (:func:`is_content_word`)."""
    return {w for w in words if is_content_word(w)}


def is_content_word(word: str) -> bool:
    """Whether ``word`` carries content: not a stop word, with a letter or digit."""
    return word not in STOP_WORDS and any(c.isalnum() for c in word)


def relation_values(target_words: list[str], sentences: list[list[str]], words: list[str]) -> tuple[float, ...]:
    """The :data:`RELATION_NAMES` values of one text toward its target.

    Args:
        target_words: The target's normalised tokens.
        sentences: The text's sentences (headline first when the piece has one), normalised tokens.
        words: The text's normalised tokens as the features read them (title and cut body).

    Returns:
        One value per name of :data:`RELATION_NAMES`, each in [0, 1]; all 0 when the target has no
        content word.
    """
    content = content_words(target_words)
    if not content:
        return (0.0,) * len(RELATION_NAMES)
    vocab = set(words)
    hits = [s for s in sentences if content.intersection(s)]
    coverage = len(content & vocab) / len(content)
    jaccard = len(content & vocab) / len(content | vocab) if vocab else 0.0
    share = len(hits) / len(sentences) if sentences else 0.0
    lead = float(bool(sentences) and bool(content.intersection(sentences[0])))
    near_words = [w for s in hits for w in s]
    cues = [_cue_rate(near_words, cue) for cue in (REFUTE, HEDGE, REPORT)]
    target_cues = [float(bool(REFUTE.intersection(target_words))), float(bool(HEDGE.intersection(target_words))),
                   float("?" in target_words)]
    return (coverage, jaccard, share, lead, *cues, *target_cues, *_by_body(target_words, content, sentences, words))


def _by_body(target_words: list[str], content: set[str], sentences: list[list[str]],
             words: list[str]) -> list[float]:
    """Headline-by-body values: best sentence, lead, stems, bigrams, cues near terms, negation."""
    overlaps = [len(content.intersection(s)) / len(content) for s in sentences]
    best = sentences[int(np.argmax(overlaps))] if sentences and max(overlaps) > 0 else []
    lead_words = {w for s in sentences[:LEAD_SENTENCES] for w in s}
    stems = {w[:STEM] for w in words}
    target_stems = {w[:STEM] for w in content}
    pairs = {(a, b) for a, b in zip(target_words, target_words[1:]) if a in content or b in content}
    body_pairs = set(zip(words, words[1:]))
    window = [_window_rate(words, content, cue) for cue in (REFUTE, HEDGE, REPORT)]
    negated_target = bool(NEGATION.intersection(target_words))
    negated_best = bool(NEGATION.intersection(best))
    return [max(overlaps, default=0.0), len(content & lead_words) / len(content),
            len(target_stems & stems) / len(target_stems), len(pairs & body_pairs) / len(pairs) if pairs else 0.0,
            *window, float(bool(REFUTE.intersection(best))), float(bool(HEDGE.intersection(best))),
            float(negated_best), float(bool(best) and negated_best != negated_target)]


def _window_rate(words: list[str], content: set[str], cues: frozenset[str]) -> float:
    """Share of the text's mentions of target terms with a cue word within :data:`WINDOW` tokens."""
    is_cue = np.fromiter((w in cues for w in words), dtype=bool, count=len(words))
    at = [i for i, w in enumerate(words) if w in content]
    if not at or not is_cue.any():
        return 0.0
    # Cumulative cue counts make each window a difference of two look-ups.
    cum = np.concatenate([[0], np.cumsum(is_cue)])
    idx = np.asarray(at)
    lo, hi = np.clip(idx - WINDOW, 0, len(words)), np.clip(idx + WINDOW + 1, 0, len(words))
    return float(((cum[hi] - cum[lo]) > 0).mean())


def _cue_rate(words: list[str], cues: frozenset[str]) -> float:
    """Cue words per 100 words, squashed to [0, 1) so that long texts do not dominate."""
    if not words:
        return 0.0
    rate = 100.0 * sum(w in cues for w in words) / len(words)
    return rate / (1.0 + rate)


class RelationFeatures(TransformerMixin, BaseEstimator):
    """The dense text-target relation features of each sample, as a sparse matrix."""

    def fit(self, X: Any, y: Any = None) -> RelationFeatures:
        """Remember how many relation values there are (models saved earlier had 4, then 10)."""
        self.n_relation_ = len(RELATION_NAMES)
        return self

    def transform(self, X: Any) -> sparse.csr_matrix:
        """One row of :data:`RELATION_NAMES` values per sample."""
        n = getattr(self, "n_relation_", 4)
        values = np.zeros((len(X), n), dtype=np.float64)
        for i, sample in enumerate(X):
            row = sample.relation[:n]
            values[i, : len(row)] = row
        return sparse.csr_matrix(values)

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
