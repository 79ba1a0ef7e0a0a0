"""The lines of a copied page and the record of what was left out of them.

:func:`split_lines` cuts a text into stripped :class:`Line` records that keep their character
offsets; every removal (by the rules in :mod:`.furniture`, the learned cleaner, or the
roundup splitter) is a :class:`Removal` with offsets into the original text and a reason
from :data:`REASONS`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["REASONS", "Line", "Removal", "split_lines"]


REASONS = (
    "image-credit",  # photo and illustration credits, captions with a credit, licence notices
    "newsletter",  # newsletter and e-mail sign-up calls to action
    "related-links",  # "Related" / "You May Also Like" blocks and their headlines, "Read more"
    "promo",  # the publisher's slogans and self-promotion, ads, copyright lines
    "paywall",  # subscriber-only notices, also when dropped into the middle of a sentence
    "share-prompt",  # share buttons, "Listen to this article", comment prompts
    "cookie",  # cookie banners and their buttons
    "section-heading",  # a roundup's own headings ("What other outlets are saying"); see roundup.py
    "furniture",  # not article text, by the learned cleaner (pipeline.corpus.cleaning), with its confidence
    "interruption",  # lines between the two halves of a sentence (a notice or blurb dropped into it)
)


@dataclass(frozen=True)
class Removal:
    """A stretch of the original text that was left out, and why.

    Attributes:
        start: Offset of the first removed character in the original text.
        end: Offset just past the last one, so that ``original[start:end] == text``.
        text: The removed text: a whole line, or a notice cut out of a line.
        reason: One of :data:`REASONS`.
        confidence: For a removal by the learned cleaner, its probability that the line is not
            article text; ``None`` for the rules.
    """

    start: int
    end: int
    text: str
    reason: str
    confidence: float | None = None


@dataclass(frozen=True)
class Line:
    """One line of a document without its line break and surrounding white space.

    Attributes:
        start: Offset of the line's first non-space character in the document.
        text: The stripped line (empty for a blank line).
    """

    start: int
    text: str

    @property
    def end(self) -> int:
        """Offset just past the line's last non-space character."""
        return self.start + len(self.text)

    @property
    def blank(self) -> bool:
        """Whether the line holds nothing but white space."""
        return not self.text


def split_lines(text: str) -> list[Line]:
    """Split ``text`` into stripped :class:`Line` records that keep their offsets."""
    lines, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.splitlines()[0]
        stripped = body.strip()
        lines.append(Line(pos + (len(body) - len(body.lstrip()) if stripped else 0), stripped))
        pos += len(raw)
    return lines
