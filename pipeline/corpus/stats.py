"""Corpus statistics: counts per task, label, source, story and kind; duplicate texts."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .piece import Piece, text_hash


@dataclass
class CorpusStats:
    """Counts over a corpus, gathered in one pass."""

    pieces: int = 0
    labels: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    sources: Counter = field(default_factory=Counter)
    stories: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    unlabelled: int = 0
    with_target: int = 0
    duplicates: list[list[str]] = field(default_factory=list)
    text_hashes: list[str] = field(default_factory=list, repr=False)  # each piece's, in order

    def unlabelled_for(self, task: str) -> int:
        """How many pieces have no label for ``task``."""
        return self.pieces - sum(self.labels[task].values())

    def to_record(self) -> dict[str, Any]:
        """The statistics as a JSON-ready dict."""
        return {
            "pieces": self.pieces,
            "tasks": {t: dict(c.most_common()) for t, c in self.labels.items()},
            "unlabelled_per_task": {t: self.unlabelled_for(t) for t in self.labels},
            "pieces_without_labels": self.unlabelled,
            "with_target": self.with_target,
            "sources": dict(self.sources.most_common()),
            "stories": dict(self.stories.most_common()),
            "kinds": dict(self.kinds.most_common()),
            "duplicates": self.duplicates,
        }


def corpus_stats(pieces: Iterable[Piece]) -> CorpusStats:
    """Count labels per task, sources, stories and kinds, and find duplicate texts."""
    stats = CorpusStats()
    seen: dict[str, list[str]] = defaultdict(list)
    for piece in pieces:
        stats.pieces += 1
        for task, label in piece.labels.items():
            stats.labels[task][label] += 1
        if not piece.labels:
            stats.unlabelled += 1
        stats.sources[piece.source or "(none)"] += 1
        stats.stories[piece.story or "(none)"] += 1
        stats.kinds[piece.kind] += 1
        stats.with_target += piece.target is not None
        digest = text_hash(piece.text)
        stats.text_hashes.append(digest)
        seen[digest].append(piece.id)
    stats.duplicates = [ids for ids in seen.values() if len(ids) > 1]
    return stats
