"""Rebuilding a text from its kept lines: paragraphs, headline lines, and a sentence that a
removed notice had split in two joined back."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from .furniture import _SPACES, _WORD, headline_like
from .lines import Line, Removal

__all__ = ["assemble"]


_ENDS_SENTENCE = tuple(".!?…:;\"”’')]")
_OPEN_WORDS = frozenset(  # words a sentence cannot end on
    "a an the of to for and or but nor in on at by with from into that which who whose its their his her our your "
    "as than could would should can will may might must about nearly almost around over under least some".split())


def assemble(lines: Sequence[Line], removals: Sequence[Removal]) -> str:
    """Rebuild the text of ``lines`` without the removed parts.

    Paragraphs are separated by a blank line; the lines of a paragraph are joined with a
    space, or kept on their own line after a headline-like line (a title, a byline). When a
    removal stands between a paragraph that stops mid-sentence and one that carries on (a
    paywall notice dropped into a sentence), the two halves are joined with a space.

    Args:
        lines: Consecutive lines of a document.
        removals: Removals found in those lines (others are ignored).

    Returns:
        The kept text, with white space inside each line collapsed to single spaces.
    """
    by_line = _removals_by_line(lines, removals)
    paragraphs: list[str] = []
    last = ""
    gap = removed = False
    for line, cuts in zip(lines, by_line):
        if line.blank:
            gap = True
            continue
        kept = _kept(line, cuts)
        if kept is None:
            removed = True
            continue
        if paragraphs and not gap and not removed and headline_like(last, max_words=12) and kept[0].isupper():
            paragraphs[-1] += "\n" + kept
        elif paragraphs and (not gap or (removed and _continues(paragraphs[-1], kept))):
            paragraphs[-1] += " " + kept
        else:
            paragraphs.append(kept)
        last, gap, removed = kept, False, False
    return "\n\n".join(paragraphs)


def _removals_by_line(lines: Sequence[Line], removals: Sequence[Removal]) -> list[list[Removal]]:
    """Group removals under the line they fall in."""
    rows = [i for i, line in enumerate(lines) if not line.blank]
    starts = [lines[i].start for i in rows]
    out: list[list[Removal]] = [[] for _ in lines]
    for removal in removals:
        k = bisect_right(starts, removal.start) - 1
        if k >= 0 and removal.end <= lines[rows[k]].end:
            out[rows[k]].append(removal)
    return out


def _kept(line: Line, cuts: Sequence[Removal]) -> str | None:
    """The line's text outside ``cuts``; ``None`` when nothing of it is kept."""
    if any(c.start <= line.start and c.end >= line.end for c in cuts):
        return None
    parts, pos = [], line.start
    for cut in sorted(cuts, key=lambda c: c.start):
        parts.append(line.text[pos - line.start:max(pos, cut.start) - line.start])
        pos = max(pos, cut.end)
    parts.append(line.text[pos - line.start:])
    kept = _SPACES.sub(" ", " ".join(parts)).strip()
    return None if cuts and not _WORD.search(kept) else kept


def _continues(before: str, after: str) -> bool:
    """Whether ``after`` carries on the sentence that ``before`` left unfinished."""
    if before.endswith(_ENDS_SENTENCE):
        return False
    last = before.rsplit(None, 1)[-1].casefold()
    return (after[:1].islower() or before.endswith((",", "–", "—", "-")) or last in _OPEN_WORDS
            or (after[:1].isdigit() and not headline_like(before, max_words=12)))
