"""Story summaries: how each source's pieces split over the labels of each task."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any


def story_summary(records: Iterable[dict[str, Any]]) -> dict[str, dict[str, dict[str, int]]]:
    """Task -> source -> label -> number of pieces, from classification records."""
    counts: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for rec in records:
        source = rec.get("source") or "(unknown)"
        for task, pred in rec["predictions"].items():
            counts[task][source][pred["label"]] += 1
    return {task: {src: dict(c) for src, c in by_source.items()} for task, by_source in counts.items()}


def entity_summary(records: Sequence[dict[str, Any]], *, top: int | None = 20) -> list[dict[str, Any]]:
    """Entity x source: which sources mention whom, how often they quote them, and their stance.

    Entities are linked across pieces first (one id for "Ed Markey", "Markey" and "Sen. Ed
    Markey"), so the counts are per real entity. Most widely mentioned first.

    Returns:
        One dict per entity: ``id``, ``text``, ``label``, ``pieces``, ``quoted``, and
        ``by_source``: source -> ``{"pieces", "quoted", "stance": {label: n}}``.
    """
    from ..entities import Entity, link_entities

    per_piece = [[Entity.from_record(e) for e in rec.get("entities") or []] for rec in records]
    rows = []
    for linked in link_entities(per_piece)[:top]:
        by_source: dict[str, dict[str, Any]] = {}
        for index in linked.pieces:
            source = records[index].get("source") or "(unknown)"
            cell = by_source.setdefault(source, {"pieces": 0, "quoted": 0, "stance": Counter()})
            cell["pieces"] += 1
            cell["quoted"] += index in linked.quoted_in
            if index in linked.stance_by_piece:
                cell["stance"][linked.stance_by_piece[index]] += 1
        rows.append({"id": linked.id, "text": linked.text, "label": linked.label,
                     "pieces": len(linked.pieces), "quoted": len(linked.quoted_in),
                     "by_source": {src: {**c, "stance": dict(c["stance"])} for src, c in by_source.items()}})
    return rows
