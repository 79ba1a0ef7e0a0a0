"""Splitting a news roundup page into its pieces: the main article, outlet snippets, posts.

A roundup page, copied as plain text, holds a main article (maybe under a headline), then
snippets that each open with a line such as ``Headline – Outlet – 6/11/2020``, then social
posts such as ``Name (@handle) on X, June 11, 2020: text`` (:mod:`.headers`), with page
furniture mixed in. :func:`split_roundup` returns one :class:`~pipeline.corpus.piece.Piece` per
unit (:mod:`.roundup_pieces`), each with offsets into the original page, and the furniture it
left out (see :mod:`.boilerplate`). Everything is plain line and regex work: no parser, no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .. import errors
from .boilerplate import (
    Line,
    Removal,
    clean_text,
    find_removals,
    headline_like,
    learned_scores,
    line_reason,
    split_lines,
)
from .dates import parse_date
from .headers import _Header, _is_prose, _metadata, _post_header, _snippet_header
from .piece import Piece
from .roundup_pieces import _piece

__all__ = ["Roundup", "clean_text", "looks_like_roundup", "parse_date", "read_page", "split_roundup"]


@dataclass
class Roundup:
    """A roundup page split into pieces.

    Attributes:
        pieces: The article, snippets and posts, in page order.
        removed: The furniture left out, with offsets into the original page.
    """

    pieces: list[Piece] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)


def _analyse(text: str, cleaner: Any = None) -> tuple[list[Line], dict[int, _Header], list[Removal], list | None]:
    """Find the headers of snippets and posts, the furniture between them, and the cleaner's scores."""
    if not isinstance(text, str):
        raise errors.InputError(errors.ROUNDUP_NOT_TEXT.format(found=type(text).__name__))
    lines = split_lines(text)
    headers: dict[int, _Header] = {}
    for i, line in enumerate(lines):
        if not line.blank and (h := _post_header(line.text) or _snippet_header(line.text, dated_only=True)):
            headers[i] = h
    undated = _undated_headers(lines, headers)
    scores = learned_scores(lines, cleaner, breaks={*headers, *undated})
    if scores is not None:
        headers.update(undated)
    removals = find_removals(lines, protected=headers, scores=scores, hold=_lead(lines, headers, scores))
    whole = {(r.start, r.end) for r in removals}
    gone = {i for i, line in enumerate(lines) if not line.blank and (line.start, line.end) in whole}

    def kept(i: int) -> bool:
        return not lines[i].blank and i not in gone

    def after(i: int) -> int | None:
        return next((j for j in range(i + 1, len(lines)) if kept(j)), None)

    for i, line in enumerate(lines):
        if scores is not None or i in headers or not kept(i) or (i > 0 and kept(i - 1)):
            continue  # with the cleaner, undated headers were found before it ran
        nxt = after(i)
        if (nxt is not None and nxt not in headers and (h := _snippet_header(line.text, dated_only=False))
                and _is_prose(lines[nxt].text)):
            headers[i] = h
    owner: _Header | None = None
    for i in range(len(lines)):
        if i in headers:
            owner = headers[i]
        elif (kept(i) and (owner is None or owner.kind != "post") and (i == 0 or not kept(i - 1))
              and headline_like(lines[i].text, max_words=12) and after(i) in headers
              and _metadata(lines[i].text) is None):
            removals.append(Removal(lines[i].start, lines[i].end, lines[i].text, "section-heading"))
            gone.add(i)
    removals.sort(key=lambda r: r.start)
    return lines, headers, removals, scores


def _lead(lines: list[Line], headers: dict[int, _Header], scores: list | None) -> set[int]:
    """The lines at the top of the article that :func:`_learned_top` reads, so that the cleaner
    does not remove them first: before the page's first line of article text (in the article's
    region), from two lines above the first one the cleaner reads as likely a headline (a kicker
    may stand there), or the last four lines when it sees none."""
    if scores is None:
        return set()
    before = []
    for i, score in enumerate(scores):
        if i in headers or (score is not None and score.label == "article"):
            break
        if score is not None:
            before.append(i)
    heads = [k for k, i in enumerate(before) if scores[i].headline >= 0.5 * (1.0 - scores[i].article)]
    return set(before[max(heads[0] - 2, 0):] if heads else before[-4:])


def _undated_headers(lines: list[Line], headers: dict[int, _Header]) -> dict[int, _Header]:
    """Snippet headers without a date (``Headline – Outlet``): after a blank line, before prose.

    With the learned cleaner these are found before it runs, so that it reads them as the
    starts of pieces; without it, :func:`_analyse` looks for them once the rules have run.
    """
    found = {}
    for i, line in enumerate(lines):
        if line.blank or i in headers or (i > 0 and not lines[i - 1].blank):
            continue
        nxt = next((j for j in range(i + 1, len(lines)) if not lines[j].blank), None)
        if (nxt is not None and nxt not in headers and _is_prose(lines[nxt].text)
                and (h := _snippet_header(line.text, dated_only=False)) and line_reason(line.text) is None):
            found[i] = h
    return found


