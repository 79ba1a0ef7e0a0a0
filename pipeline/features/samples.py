"""Samples: what the feature blocks read of a processed piece.

Each piece becomes a :class:`Sample`: its normalised tokens, and (when it has a target)
the target's tokens and the sentences that mention the target. The blocks that turn samples
into a matrix are joined in :func:`pipeline.features.union.build_features`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from ..config import default
from ..lexicon import EMAIL_IN_TEXT as _EMAIL
from ..lexicon import HANDLE_IN_TEXT as _HANDLE
from ..lexicon import MAYBE_URL as _MAYBE_URL
from ..lexicon import URL_IN_TEXT as _URL
from ..lexicon import URL_MARKERS as _URL_MARKERS
from ..nlp.processor import Lexical, Processor
from ..progress import Advance

# The target relation values live in .target_relation; these names are re-exported from here.
from .target_relation import RELATION_NAMES, content_words, relation_values  # noqa: F401

_DIGITS = re.compile(r"\d")


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
                *, max_tokens: int | None = None) -> Sample:
    """Build the :class:`Sample` of one piece from its processed title, body and target.

    ``max_tokens``: tokens of the body read (None: ``features.max_tokens`` of the default config).
    """
    max_tokens = default("features", "max_tokens") if max_tokens is None else max_tokens
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


def prepare_samples(pieces: list[Any], processor: Processor, *, max_tokens: int | None = None,
                    progress: Advance | None = None) -> list[Sample]:
    """Tokenise the titles, bodies and targets of ``pieces`` (once each) and build their samples.

    Only the first ``max_tokens`` tokens of a body are read, so bodies are cut at
    ``CHARS_PER_TOKEN * max_tokens`` characters before tokenising. Each sample's ``group`` is
    its piece's ``source``. ``max_tokens`` None: ``features.max_tokens`` of the default config.
    """
    max_tokens = default("features", "max_tokens") if max_tokens is None else max_tokens
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


def field_values(samples: list[Any], field: str, max_chars: int | None = None) -> list[str]:
    """One string field of every sample, cut to its first ``max_chars`` characters at a space
    (None or 0: whole). What :class:`~pipeline.features.union.FieldSelector` and the array form of
    a feature block (:mod:`pipeline.features.tfidf_arrays`) read."""
    values = [getattr(sample, field) for sample in samples]
    if not max_chars:
        return values
    return [v if len(v) <= max_chars else v[: v.rfind(" ", 0, max_chars) + 1 or max_chars] for v in values]


def drop_words(samples: list[Any], dropped: frozenset[str]) -> list[Any]:
    """The samples with the words of ``dropped`` removed from their text (``SourceSpread``)."""
    if not dropped:
        return list(samples)
    return [replace(s, text=" ".join(w for w in s.text.split() if w not in dropped)) for s in samples]
