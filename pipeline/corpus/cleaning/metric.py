"""The article-extraction benchmark's metric: overlap of 4-gram word shingles with the true body.

Our own implementation of the metric of Scrapinghub's article-extraction benchmark
(github.com/scrapinghub/article-extraction-benchmark, ``evaluate.py``, MIT): texts are split
into ``\\w+`` tokens (case kept), shingles are runs of four tokens counted with multiplicity,
each page's true/false positives and false negatives are normalised to sum to 1 (so long pages
weigh no more than short ones), precision and recall are averaged over pages, and F1 is taken
of the two averages (not averaged per page).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["PageScore", "Scores", "score_page", "summarise"]

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class PageScore:
    """One page's normalised shingle counts.

    Attributes:
        tp: Shingles of the true body that were extracted, as a share of all counted.
        fp: Extracted shingles that are not in the true body.
        fn: Shingles of the true body that were missed.
    """

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        """The page's precision; 1 when nothing was expected and nothing extracted."""
        if self.fp == self.fn == 0:
            return 1.0
        return 0.0 if self.tp == self.fp == 0 else self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        """The page's recall; 1 when nothing was expected and nothing extracted."""
        if self.fp == self.fn == 0:
            return 1.0
        return 0.0 if self.tp == self.fn == 0 else self.tp / (self.tp + self.fn)


@dataclass(frozen=True)
class Scores:
    """Precision and recall averaged over pages, and the F1 of those averages."""

    precision: float
    recall: float
    f1: float
    pages: int


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def score_page(true: str, predicted: str, *, n: int = 4) -> PageScore:
    """Compare one page's extracted text with its true body.

    Args:
        true: The true article body.
        predicted: The extracted text.
        n: Shingle length in tokens (the benchmark uses 4).

    Returns:
        The page's true/false positives and false negatives, normalised to sum to 1.
    """
    want, got = _shingles(true, n), _shingles(predicted, n)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    return PageScore(tp / total, fp / total, fn / total) if total else PageScore(0.0, 0.0, 0.0)


def summarise(pages: Iterable[PageScore]) -> Scores:
    """Average precision and recall over pages (as the benchmark does) and their F1.

    Pages with nothing extracted count in recall only; pages with nothing expected count in
    precision only, as in the benchmark.
    """
    pages = list(pages)
    precisions = [p.precision for p in pages if p.tp + p.fp > 0]
    recalls = [p.recall for p in pages if p.tp + p.fn > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, len(pages))