def split_roundup(text: str, *, document_id: str = "page", story: str | None = None,
                  target: str | None = None, cleaner: Any = None) -> Roundup:
    """Split a roundup page into its article, outlet snippets and social posts.

    Args:
        text: The page as plain text (see :func:`pipeline.corpus.html.html_to_text` for HTML).
        document_id: Prefix of the pieces' ids, which are ``f"{document_id}#{n}"`` from 1.
        story: Passed through to every piece.
        target: Passed through to every piece.
        cleaner: ``False`` for the hand-written rules alone; ``None`` (the default) adds the
            learned cleaner shipped in the package (pages of eight lines or more), which decides
            what is furniture inside and between the pieces and reads the headline at the top
            of the page as the article's title; or a
            :class:`pipeline.corpus.cleaning.shipped.ShippedCleaner` to use instead.

    Returns:
        The pieces in page order and the furniture removed. A page without snippet or
        post headers gives one article; a page without words gives no pieces.

    Raises:
        InputError: When ``text`` is not a string.
    """
    lines, headers, removals, scores = _analyse(text, cleaner)
    gone = {(r.start, r.end) for r in removals}
    starts = sorted(headers)
    bounds = [(None, 0, starts[0] if starts else len(lines))]
    bounds += [(h, h + 1, starts[k + 1] if k + 1 < len(starts) else len(lines)) for k, h in enumerate(starts)]
    pieces: list[Piece] = []
    for at, lo, hi in bounds:
        body = [i for i in range(lo, hi) if not lines[i].blank and (lines[i].start, lines[i].end) not in gone]
        header = headers[at] if at is not None else _Header("article", None)
        piece = _piece(lines, body, at, header, removals, scores)
        if piece is not None:
            piece.id, piece.story, piece.target = f"{document_id}#{len(pieces) + 1}", story, target
            pieces.append(piece)
    removals.sort(key=lambda r: r.start)
    return Roundup(pieces, removals)


def looks_like_roundup(text: str) -> bool:
    """Whether ``text`` holds at least one snippet header or post line, i.e. is worth splitting.

    Raises:
        InputError: When ``text`` is not a string.
    """
    return bool(_analyse(text, False)[1])


_HEADER_LINE = re.compile(r"[ \t]*(target|story)[ \t]*:[ \t]*(\S[^\n]*?)[ \t]*(?:\n|$)", re.I)


def page_header(text: str) -> tuple[str, dict[str, str]]:
    """Read ``Target: ...`` and ``Story: ...`` lines at the top of a page (before anything else,
    blank lines allowed between them).

    Returns:
        The text with those lines blanked out (spaces, so every offset into the page still
        holds), and ``{"target": ..., "story": ...}`` for the lines found.
    """
    found: dict[str, str] = {}
    at = 0
    blanked = text
    while True:
        blank = re.match(r"[ \t]*\n", text[at:])
        if blank:
            at += blank.end()
            continue
        m = _HEADER_LINE.match(text, at)
        if m is None or m[1].lower() in found:
            break
        found[m[1].lower()] = m[2]
        end = m.end() - (1 if m[0].endswith("\n") else 0)
        blanked = blanked[:at] + " " * (end - at) + blanked[end:]
        at = m.end()
    return blanked, found


def read_page(text: str, *, document_id: str = "page", story: str | None = None,
              target: str | None = None, cleaner: Any = None) -> Roundup:
    """The pieces of a page as a user copied it, with page furniture removed.

    A roundup page splits into its pieces (:func:`split_roundup`); any other page is one
    article with id ``document_id`` (its headline, when the cleaner finds one at the top, as its
    title). Either way the removals come back too, so that they can be shown.

    Args:
        text: The page as plain text.
        document_id: The article's id, or the prefix of the pieces' ids.
        story: Passed through to every piece.
        target: Passed through to every piece.
        cleaner: As for :func:`split_roundup`.

    ``Target:`` and ``Story:`` lines at the top of the page (:func:`page_header`) give every
    piece its target and story where the arguments give none.
    """
    if isinstance(text, str):
        text, header = page_header(text)
        target, story = target or header.get("target"), story or header.get("story")
    result = split_roundup(text, document_id=document_id, story=story, target=target, cleaner=cleaner)
    if len(result.pieces) == 1 and result.pieces[0].kind == "article":
        result.pieces[0].id = document_id
    return result
