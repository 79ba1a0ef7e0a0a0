"""Titles around a name: stripped from its front ("Massachusetts Sen. Ed Markey" -> "Ed Markey",
role "senator"), or read just before it ("CEO Jane Doe", "its chief executive, Victor Lang") or
in apposition after it (", the company's chief executive,"), each giving the person's role."""

from __future__ import annotations

from .names import TITLE_SEQUENCES, TITLES
from .tokens import DocTokens

# Titles that make a span a person even when spaCy labelled it something else.
_SURE_TITLES = frozenset({"ceo", "senator", "congressman", "congresswoman", "governor", "mayor"})
_OWNERS = frozenset({"'s", "’s", "its", "their", "the", "our", "his", "her"})


# Title sequences by their first word, longest first: only these can match at a token.
_TITLES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _seq in TITLE_SEQUENCES:
    _TITLES_BY_FIRST.setdefault(_seq[0], []).append(_seq)


def _match_title(t: DocTokens, k: int, j: int) -> tuple[int, str | None] | None:
    """The longest title starting at token ``k`` (before ``j``): (its length, role)."""
    for seq in _TITLES_BY_FIRST.get(t.lower[k], ()):
        n = len(seq)
        if k + n <= j and tuple(t.lower[k:k + n]) == seq:
            return n, TITLES[" ".join(seq)]
    return None


def _strip_title(t: DocTokens, i: int, j: int, label: str) -> tuple[int, str | None, bool]:
    """Strip qualifiers and a title glued to the front of a name: "Massachusetts Sen. Ed
    Markey" -> "Ed Markey", role "senator". Returns (new start, role, whether a title was
    found, which makes the span a person)."""
    role, found = None, False
    for k in range(i, min(j - 1, i + 4)):
        match = _match_title(t, k, j - 1)
        if match is None:
            if not (t.words[k][:1].isupper() or t.lower[k] in {"former", "the"}):
                break
            continue
        n, title_role = match
        if label != "PERSON" and not (t.words[k + n - 1].endswith(".") or t.lower[k] in _SURE_TITLES):
            break  # "General Motors", "Justice Department": organisations, not titles
        # Words before the title must read as qualifiers ("Massachusetts", "former", "U.S.").
        if not all(t.words[q][:1].isupper() or t.lower[q] in {"former", "the", "then"} for q in range(i, k)):
            break
        found, i = True, k + n
        role = title_role or role
        while i < j - 1:  # "former President Joe Biden", "Rep. Sen."
            more = _match_title(t, i, j - 1)
            if more is None:
                break
            role = more[1] or role
            i += more[0]
        break
    return i, role, found and t.words[i][:1].isupper()


def _title_before(t: DocTokens, i: int) -> str | None:
    """A title just before the span: "CEO Jane Doe", "Attorney General Merrick Garland",
    "its chief executive, Victor Lang"."""
    end = i
    if i >= 2 and t.words[i - 1] == ",":
        end = i - 1
    for n in (4, 3, 2, 1):
        k = end - n
        if k >= 0:
            match = _match_title(t, k, end)
            if match is not None and match[0] == n and match[1]:
                # "its chief executive, X", "its football coach, X"
                if end == i or any(w in _OWNERS for w in t.lower[max(0, k - 2):k]):
                    return match[1]
    return None


def _title_in_apposition(t: DocTokens, j: int) -> str | None:
    """", the company's chief executive," right after the name."""
    n = len(t)
    if j >= n or t.words[j] != ",":
        return None
    for k in range(j + 1, min(n, j + 7)):
        if t.words[k] in {",", ".", ";"}:
            return None
        match = _match_title(t, k, n)
        if match is not None and match[1]:
            after = k + match[0]
            if after >= n or t.words[after] in {",", ".", ";", "of", "at", "for"}:
                return match[1]
    return None
