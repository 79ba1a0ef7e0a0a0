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
    shared_texts: list[list[str]] = field(default_factory=list)
    several_targets: int = 0  # texts that come with more than one target
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
            "texts_with_several_targets": self.several_targets,
        }


def corpus_stats(pieces: Iterable[Piece]) -> CorpusStats:
    """Count labels per task, sources, stories and kinds, and find duplicate texts.

    ``duplicates`` groups pieces with the same text and the same target (or none): copies.
    ``shared_texts`` groups pieces with the same text whatever their targets, which also
    joins the pieces of pair data (an FNC-1 body with each of its headlines, a sentence with
    each of its named targets): not copies, but cross-validation keeps each group on one side.
    """
    stats = CorpusStats()
    seen: dict[str, list[str]] = defaultdict(list)
    copies: dict[tuple[str, str | None], list[str]] = defaultdict(list)
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
        copies[digest, None if piece.target is None else text_hash(piece.target)].append(piece.id)
    stats.duplicates = [ids for ids in copies.values() if len(ids) > 1]
    stats.shared_texts = [ids for ids in seen.values() if len(ids) > 1]
    stats.several_targets = sum(n > 1 for n in Counter(digest for digest, _ in copies).values())
    return stats
