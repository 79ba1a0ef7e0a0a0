"""Mentions spaCy's NER missed but the piece itself gives away.

- the long name before a parenthesised acronym: "the Coalition for Fair Housing (CFH)";
- the acronym itself, and its later uses, once a long name introduced it;
- a person's surname used again after the full name ("Elena Ruiz ... Ruiz wrote");
- platforms named in "on Facebook and Instagram", "posted on X".
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc

from .merge import Mention
from .types import doc_text
from .names import (PLATFORM_CUES, PLATFORMS, acronym_candidates, as_acronym, name_key,
                    strip_edges, surname_key)

_PAREN_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Za-z.&]{1,9})\s*\)")
_OPEN_PAREN = re.compile(r"\(\s*$")
# Platform names that are also ordinary words: only after "on", "via", ... or in a list.
_COMMON_WORD_PLATFORMS = frozenset({"signal", "medium", "threads", "telegram", "discord", "gab"})


def recover_mentions(doc: Doc, mentions: list[Mention], keep: frozenset[str]) -> list[Mention]:
    """Return the missed mentions (not overlapping ``mentions``) whose labels are in ``keep``."""
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
    _surnames(doc, mentions, add)
    _platforms(doc, add)
    return found


def platform_context(doc: Doc, i: int, j: int) -> bool:
    """Whether tokens ``i:j`` read as a platform: "on X", "via Threads", "X, formerly Twitter"."""
    before = doc[i - 1].lower_ if i > 0 else ""
    return before in PLATFORM_CUES or "formerly" in doc[j:j + 3].text.lower()


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


def _surnames(doc: Doc, mentions: list[Mention], add: Any) -> None:
    full = {}
    for m in mentions:
        key = name_key(m.text)
        if m.label == "PERSON" and len(key.split()) >= 2:
            full.setdefault(surname_key(key), set()).add(key)
    for m in mentions:
        key = name_key(m.text)
        surname = surname_key(key)
        if key not in full.get(surname, set()) or len(full[surname]) != 1:
            continue
        written = m.text.split()[-1] if m.text.split()[-1].lower().strip(".") == surname else None
        if written and written[:1].isupper():
            for hit in re.finditer(rf"(?<![\w-]){re.escape(written)}(?![\w-])", doc_text(doc)):
                add(hit.start(), hit.end(), "PERSON")


def _platforms(doc: Doc, add: Any) -> None:
    for i, tok in enumerate(doc):
        key = tok.lower_
        if key not in PLATFORMS or not tok.text[:1].isupper() or tok.ent_type_:
            continue
        in_list = i > 1 and doc[i - 1].lower_ in {"and", "or", ","} and doc[i - 2].lower_ in PLATFORMS
        if key == "x" or key in _COMMON_WORD_PLATFORMS or tok.is_sent_start:
            if not (platform_context(doc, i, i + 1) or in_list):
                continue
        add(tok.idx, tok.idx + len(tok.text), "ORG")
