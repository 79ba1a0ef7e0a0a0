"""``framing split``: the pieces of a roundup page, as JSONL."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import out
from ._errors import handles_errors
from ._text import json_text


@handles_errors
def split_cli(
    page: Annotated[Path, typer.Argument(help="A roundup page saved as text (.txt) or HTML.")],
    show_removed: Annotated[bool, typer.Option(
        help="Also print the boilerplate removed, why, and the learned cleaner's confidence.")] = False,
) -> None:
    """Split a roundup page into its article, outlet snippets and social posts (JSONL, one piece a line)."""
    from ..corpus.roundup import read_page
    from ..corpus.text_io import read_text

    text = read_text(page)
    if page.suffix.lower() in (".html", ".htm"):
        from ..corpus.html import html_to_text

        text = html_to_text(text)
    # trafilatura has already taken the furniture out of an HTML page: the learned cleaner, made for
    # whole pages, only loses text there (docs/benchmarks.md), so HTML gets the rules alone.
    html = page.suffix.lower() in (".html", ".htm")
    # read_page, as classify reads a page: the same pieces and ids (a page that is one article is
    # one piece with the page's name as its id, not NAME#1)
    result = read_page(text, document_id=page.stem, cleaner=False if html else None)
    for piece in result.pieces:
        out.print(json_text(piece.to_record()), highlight=False, soft_wrap=True)
    if show_removed:
        for removal in result.removed:
            record = {"removed": removal.text, "reason": removal.reason, "offsets": [removal.start, removal.end]}
            if removal.confidence is not None:  # removed by the learned cleaner: how sure it was
                record["confidence"] = round(removal.confidence, 3)
            out.print(json_text(record), highlight=False, soft_wrap=True)
