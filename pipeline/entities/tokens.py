"""Per-token data of one doc, read once from spaCy's arrays.

Every ``doc[i]`` and ``for tok in doc`` builds a Python ``Token``; the entity rules look at
the tokens of a piece many times over (each mention's sentence, every "he"/"she", every
platform name), which made building tokens a large share of their cost. :func:`doc_tokens`
reads the attributes they need once, as plain lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import (
    ENT_TYPE,
    IDX,
    IS_PUNCT,
    LIKE_EMAIL,
    LIKE_URL,
    LOWER,
    ORTH,
    POS,
    SENT_START,
)
from spacy.tokens import Doc

from .types import doc_text

_ENDS = frozenset({".", "!", "?"})


@dataclass(frozen=True, eq=False)
class DocTokens:
    """The tokens of one doc as lists indexed by token position.

    Attributes:
        text: The doc's text.
        words: Each token's text (``token.text``).
        lower: spaCy's lower-case form (``token.lower_``).
        text_lower: ``token.text.lower()``.
        idx: Character offset of each token.
        is_punct: ``token.is_punct``.
        is_web: ``token.like_url or token.like_email``.
        in_entity: Whether the token has an entity type (``token.ent_type_`` not empty).
        sent_start: ``token.is_sent_start`` is True.
        pos: ``token.pos_`` when the doc has part-of-speech tags, else None.
        has_dep: Whether the doc has a dependency parse.
        sent_bounds: ``(start, end)`` token range of each token's sentence, when the doc has
            sentence boundaries, else None.
    """

    text: str
    words: list[str]
    lower: list[str]
    text_lower: list[str]
    idx: list[int]
    is_punct: list[bool]
    is_web: list[bool]
    in_entity: list[bool]
    sent_start: list[bool]
    pos: list[str] | None
    has_dep: bool
    sent_bounds: list[tuple[int, int]] | None

    def __len__(self) -> int:
        return len(self.words)

    def span_text(self, i: int, j: int) -> str:
        """``doc[i:j].text``: the text from token ``i`` to the end of token ``j - 1``."""
        j = min(j, len(self.words))
        if i >= j:
            return ""
        return self.text[self.idx[i]:self.idx[j - 1] + len(self.words[j - 1])]

    def sentence(self, i: int) -> tuple[int, int]:
        """The token range of token ``i``'s sentence: spaCy's sentence when the doc has
        boundaries, else up to and including the nearest ".", "!" or "?" either side."""
        if self.sent_bounds is not None:
            return self.sent_bounds[i]
        words = self.words
        lo = i
        while lo > 0 and words[lo - 1] not in _ENDS:
            lo -= 1
        hi = i
        while hi < len(words) and words[hi] not in _ENDS:
            hi += 1
        return lo, min(len(words), hi + 1)


def doc_tokens(doc: Doc) -> DocTokens:
    """Read the token attributes the entity rules use from ``doc``, without making ``Token`` objects.

    Args:
        doc: A spaCy ``Doc``. Read as it is now: build the table again after changing the doc.
    """
    strings = doc.vocab.strings
    rows = doc.to_array([ORTH, LOWER, IDX, IS_PUNCT, LIKE_URL, LIKE_EMAIL, ENT_TYPE, SENT_START])
    rows = rows.reshape(len(doc), 8).tolist()
    words = [strings[r[0]] for r in rows]
    has_sents = doc.has_annotation("SENT_START")
    # SENT_START is 1 (starts), -1 (does not, read back as an unsigned 2**64 - 1) or 0 (unknown).
    sent_start = [r[7] == 1 for r in rows]
    return DocTokens(
        text=doc_text(doc),
        words=words,
        lower=[strings[r[1]] for r in rows],
        text_lower=[w.lower() for w in words],
        idx=[r[2] for r in rows],
        is_punct=[bool(r[3]) for r in rows],
        is_web=[bool(r[4] or r[5]) for r in rows],
        in_entity=[r[6] != 0 for r in rows],
        sent_start=sent_start,
        pos=[strings[p] for p in doc.to_array(POS).tolist()] if doc.has_annotation("POS") else None,
        has_dep=doc.has_annotation("DEP"),
        sent_bounds=_sentence_bounds(sent_start) if has_sents else None,
    )


def _sentence_bounds(sent_start: list[bool]) -> list[tuple[int, int]]:
    """Each token's sentence as spaCy's ``Token.sent`` finds it: from the last token at or
    before it that starts a sentence (or the first token) to the next one that starts a sentence."""
    bounds: list[tuple[int, int]] = []
    n = len(sent_start)
    start = 0
    for i in range(1, n + 1):
        if i == n or sent_start[i]:
            bounds.extend([(start, i)] * (i - start))
            start = i
    return bounds

