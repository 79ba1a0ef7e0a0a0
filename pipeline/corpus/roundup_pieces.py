"""One piece of a roundup page built from its header and the kept lines of its body: the
article's title, kicker, byline and dateline read off its top (by the rules, or as the learned
cleaner reads them), a post's text from its header line."""

from __future__ import annotations

import re
from typing import Any

from .assemble import assemble
from .furniture import headline_like
from .headers import _WORD, _Header, _line_meta, _metadata, _with_date
from .lines import Line, Removal
from .piece import Piece

_WRAPPED = re.compile(r"[“\"](?P<inner>[^“”\"]+)[”\"]")


def _learned_top(lines: list[Line], body: list[int], scores: list, meta: dict[str, Any],
                 removals: list[Removal]) -> tuple[str | None, int]:
    """The title and metadata at the top of an article, as the learned cleaner reads them.

    The kept lines before the first line of article text: of the headline-like ones the cleaner
    reads as more likely a headline than anything else but article text, the last is the title
    (a site's name reads as one too, and comes first); up to two short headline-like lines just
    above it are its kicker, when the first of them opens a block. The lines after it are read
    for a byline and dateline (as without the cleaner), or kept in ``meta["dateline"]`` when the
    cleaner reads them as one; everything else there is removed as furniture.

    Returns:
        The title (or ``None``) and how many lines of ``body`` the top takes (all of them when
        none is article text).
    """
    lead = 0
    while lead < len(body) and scores[body[lead]] is not None and scores[body[lead]].label != "article":
        lead += 1
    if lead == len(body):  # no article text before the first snippet or post: a masthead, a menu
        for i in body:
            removals.append(Removal(lines[i].start, lines[i].end, lines[i].text, "furniture", scores[i].confidence))
        return None, lead
    heads = [k for k in range(lead) if headline_like(lines[body[k]].text, max_words=25)
             and scores[body[k]].headline >= 0.5 * (1.0 - scores[body[k]].article)]
    title_at = heads[-1] if heads else None  # the nearest to the text: a site's name is read as one too
    used: set[int] = set()
    if title_at is not None:
        used.add(title_at)
        kicker = []
        for k in (title_at - 1, title_at - 2):
            if k < 0 or k != title_at - 1 - len(kicker) or not headline_like(lines[body[k]].text, max_words=6):
                break
            kicker.insert(0, k)
        while kicker and body[kicker[0]] > 0 and not lines[body[kicker[0]] - 1].blank:
            kicker.pop(0)  # a kicker opens its block; a short line under a menu is the menu's
        if kicker:
            meta["kicker"] = " | ".join(lines[body[k]].text for k in kicker)
            used.update(kicker)
    k = 0 if title_at is None else title_at + 1
    while k < lead:
        found = _line_meta(lines, body[k:lead], bare=title_at is not None)
        if found is not None:
            meta.setdefault("byline", found["byline"]) if "byline" in found else None
            if "date" in found:
                meta.setdefault("date_found", found["date"])
            used.add(k)
        elif scores[body[k]].label == "byline":
            meta.setdefault("dateline", lines[body[k]].text)
            used.add(k)
        k += 1
    for k in range(lead):
        if k not in used:
            i = body[k]
            removals.append(Removal(lines[i].start, lines[i].end, lines[i].text, "furniture", scores[i].confidence))
    return (lines[body[title_at]].text if title_at is not None else None), lead


def _piece(lines: list[Line], body: list[int], at: int | None, header: _Header,
           removals: list[Removal], scores: list | None = None) -> Piece | None:
    """Build one piece from its header (``at``, if any) and the kept lines of its body."""
    meta, title, when = dict(header.meta), header.title, header.date
    first = at
    if header.kind == "article" and scores is not None:
        first = body[0] if body else None
        title, lead = _learned_top(lines, body, scores, meta, removals)
        if "date_found" in meta:
            when = _with_date(meta, meta.pop("date_found"))
        body = body[lead:]
    elif header.kind == "article":
        tops: list[int] = []
        for k, i in enumerate(body[:4]):
            nxt = i + 1 < len(lines) and not lines[i + 1].blank and (i + 1) in body
            if nxt and _metadata(lines[i + 1].text) is None or not headline_like(lines[i].text, max_words=25) \
                    or _line_meta(lines, body[k:], bare=bool(tops)) is not None:
                break
            tops.append(i)
        if len(tops) == 4 or len(tops) == len(body):
            tops = []
        if tops:
            title = lines[tops[-1]].text
            if len(tops) > 1:
                meta["kicker"] = " | ".join(lines[i].text for i in tops[:-1])
        first = body[0] if body else None
        body = body[len(tops):]
    if header.kind != "post":
        while body and (found := _line_meta(lines, body, bare=title is not None)) is not None:
            if "byline" in found:
                meta.setdefault("byline", found["byline"])
            if when is None and meta.get("date_text") is None and "date" in found:
                when = _with_date(meta, found["date"])
            body = body[1:]
    parts = lines[body[0]:body[-1] + 1] if body else []
    if header.kind == "post" and at is not None:  # the text starts on the header line
        line = lines[at]
        parts = [Line(line.start + header.text_at, line.text[header.text_at:].strip()),
                 *(lines[at + 1:body[-1] + 1] if body else [])]
    kept = assemble(parts, removals)
    if header.kind == "post" and (m := _WRAPPED.fullmatch(kept)):
        kept = m["inner"].strip()
    if not _WORD.search(kept) and header.kind == "snippet":
        kept = title or ""
    if not _WORD.search(kept) or first is None:
        return None
    end = lines[body[-1]].end if body else lines[at].end if at is not None else lines[first].end
    return Piece(id="", text=kept, title=title, source=header.source, kind=header.kind, date=when,
                 meta=meta, offsets=(lines[first].start, end))
