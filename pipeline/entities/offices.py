"""An office glued to the name of its holder: "Director of National Intelligence Richard Grenell".

spaCy's small model reads "National Intelligence Richard Grenell" (after "Director of") as
one organisation, and the person is lost. When a span of capitalised words follows, or
starts with, a title and "of" ("Director of", "Secretary of", "Minister of"), its last two
words (three with a middle initial) are the holder, and the title with the office is their
role.
"""

from __future__ import annotations

from .names import ORG_SUFFIXES, TITLES
from .tokens import DocTokens

# Title words that head an office named after "of" ("Secretary of Homeland Security").
_OFFICE_TITLES = frozenset(w for t in TITLES for w in t.split() if w.isalpha()) | {
    "head", "administrator", "commissioner", "inspector", "surgeon", "undersecretary"}


def split_office(t: DocTokens, i: int, j: int, label: str) -> tuple[int, str] | None:
    """``(first token of the holder's name, role)`` when tokens ``i:j`` are an office and a
    name, else None.

    Args:
        t: The doc's tokens.
        i: First token of the NER span.
        j: One past its last token.
        label: Its NER label (a span already labelled a person is left to the title rules).
    """
    if label == "PERSON":
        return None
    head = None
    if i >= 2 and t.lower[i - 1] == "of" and t.lower[i - 2] in _OFFICE_TITLES:
        head, office_start = i - 2, i
    elif j - i >= 4 and t.lower[i] in _OFFICE_TITLES and t.lower[i + 1] == "of":
        head, office_start = i, i + 2
    if head is None:
        return None
    name = 3 if j - office_start >= 4 and _is_initial(t.words[j - 2]) else 2
    person = j - name
    if person - office_start < 1 or not all(w[:1].isupper() for w in t.words[office_start:j]):
        return None
    if any(not w[:1].isalpha() for w in t.words[person:j]) or t.lower[j - 1].rstrip(".") in ORG_SUFFIXES:
        return None  # "director of Northwind Energy Group": an organisation, no holder
    role = " ".join(t.text_lower[head:person])
    return person, role


def _is_initial(word: str) -> bool:
    return len(word) == 2 and word[0].isupper() and word[1] == "."
