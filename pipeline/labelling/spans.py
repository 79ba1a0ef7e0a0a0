"""The entity mentions the labelling page highlights: spans from entity records, and spaCy's NER
as the source of them when the session runs without a model."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..corpus import Piece

__all__ = ["entity_spans", "ner_entities"]


def entity_spans(entities: list[dict], length: int) -> list[dict[str, Any]]:
    """Non-overlapping ``{start, end, label, name}`` mention spans, in text order, from entity records."""
    spans = sorted((s, e, ent["label"], ent["text"]) for ent in entities for s, e in ent.get("mentions", [])
                   if 0 <= s < e <= length)
    out: list[dict[str, Any]] = []
    for start, end, label, name in spans:
        if out and start < out[-1]["end"]:
            continue
        out.append({"start": start, "end": end, "label": label, "name": name})
    return out


def ner_entities(processor: Any, entity_types: Iterable[str] | None = None) -> Callable[[Piece], list[dict]]:
    """``entities(piece) -> entity records`` with spaCy's NER, for highlighting without a model."""
    from ..entities import extract_entities

    def entities(piece: Piece) -> list[dict]:
        doc = next(iter(processor.docs([piece.text])))
        return [e.to_record() for e in extract_entities(doc, types=entity_types)]

    return entities
