"""Story summaries: how each source's pieces split over the labels of each task."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any


def story_summary(records: Iterable[dict[str, Any]]) -> dict[str, dict[str, dict[str, int]]]:
    """Task -> source -> label -> number of pieces, from classification records."""
    counts: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for rec in records:
        source = rec.get("source") or "(unknown)"
        for task, pred in rec["predictions"].items():
            counts[task][source][pred["label"]] += 1
    return {task: {src: dict(c) for src, c in by_source.items()} for task, by_source in counts.items()}
