"""Mentions spaCy's NER missed but the piece itself gives away.

- the long name before a parenthesised acronym: "the Coalition for Fair Housing (CFH)";
- the acronym itself, and its later uses, once a long name introduced it;
- a person's surname used again after the full name ("Elena Ruiz ... Ruiz wrote");
- platforms named in "on Facebook and Instagram", "posted on X".
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from spacy.tokens import Doc

from .merge import _ACRONYM_LABELS, Mention
from .names import PLATFORM_CUES, PLATFORMS, acronym_candidates, as_acronym, name_key, strip_edges, surname_key
from .spans import in_ranges
from .tokens import DocTokens, doc_tokens
from .types import doc_text

_CAPS_WORD = re.compile(r"[\w'’.&-]*\w")
_PAREN_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Za-z.&]{1,9})\s*\)")
_OPEN_PAREN = re.compile(r"\(\s*$")
# Platform names that are also ordinary words: only after "on", "via", ... or in a list.
_COMMON_WORD_PLATFORMS = frozenset({"signal", "medium", "threads", "telegram", "discord", "gab"})


def recover_mentions(doc: Doc, mentions: list[Mention], keep: frozenset[str], *,
                     tokens: DocTokens | None = None,
                     caps: list[tuple[int, int]] | None = None) -> list[Mention]:
    """Return the missed mentions (not overlapping ``mentions``) whose labels are in ``keep``.

    ``tokens`` is ``doc_tokens(doc)``, when the caller already has it; ``caps`` the piece's
    all-capitals lines, where names found elsewhere are looked for in capitals too.
    """
    if tokens is None:
        tokens = doc_tokens(doc)
    taken = [(m.start, m.end) for m in mentions]
    found: list[Mention] = []

    def add(start: int, end: int, label: str) -> None:
        left, right = strip_edges(doc_text(doc)[start:end])
        start, end = start + left, end - right
        if label in keep and not any(a < end and start < b for a, b in taken):
            taken.append((start, end))
            found.append(Mention(start, end, doc_text(doc)[start:end], label))

    for m in list(mentions):
        _expansion_before(doc, m, add)
    for m in mentions + list(found):
        _acronym_after(doc, m, add)
    _initials(doc_text(doc), mentions, add)
    _surnames(doc, mentions, add)
    _known_names(doc_text(doc), mentions, add, caps or [])
    _platforms(tokens, add)
    return found


def platform_context(doc: Doc, i: int, j: int, *, tokens: DocTokens | None = None) -> bool:
    """Whether tokens ``i:j`` read as a platform: "on X", "via Threads", "X, formerly Twitter".

    ``tokens`` is ``doc_tokens(doc)``, when the caller already has it.
    """
    return _platform_context(doc_tokens(doc) if tokens is None else tokens, i, j)


def _platform_context(tokens: DocTokens, i: int, j: int) -> bool:
    before = tokens.lower[i - 1] if i > 0 else ""
    return before in PLATFORM_CUES or "formerly" in tokens.span_text(j, j + 3).lower()


def _expansion_before(doc: Doc, m: Mention, add: Any) -> None:
    letters = as_acronym(m.text)
    if letters is None or not _OPEN_PAREN.search(doc_text(doc)[max(0, m.start - 3):m.start]):
        return
    paren = doc_text(doc).rfind("(", 0, m.start)
    words = list(re.finditer(r"[\w&'’.-]+", doc_text(doc)[max(0, paren - 120):paren]))
    base = max(0, paren - 120)
    best = None
    for k in range(len(words) - 1, -1, -1):
        if not words[k].group()[:1].isupper() and words[k].group().lower() not in {"of", "for", "and", "&", "the", "on", "in"}:
            break
        start = base + words[k].start()
        text = doc_text(doc)[start:base + words[-1].end()]
        if words[k].group()[:1].isupper() and letters in acronym_candidates(text):
            best = start
    if best is not None:
        add(best, base + words[-1].end(), m.label)


def _acronym_after(doc: Doc, m: Mention, add: Any) -> None:
    paren = _PAREN_ACRONYM.match(doc_text(doc), m.end)
    if not paren or (as_acronym(paren.group(1)) or "") not in acronym_candidates(m.text):
        return
    short = paren.group(1)
    for hit in re.finditer(rf"(?<![\w.]){re.escape(short)}(?!\w)", doc_text(doc)):
        add(hit.start(), hit.end(), m.label)


def _initials(text: str, mentions: list[Mention], add: Any) -> None:
    """An acronym of a long name the piece gives, used without brackets and missed by the NER
    ("the National Institute of Standards and Technology ... NIST found"): three letters or
    more, in capitals, after the long name."""
    first: dict[str, tuple[int, str]] = {}
    for m in mentions:
        if m.label in _ACRONYM_LABELS and as_acronym(m.text) is None and len(m.text.split()) >= 3:
            for letters in acronym_candidates(m.text):
                if len(letters) >= 3 and (letters not in first or m.start < first[letters][0]):
                    first[letters] = (m.end, m.label)
    for letters, (after, label) in first.items():
        for hit in re.finditer(rf"(?<![\w.]){letters}(?![\w])", text[after:]):
            add(after + hit.start(), after + hit.end(), label)


def _surnames(doc: Doc, mentions: list[Mention], add: Any) -> None:
    full = {}
    for m in mentions:
        key = name_key(m.text)
        if m.label == "PERSON" and len(key.split()) >= 2:
            full.setdefault(surname_key(key), set()).add(key)
    searched = set()  # searching for a surname again finds only spans already taken
    for m in mentions:
        key = name_key(m.text)
        surname = surname_key(key)
        if key not in full.get(surname, set()) or len(full[surname]) != 1:
            continue
        written = m.text.split()[-1] if m.text.split()[-1].lower().strip(".") == surname else None
        if written and written[:1].isupper() and written not in searched:
            searched.add(written)
            for hit in re.finditer(rf"(?<![\w-]){re.escape(written)}(?![\w-])", doc_text(doc)):
                add(hit.start(), hit.end(), "PERSON")


def _known_names(text: str, mentions: list[Mention], add: Any, caps: list[tuple[int, int]]) -> None:
    """Names the piece gives in ordinary case, found again in capitals on its all-capitals
    lines, where the NER misses most names ("Minsk" in the body, "MINSK 1996-08-30" above it).
    Not in ordinary text: there the other uses the NER left out are mostly other things
    (CoNLL-2003 testa: precision 0.784 -> 0.771 for the same F1)."""
    if not caps:
        return
    labels: dict[tuple[str, ...], Counter[str]] = {}
    for m in mentions:
        if len(m.text) > 1 and not in_ranges(caps, m.start):
            labels.setdefault(tuple(m.text.upper().split()), Counter())[m.label] += 1
    if not labels:
        return
    longest = max(len(k) for k in labels)
    for a, b in caps:
        words = [(w.start() + a, w.end() + a, w.group()) for w in _CAPS_WORD.finditer(text[a:b])]
        k = 0
        while k < len(words):
            for n in range(min(longest, len(words) - k), 0, -1):
                form = tuple(w for _, _, w in words[k:k + n])
                if form in labels:
                    add(words[k][0], words[k + n - 1][1], labels[form].most_common(1)[0][0])
                    k += n - 1
                    break
            k += 1


def _platforms(tokens: DocTokens, add: Any) -> None:
    lower, words = tokens.lower, tokens.words
    for i, key in enumerate(lower):
        if key not in PLATFORMS or not words[i][:1].isupper() or tokens.in_entity[i]:
            continue
        in_list = i > 1 and lower[i - 1] in {"and", "or", ","} and lower[i - 2] in PLATFORMS
        if key == "x" or key in _COMMON_WORD_PLATFORMS or tokens.sent_start[i]:
            if not (_platform_context(tokens, i, i + 1) or in_list):
                continue
        add(tokens.idx[i], tokens.idx[i] + len(words[i]), "ORG")
