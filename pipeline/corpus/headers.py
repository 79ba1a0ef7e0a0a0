"""The header lines of a roundup page: outlet snippets (``Headline – Outlet – 6/11/2020``),
social posts (``Name (@handle) on X, June 11, 2020: text``), bylines and datelines.

Each header found is a :class:`_Header` that :mod:`.roundup` uses to cut the page into pieces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..lexicon import POST_PLATFORMS as _PLATFORMS
from .dates import _DATE, _DATE_ONLY, parse_date
from .lines import Line

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


_WORD = re.compile(r"\w")
_PROSE_END = tuple(".!?…\"”’')")


@dataclass
class _Header:
    kind: str
    source: str | None
    title: str | None = None
    date: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    text_at: int | None = None  # where a post's text starts within its header line


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


def _is_prose(text: str) -> bool:
    return (text[:1].isupper() or text[:1] in "\"“‘'" or text[:1].isdigit()) and (
        text.endswith(_PROSE_END) or len(text.split()) > 20)
