"""Reading saved HTML pages as plain text, with trafilatura as an optional dependency.

The main text is found by trafilatura (a maintained main-text extractor); nothing here
parses HTML by hand. Install it with ``pip install 'framing[html]'``. The text comes back
one block (paragraph, heading, list item) per paragraph, separated by blank lines, which is
the shape :func:`pipeline.corpus.roundup.split_roundup` expects. Split it with ``cleaner=False``
(the rules alone): trafilatura has already removed the page furniture, and the learned cleaner,
made for whole pages, only loses article text there (0.924 against 0.952 F1 on the extraction
benchmark's pages; docs/benchmarks.md).
"""

from __future__ import annotations

from typing import Any

from .. import errors

__all__ = ["html_to_text"]


def html_to_text(html: str | bytes, *, url: str | None = None, where: str | None = None) -> str:
    """Extract the main text of an HTML page.

    Args:
        html: The page's HTML (bytes are decoded by trafilatura, which reads the charset).
        url: The page's address, if known; trafilatura uses it to resolve relative links
            and to pick site-specific rules.
        where: The file the page came from, for error messages.

    Returns:
        The page's main text: the headline (when trafilatura finds one in the body) and
        its blocks, one per paragraph, separated by blank lines.

    Raises:
        InputError: When trafilatura is not installed, the input is not text, the page
            cannot be parsed, or it holds no main text.
    """
    try:
        import trafilatura
    except ImportError as exc:
        raise errors.InputError(errors.HTML_EXTRA_MISSING) from exc
    if not isinstance(html, (str, bytes)):
        raise errors.InputError(errors.HTML_NOT_TEXT.format(found=type(html).__name__))
    place = f" {where}" if where else ""
    options: dict[str, Any] = {"include_comments": False, "include_tables": False, "output_format": "txt"}
    try:
        text = trafilatura.extract(html, url=url, **options)
    except Exception as exc:  # lxml and trafilatura raise assorted parser errors on broken pages
        raise errors.InputError(errors.HTML_UNREADABLE.format(where=place, detail=exc)) from exc
    blocks = [block.strip() for block in (text or "").splitlines() if block.strip()]
    if not blocks:
        raise errors.InputError(errors.HTML_NO_TEXT.format(where=place))
    return "\n\n".join(blocks)
