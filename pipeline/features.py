"""scikit-learn transformers that turn processed pieces into feature matrices.

Each piece becomes a :class:`Sample`: its normalised tokens, and (when it has a target)
the target's tokens and the sentences that mention the target. Feature blocks are named
steps of a ``FeatureUnion``, so a later feature is one more entry in :func:`build_features`,
and every parameter stays addressable as ``features__words__tfidf__min_df``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import FeatureUnion, Pipeline

from .nlp import Lexical, Processor
# The target-aware blocks live in .relation; these names are re-exported from here.
from .relation import (HEDGE, REFUTE, RELATION_NAMES, REPORT, MentionContext, RelationFeatures,  # noqa: F401
                       TargetSimilarity, content_words, relation_values)
from .tfidf import FastTfidfVectorizer, SplitTokens

_URL = re.compile(r"(?:https?://|www\.)\S+|\S+\.(?:com|org|net|gov|edu|co\.uk)(?:/\S*)?", re.I)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_DIGITS = re.compile(r"\d")
# Cheap test for anything _URL could match: most texts have no URL, and _URL is slow to rule out.
_MAYBE_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|gov|edu|co\.uk)", re.I)
# Cheaper still: plain substring tests on the lower-cased text, true wherever _MAYBE_URL matches
# (a third of the time _MAYBE_URL took on AllSides articles).
_URL_MARKERS = ("://", "www.", ".com", ".org", ".net", ".gov", ".edu", ".co.uk")


# Bump whenever the features a piece gets change (normalisation, Sample fields, blocks):
# models record it, and one made with another version is refused instead of mispredicting.
FEATURES_VERSION = 4
# Bodies are cut at this many characters per token of ``max_tokens`` before tokenising: the
# first 1,000 tokens of 300 long AllSides articles took 5,257 characters at the median and 5,982
# at most, so the cut almost never removes a token that would have been read, and long articles
# no longer spend most of the tokenizer's time on words that are then thrown away.
CHARS_PER_TOKEN = 7


@dataclass(frozen=True, slots=True)
class Sample:
    """What the feature transformers see of one piece.

    Attributes:
        text: Normalised tokens of title and body, space-joined.
        target: Normalised tokens of the target ("" when none).
        near: Tokens of the sentences that mention a content word of the target.
        relation: Dense text-target relation features (see :data:`RELATION_NAMES`).
        group: The piece's source (outlet); lets ``min_sources`` drop outlet fingerprints.
    """

    text: str
    target: str = ""
    near: str = ""
    relation: tuple[float, ...] = (0.0,) * len(RELATION_NAMES)
    group: str = ""



def normalise_tokens(tokens: str) -> str:
    """Lower-case, mask URLs, e-mails and @handles, and write every digit as 0."""
    lower = tokens.lower()
    if "@" not in tokens and not any(marker in lower for marker in _URL_MARKERS):
        return _DIGITS.sub("0", lower)  # nothing to mask: most texts, and no slow regex search
    if "@" in tokens:
        tokens = _EMAIL.sub("<email>", tokens)  # before URLs: "a@b.org" also looks like a domain
    if _MAYBE_URL.search(tokens):
        tokens = _URL.sub("<url>", tokens)
    if "@" in tokens:
        tokens = _HANDLE.sub("@user", tokens)
    return _DIGITS.sub("0", tokens.lower())


def make_sample(body: Lexical, title: Lexical | None = None, target: Lexical | None = None,
                *, max_tokens: int = 1000) -> Sample:
    """Build the :class:`Sample` of one piece from its processed title, body and target."""
    words = normalise_tokens(body.tokens).split()
    head = normalise_tokens(title.tokens).split() if title is not None else []
    text = " ".join(head + words[:max_tokens])
    if target is None:
        return Sample(text)
    target_words = normalise_tokens(target.tokens).split()
    content = content_words(target_words)
    if not content:
        return Sample(text, " ".join(target_words))
    sentences = [normalise_tokens(s).split() for s in body.sentences(limit=max_tokens)]
    if head:
        sentences.insert(0, head)
    near = " ".join(w for s in sentences if content.intersection(s) for w in s)
    relation = relation_values(target_words, sentences, head + words[:max_tokens])
    return Sample(text, " ".join(target_words), near, relation)


def prepare_samples(pieces: list[Any], processor: Processor, *, max_tokens: int = 1000,
                    progress: Any = None) -> list[Sample]:
    """Tokenise the titles, bodies and targets of ``pieces`` (once each) and build their samples.

    Only the first ``max_tokens`` tokens of a body are read, so bodies are cut at
    ``CHARS_PER_TOKEN * max_tokens`` characters before tokenising. Each sample's ``group`` is
    its piece's ``source``.
    """
    limit = CHARS_PER_TOKEN * max_tokens
    bodies = [_head(p.text, limit) for p in pieces]
    strings = list(dict.fromkeys(
        s for p, body in zip(pieces, bodies) for s in (body, p.title, p.target) if s
    ))
    lexical = dict(zip(strings, processor.lexical(strings, progress=progress)))
    samples = [
        make_sample(lexical[body], lexical.get(p.title) if p.title else None,
                    lexical.get(p.target) if p.target else None, max_tokens=max_tokens)
        for p, body in zip(pieces, bodies)
    ]
    return [replace(s, group=p.source) if p.source else s for s, p in zip(samples, pieces)]


def _head(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a whitespace when there is one near the end."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(" ", limit - 200, limit), text.rfind("\n", limit - 200, limit))
    return text[: cut if cut > 0 else limit]


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
        values = [getattr(sample, self.field) for sample in X]
        if not self.max_chars:
            return values
        return [v if len(v) <= self.max_chars else v[: v.rfind(" ", 0, self.max_chars) + 1 or self.max_chars]
                for v in values]

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
        if not self.dropped_:
            return list(X)
        drop = self.dropped_
        return [replace(s, text=" ".join(w for w in s.text.split() if w not in drop)) for s in X]


def build_features(config: dict[str, Any], *, use_target: bool, n_samples: int) -> FeatureUnion:
    """The feature union for one task, from the ``[features]`` section of the config.

    Args:
        config: The task's configuration (see ``default_config.toml``).
        use_target: Add target-aware blocks (the task's pieces carry targets).
        n_samples: Training set size; a tiny corpus lowers ``min_df`` to 1.
    """
    feats = config["features"]
    small = n_samples < 50
    words = _tfidf("text", ngram_range=tuple(feats["word_ngrams"]), min_df=1 if small else feats["word_min_df"],
                   max_features=feats["word_max_features"] or None)
    if feats.get("min_sources", 0) > 1 and not small:
        words.steps.insert(0, ("spread", SourceSpread(feats["min_sources"])))
    if feats.get("word_tokens_only"):  # word n-grams skip punctuation and one-character tokens
        words.named_steps["tfidf"].set_params(tokenizer=SplitTokens(r"\w\w"))
    blocks: list[tuple[str, Any]] = [("words", words)]
    lo, hi = feats["char_ngrams"]
    if hi > 0:
        chars = _tfidf("text", analyzer="char_wb", ngram_range=(lo, hi), max_chars=feats.get("char_max_chars"),
                       min_df=1 if small else feats["char_min_df"], max_features=feats["char_max_features"] or None)
        if feats.get("min_sources", 0) > 1 and not small:
            chars.steps.insert(0, ("spread", SourceSpread(feats["min_sources"])))
        blocks.append(("chars", chars))
    if feats.get("embeddings"):
        from .embeddings import SentenceEmbeddings  # optional extra: imports nothing heavy until used

        blocks.append(("embeddings", SentenceEmbeddings(feats["embeddings"])))
    # The target-aware blocks come last: their dense values are the last columns, which a
    # boosted second stage reads directly (pipeline.models.dense_width).
    if use_target and feats["target_features"]:
        blocks.append(("near", _tfidf("near", ngram_range=(1, 1), min_df=1 if small else 2)))
        if feats.get("mention_context"):
            blocks.append(("mention", MentionContext(min_df=1 if small else 2)))
        blocks.append(("relation", RelationFeatures()))
        if feats.get("similarity", True):
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
