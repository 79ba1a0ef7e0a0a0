"""Page furniture in copied news text: credits, sign-ups, related links, paywalls, prompts.

Works on plain text, line by line (:mod:`.lines`), and records every removal as a
:class:`~.lines.Removal` with character offsets into the original text and a reason from
:data:`~.lines.REASONS`, so nothing disappears without a trace. :func:`find_removals` combines
the hand-written rules (:mod:`.furniture`) with the learned cleaner's scores
(:mod:`pipeline.corpus.cleaning`); :func:`assemble` (:mod:`.assemble`) joins back a sentence
that a removed notice had split in two.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from .assemble import _ENDS_SENTENCE, assemble
from .furniture import _inline_cuts, _mark_context, _only_furniture, headline_like, line_reason
from .lines import REASONS, Line, Removal, split_lines

__all__ = ["MIN_LEARNED_LINES", "REASONS", "Line", "Removal", "assemble", "clean_text", "find_removals",
           "headline_like", "learned_scores", "line_reason", "split_lines"]


def find_removals(lines: Sequence[Line], *, protected: Collection[int] = (),
                  scores: Sequence[Any] | None = None, hold: Collection[int] = ()) -> list[Removal]:
    """Find the furniture among ``lines``.

    Args:
        lines: The document's lines, from :func:`split_lines`.
        protected: Indexes of lines never to remove whole (the headers of snippets and
            posts); they also end a "Related" block. Notices inside them are still cut.
        scores: The learned cleaner's reading of each line
            (:func:`pipeline.corpus.cleaning.score_lines`), or ``None`` for the rules alone.
            A line it judges not article text is removed as ``furniture`` with its
            confidence; the rules then look only at the lines it keeps, and can only add; and
            kept lines standing between the two halves of a sentence are removed as an
            ``interruption`` (:func:`_interruptions`).
        hold: Lines the cleaner may not remove (the top of an article, which the caller reads for
            its title and byline); the rules still apply to them.

    Returns:
        The removals in document order: whole lines, and spans cut out of kept lines.
    """
    protected, hold = set(protected), set(hold)
    reasons: list[str | None] = [None] * len(lines)
    confidence: dict[int, float] = {}
    spans: list[list[tuple[int, int, str]]] = [[] for _ in lines]
    for i, line in enumerate(lines):
        score = scores[i] if scores is not None and not line.blank else None
        if score is not None and score.furniture and i not in protected and i not in hold:
            reasons[i], confidence[i] = "furniture", score.confidence
            continue
        cuts = _inline_cuts(line.text) if not line.blank else []
        if i in protected or line.blank:
            spans[i] = cuts
        elif cuts and _only_furniture(line.text, cuts):
            reasons[i] = cuts[0][2]
        else:
            spans[i], reasons[i] = cuts, line_reason(line.text)
    _mark_context(lines, reasons, spans, protected)
    for i in _interruptions(lines, reasons, protected) if scores is not None else ():
        reasons[i] = "interruption"
        if scores is not None and scores[i] is not None:
            confidence[i] = 1.0 - scores[i].article  # the cleaner's own doubt that it is article text
    removals: list[Removal] = []
    for i, line in enumerate(lines):
        if reasons[i] is not None:
            removals.append(Removal(line.start, line.end, line.text, reasons[i],  # type: ignore[arg-type]
                                    confidence.get(i) if reasons[i] in ("furniture", "interruption") else None))
        else:
            removals += [Removal(line.start + s, line.start + e, line.text[s:e], r) for s, e, r in spans[i]]
    return removals


def _interruptions(lines: Sequence[Line], reasons: list[str | None], protected: set[int], *,
                   most: int = 3) -> list[int]:
    """Kept lines that stand between the two halves of a sentence: a notice or a blurb dropped
    into the middle of the text, whatever its wording.

    A kept line of ten words or more that stops mid-sentence (no closing punctuation, or a
    comma or dash), followed within ``most`` kept lines by one that plainly carries the
    sentence on (it starts in lower case, or the first stops on a comma or dash), while the
    lines between are whole (each ends like a sentence or a heading, none starts in lower case):
    those lines interrupt it. :func:`assemble` then joins the two halves.
    """
    kept = [i for i, line in enumerate(lines) if not line.blank and reasons[i] is None]
    out: list[int] = []
    for k, i in enumerate(kept):
        text = lines[i].text
        if len(text.split()) < 10 or text.endswith(_ENDS_SENTENCE) or i in protected:
            continue
        for m in range(k + 2, min(k + 2 + most, len(kept))):
            j = kept[m]
            between = kept[k + 1:m]
            if any(b in protected for b in between):
                break
            if lines[j].text[:1].islower() or text.endswith((",", "–", "—", "-")):
                if all(not lines[b].text[:1].islower() for b in between):
                    out.extend(between)
                break
            if lines[j].text[:1].islower():
                break
    return out


MIN_LEARNED_LINES = 8
"""Texts with fewer non-blank lines are cleaned by the rules alone: a few lines are a passage the
user chose, and the learned cleaner reads a line against the page around it."""


def learned_scores(lines: Sequence[Line], cleaner: Any = None, *, breaks: Collection[int] = ()) -> list[Any] | None:
    """The learned cleaner's scores of ``lines``, or ``None`` when it is off or the text is short.

    Args:
        lines: The document's lines.
        cleaner: ``False`` for the rules alone, ``None`` for the shipped cleaner, or a
            :class:`pipeline.corpus.cleaning.shipped.ShippedCleaner`.
        breaks: Lines that start a new piece (see :func:`pipeline.corpus.cleaning.score_lines`).
    """
    if cleaner is False or sum(not line.blank for line in lines) < MIN_LEARNED_LINES:
        return None
    from .cleaning import score_lines

    return score_lines(lines, cleaner=cleaner, breaks=breaks)


def clean_text(text: str, *, cleaner: Any = None) -> tuple[str, list[Removal]]:
    """Remove page furniture from the text of a single article (not a roundup).

    Args:
        text: The article as copied from a page; for roundups use
            :func:`pipeline.corpus.roundup.split_roundup`.
        cleaner: ``False`` for the hand-written rules alone; ``None`` (the default) adds the
            learned cleaner shipped in the package (texts of eight lines or more); or a
            :class:`pipeline.corpus.cleaning.shipped.ShippedCleaner` to use instead.

    Returns:
        The cleaned text (see :func:`assemble` for its layout) and the removals, with
        offsets into ``text``.
    """
    lines = split_lines(text)
    removals = find_removals(lines, scores=learned_scores(lines, cleaner))
    return assemble(lines, removals), removals
