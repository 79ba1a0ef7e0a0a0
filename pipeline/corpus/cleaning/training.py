"""Training data for the cleaner and its page-grouped cross-validation.

Two sources: the pages of the article-extraction benchmark (each page's whole text, its true
article and its HTML titles; :func:`extraction_pages`) and the roundup pages written for this
project (each page and its expected pieces; :func:`roundup_pages`). Both are labelled line by
line by :func:`.align.align`.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..boilerplate import Line, split_lines
from .align import align, html_titles
from .features import line_features
from .model import LineClassifier

__all__ = ["TrainingPage", "extraction_pages", "fit_cleaner", "out_of_fold", "roundup_pages"]


@dataclass
class TrainingPage:
    """One page to learn from.

    Attributes:
        id: A name for reports (the page's URL or file name).
        text: The whole page as plain text.
        article: The true article text (for a roundup, every piece's text).
        titles: The page's or pieces' titles (for the headline label).
        source: ``extraction`` or ``roundups``.
    """

    id: str
    text: str
    article: str
    titles: list[str] = field(default_factory=list)
    source: str = "extraction"
    _cache: tuple | None = field(default=None, repr=False)

    def rows(self) -> tuple[list[Line], list[int], np.ndarray, np.ndarray]:
        """The page's lines, the indexes of its non-blank lines, their features and labels."""
        if self._cache is None:
            lines = split_lines(self.text)
            rows, X = line_features(lines)
            labels = {a.index: a.label for a in align(self.text, self.article, titles=self.titles)}
            self._cache = (lines, rows, X, np.array([labels[i] for i in rows]))
        return self._cache


def extraction_pages(path: Path) -> list[TrainingPage]:
    """The benchmark pages in ``pages.jsonl.gz`` (fields ``url, html, page_text, article``)."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [TrainingPage(r["url"], r["page_text"], r["article"], html_titles(r["html"]))
                for r in map(json.loads, f)]


def roundup_pages(folder: Path) -> list[TrainingPage]:
    """The pages ``NAME.txt`` in ``folder`` that have a ``NAME.expected.json``."""
    pages = []
    for path in sorted(folder.glob("*.txt")):
        sidecar = path.with_suffix(".expected.json")
        if sidecar.exists():
            pieces = json.loads(sidecar.read_text(encoding="utf-8"))["pieces"]
            pages.append(TrainingPage(path.name, path.read_text(encoding="utf-8"),
                                      "\n\n".join(p["text"] for p in pieces),
                                      [p["title"] for p in pieces if p.get("title")], "roundups"))
    return pages


def fit_cleaner(pages: Sequence[TrainingPage], **params) -> LineClassifier:
    """Fit a :class:`~.model.LineClassifier` (``params`` passed on) on ``pages``."""
    parts = [p.rows() for p in pages]
    X = np.vstack([X for _, _, X, _ in parts])
    y = np.concatenate([y for _, _, _, y in parts])
    return LineClassifier(**params).fit(X, y)


def out_of_fold(pages: Sequence[TrainingPage], *, folds: int = 5, seed: int = 0,
                progress: Callable[[Iterable], Iterable] = iter, **params) -> list[LineClassifier]:
    """For each page, a classifier fitted on the folds that do not hold it (page-grouped CV).

    Pages are dealt to ``folds`` folds in a seeded random order, so that every page is scored
    by a model that never saw it.
    """
    order = np.random.default_rng(seed).permutation(len(pages))
    fold_of = np.empty(len(pages), np.int64)
    fold_of[order] = np.arange(len(pages)) % folds
    models: list[LineClassifier | None] = [None] * len(pages)
    for k in progress(range(folds)):
        model = fit_cleaner([p for p, f in zip(pages, fold_of) if f != k], **params)
        for i in np.flatnonzero(fold_of == k):
            models[i] = model
    return models  # type: ignore[return-value]
