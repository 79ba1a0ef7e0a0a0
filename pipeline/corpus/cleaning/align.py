"""Line labels for training the cleaner, derived by aligning a page's text to its true article.

The extraction benchmark gives, per page, the whole page as plain text and the true article
body, but no labels per line. :func:`align` derives them:

* **article**: a line of four or more tokens is article text when at least half of its 4-gram
  shingles occur in the true body (the benchmark's own unit, so a line that counts as a true
  positive there is article here). A shorter line (a sub-heading, a one-word paragraph) is
  article when its token sequence occurs in the body *and* it lies inside the body's span,
  next to an article line; short lines such as "Share" also occur in long bodies by chance.
* **headline**: a line that is not article and reads as one of the page's titles (see
  :func:`html_titles`, or a roundup piece's title): at least
  80% of its tokens are in the title and it covers at least 60% of the title's tokens.
* **byline**: a short line (at most 20 tokens) near the article's start (within eight lines
  before its first line, or right after a headline) that names an author (``By ...``) or
  gives a date or time.
* **furniture**: every other line. Its kind (:attr:`Aligned.kind`) is the rule's reason from
  :func:`pipeline.corpus.boilerplate.line_reason` when one fires, else ``"other"``.

Blank lines get no label. Tokens are the benchmark's ``\\w+`` runs, compared case-folded.
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..boilerplate import Line, line_reason, split_lines

__all__ = ["LABELS", "Aligned", "align", "html_titles"]

LABELS = ("article", "headline", "byline", "furniture")
_TOKEN = re.compile(r"\w+")
_MIN_COVER = 0.5
_DATEISH = re.compile(r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}:\d{2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"
                      r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b"
                      r"|\b(?:updated|published|posted|hours? ago|minutes? ago|days? ago)\b", re.I)
_AUTHOR = re.compile(r"^(?:by|par|por|von|di|door|av|af)\s+\S", re.I)
_TITLE_TAGS = re.compile(r"<title[^>]*>(.*?)</title>|<h1[^>]*>(.*?)</h1>"
                         r"|<meta[^>]+property=[\"']og:title[\"'][^>]+content=[\"']([^\"']*)", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Aligned:
    """One non-blank line of a page and the label derived for it.

    Attributes:
        index: The line's index in :func:`pipeline.corpus.boilerplate.split_lines` of the page.
        line: The line.
        label: One of :data:`LABELS`.
        kind: For furniture, the rules' reason or ``"other"``; otherwise the label.
        cover: Share of the line's shingles (or, for short lines, whether its tokens) found in
            the true body.
    """

    index: int
    line: Line
    label: str
    kind: str
    cover: float


def _tokens(text: str) -> list[str]:
    return [t.casefold() for t in _TOKEN.findall(text)]


def html_titles(html: str) -> list[str]:
    """The titles of an HTML page: its ``<title>`` and ``og:title``, and the ``<h1>`` texts that
    hold at least half the words of one of those (a site's logo is often an ``<h1>`` too)."""
    heads, h1s = [], []
    for m in _TITLE_TAGS.finditer(html or ""):
        text = " ".join(_html.unescape(_TAG.sub(" ", m[1] or m[2] or m[3] or "")).split())
        if text:
            (h1s if m[2] is not None else heads).append(text)
    sets = [set(_tokens(t)) for t in heads]
    return heads + [h for h in h1s if (w := set(_tokens(h))) and any(len(w & s) >= 0.5 * len(s) for s in sets)]


def _is_title(tokens: list[str], titles: Sequence[set[str]]) -> bool:
    words = set(tokens)
    return len(words) >= 2 and any(len(words & t) >= 0.8 * len(words) and len(words & t) >= 0.6 * len(t)
                               for t in titles if t)


def align(page_text: str, article: str, *, titles: Sequence[str] = ()) -> list[Aligned]:
    """Label each non-blank line of ``page_text`` by aligning it to the true ``article``.

    Args:
        page_text: The whole page as plain text.
        article: The true article body (for a roundup, all its pieces' texts).
        titles: The page's titles (see :func:`html_titles`) or its pieces' titles.

    Returns:
        One :class:`Aligned` per non-blank line, in page order (see the module's docstring
        for the rules).
    """
    body = _tokens(article)
    shingles = {tuple(body[i:i + 4]) for i in range(len(body) - 3)}
    joined = " " + " ".join(body) + " "
    title_sets = [set(_tokens(t)) for t in titles]
    lines = [(i, line) for i, line in enumerate(split_lines(page_text)) if not line.blank]
    covers, long_hit = [], []
    for _, line in lines:
        toks = _tokens(line.text)
        if len(toks) >= 4:
            grams = [tuple(toks[k:k + 4]) for k in range(len(toks) - 3)]
            cover = sum(g in shingles for g in grams) / len(grams)
            long_hit.append(cover >= _MIN_COVER)
        else:
            cover = float(bool(toks) and f" {' '.join(toks)} " in joined)
            long_hit.append(False)
        covers.append(cover)
    hits = [k for k, hit in enumerate(long_hit) if hit]
    first, last = (hits[0], hits[-1]) if hits else (len(lines), -1)
    labels: list[str] = []
    for k, (_, line) in enumerate(lines):
        toks = _tokens(line.text)
        if long_hit[k]:
            labels.append("article")
        elif len(toks) < 4 and covers[k] and first < k < last and (long_hit[k - 1] or long_hit[k + 1]):
            labels.append("article")
        elif _is_title(toks, title_sets):
            labels.append("headline")
        else:
            labels.append("furniture")
    for k, (_, line) in enumerate(lines):
        near_start = first - 8 <= k < first or (k > 0 and labels[k - 1] == "headline")
        if (labels[k] == "furniture" and near_start and len(_tokens(line.text)) <= 20
                and (_AUTHOR.match(line.text) or _DATEISH.search(line.text))):
            labels[k] = "byline"
    out = []
    for k, (i, line) in enumerate(lines):
        kind = labels[k] if labels[k] != "furniture" else (line_reason(line.text) or "other")
        out.append(Aligned(i, line, labels[k], kind, covers[k]))
    return out
