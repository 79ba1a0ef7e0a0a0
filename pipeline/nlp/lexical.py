"""The ``lexical`` profile's result: :class:`Lexical` records (space-joined tokens and sentence
starts), how a worker encodes them from spaCy docs, and how the cache's bytes decode back."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, ORTH
from spacy.pipeline import Sentencizer
from spacy.strings import hash_string
from spacy.tokens import Doc

__all__ = ["SENTENCE_FINAL", "Lexical"]


SENTENCE_FINAL = frozenset(Sentencizer.default_punct_chars)


@dataclass(frozen=True, slots=True)
class Lexical:
    """A tokenised text: non-space tokens joined by single spaces, and sentence starts."""

    tokens: str
    sent_starts: tuple[int, ...]

    def sentences(self, limit: int | None = None) -> list[str]:
        """The sentences, each as space-joined tokens; with ``limit``, of the first ``limit`` tokens only."""
        words = self.tokens.split(" ") if self.tokens else []
        if limit is not None:
            words = words[:limit]
        bounds = [*(s for s in self.sent_starts if s < len(words)), len(words)]
        return [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:]) if b > a]


def _encode_lexical(docs: list[Doc], texts: list[str]) -> bytes:
    """The :class:`Lexical` record of a text tokenised in parts (one unless it was long): ``docs``
    of the parts ``texts`` (given because ``Doc.text`` rebuilds the text token by token)."""
    words: list[str] = []
    starts: list[int] = []
    for doc, text in zip(docs, texts):
        _lexical_words(doc, text, words, starts)
    return f"{' '.join(words)}\0{','.join(map(str, starts))}".encode()


def _lexical_words(doc: Doc, text: str, words: list[str], starts: list[int]) -> None:
    """Append the non-space tokens of ``doc`` (``text`` tokenised) to ``words``, and its sentence
    starts to ``starts``.

    The sentence rule is spaCy's ``sentencizer``'s, computed on token arrays rather than ``Token``
    objects (which cost more than the rule): after a sentence-final mark, the next token that is
    neither punctuation nor such a mark starts a sentence, and so does the first token. A start
    that falls on a space token moves to the next word.
    """
    if not len(doc):
        return
    idx, length, orth, is_punct, is_space = doc.to_array([IDX, LENGTH, ORTH, IS_PUNCT, IS_SPACE]).T
    final = np.isin(orth, _final_hashes())
    # State only changes at a final mark (seen) or at a candidate (reset), so a candidate starts a
    # sentence exactly when a final mark lies between it and the previous candidate.
    candidates = np.flatnonzero(~final & (is_punct == 0))
    finals_before = np.cumsum(final)[candidates]
    opens = candidates[np.diff(finals_before, prepend=0) > 0]
    is_word = is_space == 0
    word_at = np.cumsum(is_word) - is_word  # words before each token
    offset = len(words)
    words.extend(text[a : a + n] for a, n in zip(idx[is_word].tolist(), length[is_word].tolist()))
    for start in np.unique(np.concatenate([[0], word_at[opens]])).tolist():
        if offset + start < len(words) and (not starts or starts[-1] != offset + start):
            starts.append(offset + start)


@lru_cache(maxsize=1)
def _final_hashes() -> np.ndarray:
    return np.array([hash_string(mark) for mark in SENTENCE_FINAL], dtype=np.uint64)


def _decode_lexical(data: bytes) -> Lexical:
    # Not srsly's msgpack: its loads asks importlib.metadata for plug-ins on every call, which
    # took longer than the rest of decoding (2 ms a text with many packages installed).
    tokens, _, starts = data.decode().rpartition("\0")
    return Lexical(tokens, tuple(map(int, starts.split(","))) if starts else ())
