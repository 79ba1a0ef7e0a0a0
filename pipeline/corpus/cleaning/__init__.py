"""The learned page cleaner: which lines of a copied page are article text.

* :mod:`.align` derives line labels from a page and its true article (training data);
* :mod:`.features` describes lines from their text alone;
* :mod:`.model` is the classifier; :mod:`.shipped` loads the one in the package;
* :mod:`.training` builds the training set and cross-validates;
* :mod:`.metric` is the article-extraction benchmark's shingle metric.

:func:`score_lines` is what the roundup splitter and :func:`~pipeline.corpus.boilerplate.clean_text`
call. scikit-learn is imported on first use only.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from ..boilerplate import Line

__all__ = ["LineScore", "score_lines"]


@dataclass(frozen=True)
class LineScore:
    """The cleaner's reading of one non-blank line.

    Attributes:
        label: ``article``, ``headline``, ``byline`` or ``furniture`` (``article`` whenever
            ``article`` reaches the threshold, else the most probable of the others).
        article: The probability that the line is article text.
        confidence: The probability of ``label``; for a line judged not article, ``1 - article``
            (how sure the cleaner is that removing it loses no article text).
        headline: The probability that the line is a headline.
    """

    label: str
    article: float
    confidence: float
    headline: float = 0.0

    @property
    def furniture(self) -> bool:
        """Whether the line is not article text (furniture, a headline or a byline)."""
        return self.label != "article"


def score_lines(lines: Sequence[Line], *, cleaner: Any = None, breaks: Collection[int] = ()) -> list[LineScore | None]:
    """Score each line of a page with the learned cleaner and decide which are article text.

    Each line gets the classifier's probability of being article text. The decision is then
    taken per region (the page before the first of ``breaks``, then each stretch from one break
    to the next): article text is the contiguous run of lines that maximises the sum of
    ``(p - threshold) * sqrt(characters)`` (a page's article is one stretch, with furniture
    around it), less the lines inside it that score below :data:`_INSIDE`. On a page without
    breaks the threshold falls to half the page's best score when that is lower, because such a
    page holds an article even when all of it looks unusual to the classifier.

    Args:
        lines: The page's lines, from :func:`pipeline.corpus.boilerplate.split_lines`.
        cleaner: A :class:`~.shipped.ShippedCleaner`; ``None`` loads the shipped one (once).
        breaks: Indexes of lines that start a new piece (snippet and post headers); they are
            scored but never decided here.

    Returns:
        One :class:`LineScore` per line, ``None`` for blank lines.

    Raises:
        ModelError: When the shipped cleaner cannot be loaded (see :func:`.shipped.load_cleaner`).
    """
    import numpy as np

    from .features import line_features
    from .shipped import load_cleaner

    cleaner = cleaner or load_cleaner()
    rows, X = line_features(lines)
    out: list[LineScore | None] = [None] * len(lines)
    if not rows:
        return out
    proba = cleaner.model.predict_proba(X)
    classes = [str(c) for c in cleaner.model.classes_]
    col = classes.index("article")
    article = proba[:, col]
    others = proba.copy()
    others[:, col] = -1.0
    runner_up = np.argmax(others, axis=1)
    breaks = set(breaks)
    keep = np.zeros(len(rows), bool)
    region: list[int] = []
    for k, i in enumerate([*rows, None]):
        if i is None or i in breaks:
            if region:
                keep[region] = _decide(article[region], [len(lines[rows[j]].text) for j in region],
                                       cleaner.threshold, relative=not breaks)
            region = []
            if i is not None:
                keep[k] = article[k] >= cleaner.threshold
            continue
        region.append(k)
    heads = proba[:, classes.index("headline")] if "headline" in classes else np.zeros(len(rows))
    for k, i in enumerate(rows):
        p, h = float(article[k]), float(heads[k])
        out[i] = LineScore("article", p, p, h) if keep[k] else LineScore(classes[runner_up[k]], p, 1.0 - p, h)
    return out


_INSIDE = 0.15  # inside the article's stretch, a line scoring below this is still furniture


def _decide(scores: Any, chars: Sequence[int], threshold: float, *, relative: bool) -> Any:
    """Which lines of one region are article text: the best contiguous run (see :func:`score_lines`)."""
    import numpy as np

    t = min(threshold, 0.5 * float(scores.max())) if relative else threshold
    gain = (scores - t) * np.sqrt(np.asarray(chars, dtype=np.float64))
    best = current = 0.0
    start = lo = hi = 0
    for k, g in enumerate(gain):
        if current <= 0:
            current, start = g, k
        else:
            current += g
        if current > best:
            best, lo, hi = current, start, k + 1
    keep = np.zeros(len(scores), bool)
    keep[lo:hi] = scores[lo:hi] >= min(_INSIDE, t)
    return keep
