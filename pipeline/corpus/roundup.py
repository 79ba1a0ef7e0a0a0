"""Splitting a news roundup page into its pieces: the main article, outlet snippets, posts.

A roundup page, copied as plain text, holds a main article (maybe under a headline), then
snippets that each open with a line such as ``Headline – Outlet – 6/11/2020``, then social
posts such as ``Name (@handle) on X, June 11, 2020: text``, with page furniture mixed in.
:func:`split_roundup` returns one :class:`~pipeline.corpus.piece.Piece` per unit, each with
offsets into the original page, and the furniture it left out (see :mod:`.boilerplate`).
Everything is plain line and regex work: no parser, no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as _date
from typing import Any

from .. import errors
from ..lexicon import POST_PLATFORMS as _PLATFORMS
from .boilerplate import (
    Line,
    Removal,
    assemble,
    clean_text,
    find_removals,
    headline_like,
    learned_scores,
    line_reason,
    split_lines,
)
from .piece import Piece

__all__ = ["Roundup", "clean_text", "looks_like_roundup", "parse_date", "read_page", "split_roundup"]

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\.?,?\s+)"
_DATE = (rf"(?i:{_WEEKDAY}?(?:\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
         rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}))")
_DATE_ONLY = re.compile(_DATE)
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MDY = re.compile(rf"({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", re.I)
_DMY = re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH}),?\s+(\d{{4}})", re.I)
_LEADING_WEEKDAY = re.compile(rf"^{_WEEKDAY}", re.I)
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}

_SEP = re.compile(r"\s*[–—|]\s*|\s+--?\s+")
_OUTLET_DATE = re.compile(rf"(?P<outlet>[^,]{{2,60}}),\s*(?P<date>{_DATE})")
_OUTLET_WORD = re.compile(r"[A-ZÀ-Þ0-9][\w.&'’!+-]*|of|the|and|for|on|in|at|de|la|le|el|du|des|der|di|da|y|&"
                          r"|[a-z0-9-]+\.(?:com|org|net|news|io|co|uk|us|ca|au|de|fr)")
_NAME_WORD = r"[A-ZÀ-Þ][\w'’.-]*"
_POST = re.compile(
    rf"(?P<name>@[\w.]+|{_NAME_WORD}(?:\s+(?:(?:de|da|del|van|von|der|den|la|le|du|dos|bin|al|of|for|the|and|&)\s+)"
    rf"{{0,2}}(?:{_NAME_WORD}|\d[\w-]*)){{0,5}})(?:\s*\((?P<handle>@[\w.@-]+)\))?,?\s+"
    rf"(?i:(?:(?:wrote|posted|said|shared|commented|replied)\s+)?(?:on|via)\s+(?P<platform>{'|'.join(_PLATFORMS)})\b"
    rf"|(?P<tweeted>tweeted))(?:\s*(?:,|\(|\bon\b)\s*(?:(?P<date>{_DATE})|(?P<when>[^:()]{{0,30}}\d[^:()]{{0,30}}?))"
    rf"\)?)?(?:\s*:\s*(?P<text>.*))?")
_BYLINE = re.compile(r"[Bb]y\s+(?P<who>[A-ZÀ-Þ][\w'’.-]*"
                     r"(?:\s+(?:[A-ZÀ-Þ][\w'’.-]*|and|&|de|van|von|la|le)){1,8}"
                     r"(?:,\s*[A-Z][\w’' ]{0,40})?)")
_BARE_BYLINE = re.compile(r"[A-ZÀ-Þ][\w'’.-]*(?:\s+[A-ZÀ-Þ][\w'’.-]*){1,3}(?:,\s*[A-Z][\w’' ]{0,40})?")
_DATELINE = re.compile(rf"(?i:(?:(?:published|updated|posted|last updated)(?:\s+on)?\s*:?\s*)?(?P<date>{_DATE})"
                       r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[a-z]{2,4})?)?\.?)")
_READ_TIME = re.compile(r"\d+\s*min(?:ute)?s?\s+read", re.I)
_META_SEP = re.compile(r"\s+[|·•–—]\s+")
_WRAPPED = re.compile(r"[“\"](?P<inner>[^“”\"]+)[”\"]")
_WORD = re.compile(r"\w")
_PROSE_END = tuple(".!?…\"”’')")


@dataclass
class Roundup:
    """A roundup page split into pieces.

    Attributes:
        pieces: The article, snippets and posts, in page order.
        removed: The furniture left out, with offsets into the original page.
    """

    pieces: list[Piece] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)


@dataclass
class _Header:
    kind: str
    source: str | None
    title: str | None = None
    date: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    text_at: int | None = None  # where a post's text starts within its header line


def parse_date(text: str) -> str | None:
    """Read a date as ISO ``YYYY-MM-DD``.

    Accepts ``6/11/2020`` (US month/day), ``2020-06-11``, ``June 11, 2020``, ``Jun. 11, 2020``,
    ``11 June 2020``, with an optional weekday in front; two-digit years are read as 19xx
    from 70 on and as 20xx below.

    Returns:
        The ISO date, or ``None`` when ``text`` is not one of these forms or not a real day.
    """
    text = _LEADING_WEEKDAY.sub("", text.strip())
    if m := _US.fullmatch(text):
        month, day, year = m.groups()
    elif m := _ISO.fullmatch(text):
        year, month, day = m.groups()
    elif m := _MDY.fullmatch(text):
        month, day, year = _MONTHS[m[1][:3].lower()], m[2], m[3]
    elif m := _DMY.fullmatch(text):
        day, month, year = m[1], _MONTHS[m[2][:3].lower()], m[3]
    else:
        return None
    y = int(year) + (0 if len(year) == 4 else 1900 if int(year) >= 70 else 2000)
    try:
        return _date(y, int(month), int(day)).isoformat()
    except ValueError:
        return None


def _with_date(meta: dict[str, Any], text: str | None) -> str | None:
    """Parse ``text`` as a date; keep it under ``meta["date_text"]`` when it is not a real day."""
    if not text:
        return None
    iso = parse_date(text)
    if iso is None:
        meta["date_text"] = text
    return iso


def _post_header(text: str) -> _Header | None:
    m = _POST.match(text)
    if not m or (m["text"] is None and m["date"] is None) or len(m["name"]) > 80:
        return None
    platform = "Twitter" if m["tweeted"] else _PLATFORMS[m["platform"].lower()]
    meta: dict[str, Any] = {"platform": platform}
    if m["handle"] or m["name"].startswith("@"):
        meta["handle"] = m["handle"] or m["name"]
    name, role = _author(m["name"])
    if role:
        meta["author_role"] = role
    return _Header("post", name, None, _with_date(meta, m["date"] or m["when"]), meta,
                   m.start("text") if m["text"] is not None else len(text))


def _author(name: str) -> tuple[str, str | None]:
    """A post's author without the title written before the name ("Sen. Ed Markey" ->
    "Ed Markey", role "senator"): the person is the source, the title their role (issue 22)."""
    from ..entities.names import split_title  # plain strings; no spaCy

    return split_title(name)


def _snippet_header(text: str, *, dated_only: bool) -> _Header | None:
    seps = list(_SEP.finditer(text)) if len(text) <= 300 else []
    if not seps:
        return None
    tail = text[seps[-1].end():]
    if len(seps) >= 2 and _DATE_ONLY.fullmatch(tail):
        cut, outlet, when = seps[-2], text[seps[-2].end():seps[-1].start()], tail
    elif m := _OUTLET_DATE.fullmatch(tail):
        cut, outlet, when = seps[-1], m["outlet"], m["date"]
    elif dated_only:
        return None
    else:
        cut, outlet, when = seps[-1], tail, None
    title = text[:cut.start()].strip()
    words = outlet.split()
    if not (0 < len(words) <= 6 and all(_OUTLET_WORD.fullmatch(w) for w in words) and words[0][0].isupper()):
        return None
    if not (0 < len(title.split()) <= 30 and _WORD.search(title)) or title.endswith((",", ";", ":")):
        return None
    meta: dict[str, Any] = {}
    return _Header("snippet", outlet.strip(), title, _with_date(meta, when), meta)


def _metadata(text: str) -> dict[str, str] | None:
    """Read a byline / dateline such as ``By Jane Doe | June 12, 2020``; ``None`` if it is not one."""
    found: dict[str, str] = {}
    for part in _META_SEP.split(text):
        if m := _BYLINE.fullmatch(part):
            found.setdefault("byline", m["who"])
        elif m := _DATELINE.fullmatch(part):
            found.setdefault("date", m["date"])
        elif not _READ_TIME.fullmatch(part):
            return None
    return found


def _line_meta(lines: list[Line], body: list[int], *, bare: bool) -> dict[str, str] | None:
    """Metadata on the first line of ``body``; with ``bare``, also a byline without "By"
    (``Jane Doe, Staff Writer``) when a dateline follows it directly."""
    found = _metadata(lines[body[0]].text)
    if (found is None and bare and _BARE_BYLINE.fullmatch(lines[body[0]].text) and len(body) > 1
            and body[1] == body[0] + 1 and "date" in (_metadata(lines[body[1]].text) or {})):
        found = {"byline": lines[body[0]].text}
    return found


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


def _is_prose(text: str) -> bool:
    return (text[:1].isupper() or text[:1] in "\"“‘'" or text[:1].isdigit()) and (
        text.endswith(_PROSE_END) or len(text.split()) > 20)


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
