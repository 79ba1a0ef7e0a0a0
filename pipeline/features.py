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
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from spacy.lang.en.stop_words import STOP_WORDS

from .nlp import Lexical, Processor

_URL = re.compile(r"(?:https?://|www\.)\S+|\S+\.(?:com|org|net|gov|edu|co\.uk)(?:/\S*)?", re.I)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_DIGITS = re.compile(r"\d")
# Cheap test for anything _URL could match: most texts have no URL, and _URL is slow to rule out.
_MAYBE_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|gov|edu|co\.uk)", re.I)


# Bump whenever the features a piece gets change (normalisation, Sample fields, blocks):
# models record it, and one made with another version is refused instead of mispredicting.
FEATURES_VERSION = 4
# Bodies are cut at this many characters per token of ``max_tokens`` before tokenising: English
# news averages about 6 characters a token (with its space), so the cut almost never removes a
# token that would have been read, and long articles no longer spend most of the tokenizer's
# time on words that are then thrown away.
CHARS_PER_TOKEN = 8


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
    relation: tuple[float, ...] = (0.0,) * 10
    group: str = ""


RELATION_NAMES = ("target_coverage", "target_jaccard", "target_sentence_share", "target_in_lead",
                  "refute_near", "hedge_near", "report_near", "refute_target", "hedge_target", "question_target")
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


def normalise_tokens(tokens: str) -> str:
    """Lower-case, mask URLs, e-mails and @handles, and write every digit as 0."""
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
    content = {w for w in target_words if w not in STOP_WORDS and any(c.isalnum() for c in w)}
    if not content:
        return Sample(text, " ".join(target_words))
    sentences = [normalise_tokens(s).split() for s in body.sentences(limit=max_tokens)]
    if head:
        sentences.insert(0, head)
    hits = [s for s in sentences if content.intersection(s)]
    vocab = set(head) | set(words[:max_tokens])
    coverage = len(content & vocab) / len(content)
    jaccard = len(content & vocab) / len(content | vocab) if vocab else 0.0
    share = len(hits) / len(sentences) if sentences else 0.0
    lead = float(bool(sentences) and bool(content.intersection(sentences[0])))
    near_words = [w for s in hits for w in s]
    near = " ".join(near_words)
    cues = [_cue_rate(near_words, words) for words in (REFUTE, HEDGE, REPORT)]
    target_cues = [float(bool(REFUTE.intersection(target_words))), float(bool(HEDGE.intersection(target_words))),
                   float("?" in target_words)]
    return Sample(text, " ".join(target_words), near, (coverage, jaccard, share, lead, *cues, *target_cues))


def _cue_rate(words: list[str], cues: frozenset[str]) -> float:
    """Cue words per 100 words, squashed to [0, 1) so that long texts do not dominate."""
    if not words:
        return 0.0
    rate = 100.0 * sum(w in cues for w in words) / len(words)
    return rate / (1.0 + rate)


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


class RelationFeatures(TransformerMixin, BaseEstimator):
    """The dense text-target relation features of each sample, as a sparse matrix."""

    def fit(self, X: Any, y: Any = None) -> RelationFeatures:
        """Remember how many relation values there are (models saved earlier had 4)."""
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


class TargetSimilarity(TransformerMixin, BaseEstimator):
    """TF-IDF cosine similarity between a sample's target and its text (and near-target sentences).

    The similarity is also one-hot encoded in ``bins`` intervals, so that a linear model can
    give "barely related" and "about the same thing" weights of different signs.

    Args:
        bins: Upper edges of the similarity intervals (``()``: no binned copy).
    """

    def __init__(self, bins: tuple[float, ...] = (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.6)) -> None:
        self.bins = bins

    def fit(self, X: Any, y: Any = None) -> TargetSimilarity:
        """Learn the IDF weights from the texts and the targets."""
        self.vectorizer_ = TfidfVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False,
                                           sublinear_tf=True, stop_words=sorted(STOP_WORDS), dtype=np.float32)
        self.vectorizer_.fit([s.text for s in X] + list(dict.fromkeys(s.target for s in X)))
        return self

    def transform(self, X: Any) -> sparse.csr_matrix:
        """Per sample: cos(target, text), cos(target, near), then the one-hot bin of the first."""
        vec = self.vectorizer_
        target = vec.transform([s.target for s in X])
        sims = [np.asarray(target.multiply(vec.transform([getattr(s, f) for s in X])).sum(axis=1)).ravel()
                for f in ("text", "near")]
        columns = [*sims]
        if self.bins:
            which = np.searchsorted(np.asarray(self.bins), sims[0], side="right")
            columns += [(which == k).astype(np.float64) for k in range(len(self.bins) + 1)]
        return sparse.csr_matrix(np.column_stack(columns))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """``sim_text``, ``sim_near`` and one name per bin."""
        edges = [0.0, *self.bins]
        return np.asarray(["sim_text", "sim_near", *(f"sim_bin_{e:g}" for e in edges)] if self.bins
                          else ["sim_text", "sim_near"], dtype=object)


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
        words.named_steps["tfidf"].set_params(tokenizer=None, token_pattern=r"\S*\w\w\S*")
    blocks: list[tuple[str, Any]] = [("words", words)]
    lo, hi = feats["char_ngrams"]
    if hi > 0:
        chars = _tfidf("text", analyzer="char_wb", ngram_range=(lo, hi), max_chars=feats.get("char_max_chars"),
                       min_df=1 if small else feats["char_min_df"], max_features=feats["char_max_features"] or None)
        if feats.get("min_sources", 0) > 1 and not small:
            chars.steps.insert(0, ("spread", SourceSpread(feats["min_sources"])))
        blocks.append(("chars", chars))
    if use_target and feats["target_features"]:
        blocks.append(("near", _tfidf("near", ngram_range=(1, 1), min_df=1 if small else 2)))
        blocks.append(("relation", RelationFeatures()))
        if feats.get("similarity", True):
            blocks.append(("similarity", TargetSimilarity()))
    if feats.get("embeddings"):
        from .embeddings import SentenceEmbeddings  # optional extra: imports nothing heavy until used

        blocks.append(("embeddings", SentenceEmbeddings(feats["embeddings"])))
    return FeatureUnion(blocks)


def _tfidf(field: str, *, max_chars: int | None = None, **options: Any) -> Pipeline:
    if options.get("analyzer", "word") == "word":
        options.update(tokenizer=str.split, token_pattern=None)
    return Pipeline([
        ("select", FieldSelector(field, max_chars=max_chars)),
        ("tfidf", TfidfVectorizer(lowercase=False, sublinear_tf=True, dtype=np.float32, **options)),
    ])
