"""Attribution: does the piece quote an entity, or only mention it?

A mention is *quoted* when, in its own sentence, it is the source of reported speech:
"Smith said", "said Smith", "Smith, the mayor, told reporters", "according to Smith",
"Smith: “...”", or (with a dependency parse) the subject of a speech verb. A mention inside
the quotation marks, the person spoken *to* ("told Smith") and a possessor ("Smith's
lawyer said") are not quoted. "“...,” she said" credits the last person named before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from spacy.tokens import Doc

from ..lexicon import QUOTE_MARKS as QUOTE_CHARS
from ..lexicon import SPEECH_LEMMAS
from ..lexicon import SPEECH_VERBS as SPEECH_WORDS
from .names import PLATFORMS, TITLES
from .tokens import DocTokens, doc_tokens

# After these the entity is the one spoken to, not the speaker: "told Smith", "asked Smith".
_TO_LISTENER = frozenset("told tells tell asked asks ask".split())
_BETWEEN = frozenset(
    "also has had have later then previously recently reportedly publicly repeatedly once "
    "again further has since would will".split()
)
_PRONOUN_SPEAKERS = frozenset({"he", "she"})
_PREPOSITIONS = frozenset("of for with from at about against like than".split())


def is_quoted(doc: Doc, start: int, end: int, *, tokens: DocTokens | None = None) -> bool:
    """Whether the mention at ``doc.text[start:end]`` is the source of reported speech.

    Args:
        doc: A spaCy ``Doc`` (a dependency parse, when present, is used too).
        start: Character offset where the mention starts.
        end: Character offset where the mention ends.
        tokens: ``doc_tokens(doc)``, when the caller already has it.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    if tokens is None:
        tokens = doc_tokens(doc)
    lo, hi = tokens.sentence(span.start)
    texts = tokens.words[lo:hi]
    words = tokens.text_lower[lo:hi]
    first, last = span.start - lo, span.end - lo
    if sum(1 for w in words[:first] if w in QUOTE_CHARS) % 2 == 1:
        return False  # inside a quotation: talked about, not talking
    if words[last:last + 1] in (["'s"], ["’s"], ["'"]):
        return False  # "Smith's lawyer said": the lawyer speaks
    before = first - 1
    while before >= 0 and (words[before] in TITLES or words[before] == "former"):
        before -= 1  # "critics of Governor Smith say"
    object_of = before >= 0 and words[before] in _PREPOSITIONS  # "critics of Smith say"
    return ((not object_of and _speaker_before_verb(words, last)) or _speaker_after_verb(texts, first)
            or _according_to(texts, first) or _colon_quote(words, last)
            or (tokens.has_dep and _parse_subject(span)))


def pronoun_speakers(doc: Doc, *, tokens: DocTokens | None = None) -> list[int]:
    """Character offsets of "he"/"she" that are the speakers of a quotation in their sentence
    ("“...,” she said"), to be credited to the person last named before them.

    Args:
        doc: A spaCy ``Doc``.
        tokens: ``doc_tokens(doc)``, when the caller already has it.
    """
    if tokens is None:
        tokens = doc_tokens(doc)
    offsets = []
    for i, lower in enumerate(tokens.lower):
        if lower not in _PRONOUN_SPEAKERS:
            continue
        lo, hi = tokens.sentence(i)
        texts = tokens.words[lo:hi]
        words = tokens.text_lower[lo:hi]
        k = i - lo
        if not any(w in QUOTE_CHARS for w in words):
            continue
        if _speaker_before_verb(words, k + 1) or _speaker_after_verb(texts, k):
            offsets.append(tokens.idx[i])
    return offsets


_GENDER_WORDS = {
    "mr": "m", "mister": "m", "sir": "m", "lord": "m", "king": "m", "prince": "m", "congressman": "m",
    "councilman": "m", "chairman": "m", "spokesman": "m", "businessman": "m", "father": "m",
    "brother": "m", "son": "m", "husband": "m", "mrs": "f", "ms": "f", "miss": "f", "madam": "f",
    "dame": "f", "lady": "f", "queen": "f", "princess": "f", "congresswoman": "f",
    "councilwoman": "f", "chairwoman": "f", "spokeswoman": "f", "businesswoman": "f",
    "mother": "f", "sister": "f", "daughter": "f", "wife": "f",
}
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\.?\s+$")


def person_gender(text: str, start: int) -> str | None:
    """``"f"``, ``"m"`` or None: the gender the words just before a name give it ("Mrs.",
    "Councilwoman", "his daughter"); None when they say nothing."""
    match = _WORD_BEFORE.search(text[max(0, start - 20):start])
    return _GENDER_WORDS.get(match.group(1).lower()) if match else None


def _speaker_before_verb(words: Sequence[str], after: int) -> bool:
    """"Smith said", "Smith also told", "Smith, the mayor, said"."""
    k = after
    if k + 1 < len(words) and words[k] in {"on", "via"} and words[k + 1] in PLATFORMS:
        k += 2  # "Smith on Twitter said"
    if k + 1 < len(words) and words[k] == "," and words[k + 1] in SPEECH_WORDS:
        return True  # "..., Priya Raman, said"
    if k < len(words) and words[k] == ",":
        close = next((j for j in range(k + 1, min(len(words), k + 14)) if words[j] == ","), None)
        if close is None:
            return False
        k = close + 1
    for _ in range(3):
        if k >= len(words):
            return False
        if words[k] in SPEECH_WORDS:
            return True
        if words[k] not in _BETWEEN:
            return False
        k += 1
    return False


def _speaker_after_verb(texts: Sequence[str], first: int) -> bool:
    """"“...,” said Smith", ", said Mayor Karen Bass": the verb follows a comma or a quote,
    and only titles or capitalised words stand between it and the mention."""
    k = first - 1
    for _ in range(5):
        if k < 0:
            return False
        w = texts[k].lower()
        if w in SPEECH_WORDS:
            return w not in _TO_LISTENER and (k == 0 or texts[k - 1] in {",", *QUOTE_CHARS})
        if not (w in TITLES or w in {"the", "'s", "’s", "former"} or texts[k][:1].isupper()):
            return False
        k -= 1
    return False


def _according_to(texts: Sequence[str], first: int) -> bool:
    window = [w.lower() for w in texts[max(0, first - 5):first]]
    for j in range(len(window) - 1):
        if window[j] == "according" and window[j + 1] == "to":
            between = texts[max(0, first - 5):first][j + 2:]
            return all(w.lower() in TITLES or w.lower() in {"the", "'s", "’s"} or w[:1].isupper()
                       for w in between)
    return False


def _colon_quote(words: Sequence[str], last: int) -> bool:
    """"Smith: “...”", and on a post "Smith on Twitter: ..." (the post is the quote)."""
    if last + 1 < len(words) and words[last] in {"on", "via"} and words[last + 1] in PLATFORMS:
        return words[last + 2:last + 3] == [":"]
    return words[last:last + 1] == [":"] and any(w in QUOTE_CHARS for w in words[last + 1:last + 3])


def _parse_subject(span: Any) -> bool:
    root = span.root
    if root.dep_ == "nsubj" and root.head.lemma_ in SPEECH_LEMMAS:
        return not any(child.dep_ == "neg" for child in root.head.children)
    head = root.head
    return (root.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according")
