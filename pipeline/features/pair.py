"""Features of a (target, text) pair for stance toward a target nobody labelled.

A model that has to read stance toward *any* target cannot learn words per target; it has to
learn how a text relates to a target it has never seen. These features say that in terms that
transfer: the sentence embeddings of target (``u``) and text (``v``) combined as ``u * v`` and
``|u - v|`` (what the two share and where they differ, as in InferSent / SBERT classifiers),
``v`` itself (how the text argues: endorsing, attacking, reporting), the cosine of the two and the
best cosine of a passage of the text to the target (a long text can be about the target in one
paragraph only), and the lexical relation values of :mod:`pipeline.features.relation` (overlap,
refuting / hedging cue words near the target's terms, negation), computed on plain word tokens so
that no spaCy pipeline is needed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from .target_relation import RELATION_NAMES, relation_values

# Texts are embedded from their first MAX_WORDS words (MiniLM reads at most 256 word pieces);
# passages are PASSAGE_WORDS-word windows of the first MAX_PASSAGE_WORDS words.
MAX_WORDS = 128
PASSAGE_WORDS = 40
MAX_PASSAGE_WORDS = 200
_WORD = re.compile(r"\w+(?:'\w+)?|[?!]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def words(text: str) -> list[str]:
    """Lower-case word tokens (and ``?`` / ``!``, which the relation values read)."""
    return _WORD.findall(text.lower())


def cut(text: str, n: int = MAX_WORDS) -> str:
    """The first ``n`` white-space words of ``text``, single-spaced (what is embedded)."""
    return " ".join(text.split()[:n])


def passages(text: str) -> list[str]:
    """Windows of :data:`PASSAGE_WORDS` words over the first :data:`MAX_PASSAGE_WORDS` words.

    Empty for texts no longer than one window plus a few words (their whole-text embedding is
    their one passage).
    """
    tokens = text.split()[:MAX_PASSAGE_WORDS]
    if len(tokens) <= PASSAGE_WORDS + 8:
        return []
    return [" ".join(tokens[i:i + PASSAGE_WORDS]) for i in range(0, len(tokens), PASSAGE_WORDS)
            if len(tokens[i:i + PASSAGE_WORDS]) >= 8]


def relation_row(target: str, text: str) -> tuple[float, ...]:
    """The :data:`~pipeline.features.relation.RELATION_NAMES` values of ``text`` toward ``target``."""
    sentences = [words(s) for s in _SENTENCE.split(text) if s.strip()]
    return relation_values(words(target), [s for s in sentences if s], words(text))


PAIR_SCALARS = ("cosine", "best_passage_cosine", "mean_passage_cosine", "log_words", "log_target_words")


def pair_features(u: np.ndarray, v: np.ndarray, passage_cosines: Sequence[Sequence[float]],
                  relations: np.ndarray, n_words: Sequence[int], n_target_words: Sequence[int]) -> np.ndarray:
    """One row per pair: ``[v, u*v, |u-v|, scalars, relation values]`` as float32.

    Args:
        u: Unit-length target embeddings, one row per pair.
        v: Unit-length text embeddings, one row per pair.
        passage_cosines: Per pair, the cosines of the text's passages to the target (may be empty).
        relations: The relation values, one row per pair (:func:`relation_row`).
        n_words: Words in each text.
        n_target_words: Words in each target.
    """
    cosine = np.sum(u * v, axis=1)
    best = np.array([max(c) if len(c) else s for c, s in zip(passage_cosines, cosine)], dtype=np.float32)
    mean = np.array([float(np.mean(c)) if len(c) else s for c, s in zip(passage_cosines, cosine)], dtype=np.float32)
    scalars = np.column_stack([cosine, best, mean, np.log1p(np.asarray(n_words, dtype=np.float32)),
                               np.log1p(np.asarray(n_target_words, dtype=np.float32))])
    return np.hstack([v, u * v, np.abs(u - v), scalars, np.asarray(relations, dtype=np.float32)]).astype(np.float32)


def feature_names(dim: int) -> list[str]:
    """The names of :func:`pair_features`' columns for ``dim``-dimensional embeddings."""
    return ([f"text_{i}" for i in range(dim)] + [f"product_{i}" for i in range(dim)]
            + [f"difference_{i}" for i in range(dim)] + list(PAIR_SCALARS) + list(RELATION_NAMES))
