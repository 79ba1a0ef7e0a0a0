"""Token-level validity of an NER span: where a name cannot run on, and what cannot be its edge.

spaCy's small model often runs a name into its neighbours: over a line break (a headline glued
to the first word of the body), a sentence end, a comma or a bracket ("Jane Quigley ( USA"),
a number ("Millwall 2 Burnley 1", "Aamir Sohail 5-0-31-0"), and into common words at its end
("Xinhua news agency", "Exploited Children and"). :func:`split_span` cuts a span at the
points a name never crosses and trims what a name never ends or starts with; a piece left
without a capitalised, letter-bearing content word ("n’t" from "won’t", "methanol") is no
name at all.
"""

from __future__ import annotations

import re

from .tokens import DocTokens
from .types import VALUE_LABELS

# Tokens a name never runs across. A hyphen only when it stands alone ("SOCCER - AZERBAIJAN").
_BREAKS = frozenset({",", ";", ":", "(", ")", "[", "]", "{", "}", "|", "-", "–", "—", "•", "·"})
# Labels of names: a number inside one separates two names ("Millwall 2 Burnley 1"). Events,
# products, works and laws keep theirs ("1998 World Cup", "Boeing 747", "Title IX").
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
# Lower-case words that do belong at the start of a name ("de Silva", "van Gaal", "al-Assad").
_PARTICLES = frozenset({
    "de", "da", "di", "do", "dos", "das", "du", "del", "della", "der", "den", "van", "von",
    "le", "la", "al", "el", "bin", "ibn", "ter", "ten", "af", "zu", "mac", "st", "st.",
})
# Clitics that carry letters but are never a name's content ("n’t" of "won’t", "’s").
_CLITICS = frozenset({"n't", "n’t", "'s", "’s", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d",
                      "’d", "'m", "’m", "s", "'", "’"})


_LETTER = re.compile(r"[^\W\d_]")
_WORD_START = re.compile(r"(?<![\w'’])[^\W\d_]")
_UPPER_START = re.compile(r"(?<![\w'’])[A-ZÀ-ÖØ-Þ]")


def has_letter(word: str) -> bool:
    """Whether ``word`` has at least one letter."""
    return _LETTER.search(word) is not None


def is_lower_word(word: str) -> bool:
    """A word with letters, none of them capital ("agency", "and"; not "iPhone", not "3")."""
    return has_letter(word) and not any(ch.isupper() for ch in word)


def is_cased(t: DocTokens) -> bool:
    """Whether the text uses capitals as prose does: a text all in lower case (a chat log,
    some social posts) gives no capitals to go by, so case rules must not apply to it."""
    words = len(_WORD_START.findall(t.text))
    return words > 0 and len(_UPPER_START.findall(t.text)) >= 0.02 * words


def split_span(t: DocTokens, i: int, j: int, label: str, *, cased: bool = True) -> list[tuple[int, int]]:
    """The valid pieces of the NER span of tokens ``i:j``, in order (none, one, or several).

    Cut at line breaks, sentence starts and separators, and (for names of people, groups and
    places) at tokens without letters; each piece is trimmed of edge tokens without letters
    and, in cased text, of lower-case words at its end (and at its start, name particles
    apart); it is kept only if it has a content word: with letters, not a clitic, and in cased
    text with a capital.

    Args:
        t: The doc's tokens.
        i: First token of the span.
        j: One past its last token.
        label: Its NER label.
        cased: Whether the text is in ordinary case (see :func:`is_cased`).
    """
    if label in VALUE_LABELS:  # "$5 million", "last week": no names, only kept on one line
        return _lines(t, i, j)
    pieces: list[tuple[int, int]] = []
    start = i
    for k in range(i, j):
        if _is_separator(t, k, label):
            if k > start:
                pieces.append((start, k))
            start = k + 1
        elif k > start and (t.sent_start[k] or _line_break_before(t, k)):
            pieces.append((start, k))
            start = k
    if j > start:
        pieces.append((start, j))
    out = []
    for a, b in pieces:
        a, b = _trim(t, a, b, cased)
        if a < b and _has_content(t, a, b, cased):
            out.append((a, b))
    return out


def _lines(t: DocTokens, i: int, j: int) -> list[tuple[int, int]]:
    out, start = [], i
    for k in range(i, j):
        if "\n" in t.words[k] and not t.words[k].strip():
            if k > start:
                out.append((start, k))
            start = k + 1
        elif k > start and _line_break_before(t, k):
            out.append((start, k))
            start = k
    if j > start:
        out.append((start, j))
    return out


def _is_separator(t: DocTokens, k: int, label: str) -> bool:
    word = t.words[k]
    if word == "-" and _hyphen_inside_word(t, k):
        return False  # "Ton-That", "Ocasio-Cortez": one word the tokenizer split
    return (("\n" in word and not word.strip()) or word in _BREAKS
            or (label in _NAME_LABELS and not has_letter(word) and any(ch.isdigit() for ch in word)))


def _hyphen_inside_word(t: DocTokens, k: int) -> bool:
    end = t.idx[k] + 1
    return (0 < k < len(t) - 1 and t.idx[k - 1] + len(t.words[k - 1]) == t.idx[k]
            and t.idx[k + 1] == end)


def _line_break_before(t: DocTokens, k: int) -> bool:
    """A line break between tokens ``k - 1`` and ``k`` (it is not always a token of its own)."""
    return "\n" in t.text[t.idx[k - 1] + len(t.words[k - 1]):t.idx[k]]


def _trim(t: DocTokens, a: int, b: int, cased: bool) -> tuple[int, int]:
    words = t.words
    while a < b and (not has_letter(words[a]) or t.lower[a] in _CLITICS):
        a += 1
    while b > a and (not has_letter(words[b - 1]) or t.lower[b - 1] in _CLITICS):
        b -= 1
    if cased:
        while b > a and is_lower_word(words[b - 1]):
            b -= 1
        while a < b and is_lower_word(words[a]) and t.lower[a] not in _PARTICLES:
            a += 1
        while b > a and not has_letter(words[b - 1]):
            b -= 1
    return a, b


def _has_content(t: DocTokens, a: int, b: int, cased: bool) -> bool:
    for k in range(a, b):
        word = t.words[k]
        if has_letter(word) and t.lower[k] not in _CLITICS and (not cased or any(ch.isupper() for ch in word)):
            return True
    return False


def caps_lines(text: str) -> list[tuple[int, int]]:
    """Character ranges of the lines written all in capitals ("SOCCER - LEEDS BEAT HULL"):
    headlines, datelines and tables, where spaCy's capital-letter cues fail (about a third of
    its names there are right on CoNLL-2003)."""
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.upper() == line and sum(1 for w in line.split() if len(_LETTER.findall(w)) > 1) >= 2:
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def in_ranges(ranges: list[tuple[int, int]], start: int) -> bool:
    """Whether offset ``start`` falls in one of the sorted ``ranges``."""
    lo, hi = 0, len(ranges)
    while lo < hi:
        mid = (lo + hi) // 2
        if ranges[mid][1] <= start:
            lo = mid + 1
        else:
            hi = mid
    return lo < len(ranges) and ranges[lo][0] <= start < ranges[lo][1]
