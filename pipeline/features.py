"""scikit-learn transformers that turn processed pieces into feature matrices.

Each piece becomes a :class:`Sample`: its normalised tokens, and (when it has a target)
the target's tokens and the sentences that mention the target. Feature blocks are named
steps of a ``FeatureUnion``, so a later feature is one more entry in :func:`build_features`,
and every parameter stays addressable as ``features__words__tfidf__min_df``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from spacy.lang.en.stop_words import STOP_WORDS

from .nlp import Lexical, Processor

_URL = re.compile(r"(?:https?://|www\.)\S+|\S+\.(?:com|org|net|gov|edu|co\.uk)(?:/\S*)?", re.I)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_DIGITS = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Sample:
    """What the feature transformers see of one piece.

    Attributes:
        text: Normalised tokens of title and body, space-joined.
        target: Normalised tokens of the target ("" when none).
        near: Tokens of the sentences that mention a content word of the target.
        relation: Dense text-target relation features (see :data:`RELATION_NAMES`).
    """

    text: str
    target: str = ""
    near: str = ""
    relation: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)


RELATION_NAMES = ("target_coverage", "target_jaccard", "target_sentence_share", "target_in_lead")


def normalise_tokens(tokens: str) -> str:
    """Lower-case, mask URLs, e-mails and @handles, and write every digit as 0."""
    tokens = _URL.sub("<url>", tokens)
    tokens = _EMAIL.sub("<email>", tokens)
    tokens = _HANDLE.sub("@user", tokens)
    return _DIGITS.sub("0", tokens.lower())


def make_sample(body: Lexical, title: Lexical | None = None, target: Lexical | None = None,
                *, max_tokens: int = 1500) -> Sample:
    """Build the :class:`Sample` of one piece from its processed title, body and target."""
    words = normalise_tokens(body.tokens).split()
    head = normalise_tokens(title.tokens).split() if title is not None else []
    text = " ".join(head + words[:max_tokens])
    if target is None:
        return Sample(text)
    target_words = normalise_tokens(target.tokens).split()
    content = {w for w in target_words if w not in STOP_WORDS and any(c.isalnum() for c in w)}
    if not content:
        return Sample(text, " ".join(target_words))
    sentences = [normalise_tokens(s).split() for s in body.sentences()]
    if head:
        sentences.insert(0, head)
    hits = [s for s in sentences if content.intersection(s)]
    vocab = set(head) | set(words[:max_tokens])
    coverage = len(content & vocab) / len(content)
    jaccard = len(content & vocab) / len(content | vocab) if vocab else 0.0
    share = len(hits) / len(sentences) if sentences else 0.0
    lead = float(bool(sentences) and bool(content.intersection(sentences[0])))
    near = " ".join(w for s in hits for w in s)
    return Sample(text, " ".join(target_words), near, (coverage, jaccard, share, lead))


def prepare_samples(pieces: list[Any], processor: Processor, *, max_tokens: int = 1500,
                    progress: Any = None) -> list[Sample]:
    """Tokenise the titles, bodies and targets of ``pieces`` (once each) and build their samples."""
    strings = list(dict.fromkeys(
        s for p in pieces for s in (p.text, p.title, p.target) if s
    ))
    lexical = dict(zip(strings, processor.lexical(strings, progress=progress)))
    return [
        make_sample(lexical[p.text], lexical.get(p.title) if p.title else None,
                    lexical.get(p.target) if p.target else None, max_tokens=max_tokens)
        for p in pieces
    ]


class FieldSelector(TransformerMixin, BaseEstimator):
    """Pick one string field out of a list of :class:`Sample` records."""

    def __init__(self, field: str = "text") -> None:
        self.field = field

    def fit(self, X: Any, y: Any = None) -> FieldSelector:
        """Nothing to learn."""
        return self

    def transform(self, X: Any) -> list[str]:
        """The field of every sample."""
        return [getattr(sample, self.field) for sample in X]

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names pass through; the vectoriser after this step names the features."""
        return np.asarray([self.field], dtype=object)


class RelationFeatures(TransformerMixin, BaseEstimator):
    """The dense text-target relation features of each sample, as a sparse matrix."""

    def fit(self, X: Any, y: Any = None) -> RelationFeatures:
        """Nothing to learn."""
        return self

    def transform(self, X: Any) -> sparse.csr_matrix:
        """One row of :data:`RELATION_NAMES` values per sample."""
        return sparse.csr_matrix(np.asarray([s.relation for s in X], dtype=np.float64).reshape(len(X), -1))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The relation feature names."""
        return np.asarray(RELATION_NAMES, dtype=object)


def build_features(config: dict[str, Any], *, use_target: bool, n_samples: int) -> FeatureUnion:
    """The feature union for one task, from the ``[features]`` section of the config.

    Args:
        config: The task's configuration (see ``default_config.toml``).
        use_target: Add target-aware blocks (the task's pieces carry targets).
        n_samples: Training set size; a tiny corpus lowers ``min_df`` to 1.
    """
    feats = config["features"]
    small = n_samples < 50
    blocks: list[tuple[str, Any]] = [
        ("words", _tfidf("text", ngram_range=tuple(feats["word_ngrams"]),
                         min_df=1 if small else feats["word_min_df"],
                         max_features=feats["word_max_features"] or None)),
    ]
    lo, hi = feats["char_ngrams"]
    if hi > 0:
        blocks.append(("chars", _tfidf("text", analyzer="char_wb", ngram_range=(lo, hi),
                                       min_df=1 if small else feats["char_min_df"],
                                       max_features=feats["char_max_features"] or None)))
    if use_target and feats["target_features"]:
        blocks.append(("near", _tfidf("near", ngram_range=(1, 1), min_df=1 if small else 2)))
        blocks.append(("relation", RelationFeatures()))
    return FeatureUnion(blocks)


def _tfidf(field: str, **options: Any) -> Pipeline:
    if options.get("analyzer", "word") == "word":
        options.update(tokenizer=str.split, token_pattern=None)
    return Pipeline([
        ("select", FieldSelector(field)),
        ("tfidf", TfidfVectorizer(lowercase=False, sublinear_tf=True, dtype=np.float32, **options)),
    ])
