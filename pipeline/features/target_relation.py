"""How a piece's text relates to its target, as numbers: the values of :data:`RELATION_NAMES`.

:func:`relation_values` computes them from normalised tokens (each :class:`~.samples.Sample`
carries its own); :func:`relation_matrix` lays them out for the ``relation`` feature block
(:class:`~.relation.RelationFeatures`, and its array form). Besides overlap and similarity,
some values read the headline *by* the body: cue words close to the headline's terms, and
whether the sentence closest to the headline negates where the headline does not. Nothing here
imports scikit-learn or SciPy.
"""

from __future__ import annotations

from typing import Any

import numpy as np
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


def relation_matrix(samples: list[Any], n: int) -> np.ndarray:
    """The first ``n`` relation values of every sample, one row each (zeros past a sample's own)."""
    values = np.zeros((len(samples), n), dtype=np.float64)
    for i, sample in enumerate(samples):
        row = sample.relation[:n]
        values[i, : len(row)] = row
    return values
