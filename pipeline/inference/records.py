"""Output records: one plain dict per classified piece (the JSON/JSONL output format), and a DataFrame of them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..corpus import Piece

Record = dict[str, Any]


def piece_record(piece: Piece, predictions: dict[str, Any], entities: list[Record] | None) -> Record:
    """The output record of one classified piece (also the JSON/JSONL output format)."""
    record: Record = {
        "id": piece.id,
        "kind": piece.kind,
        "source": piece.source,
        "date": piece.date,
        "title": piece.title,
        "story": piece.story,
        "target": piece.target,
        "predictions": predictions,
    }
    if entities is not None:
        record["entities"] = entities
    if piece.labels:
        record["gold"] = dict(piece.labels)
    if piece.offsets is not None:
        record["offsets"] = list(piece.offsets)
    if piece.meta:
        record["meta"] = piece.meta
    return record


def to_dataframe(records: Iterable[Record]):
    """Flatten records into a pandas DataFrame: one row per piece, ``TASK`` and ``TASK_confidence`` columns.

    Raises:
        ImportError: When pandas is not installed (``pip install 'framing[pandas]'``).
    """
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("to_dataframe needs pandas: pip install 'framing[pandas]'") from None
    rows = []
    for rec in records:
        row = {k: rec.get(k) for k in ("id", "kind", "source", "date", "title", "story", "target")}
        for task, pred in rec["predictions"].items():
            row[task] = pred["label"]
            row[f"{task}_confidence"] = pred["confidence"]
        if "entities" in rec:
            row["entities"] = "; ".join(e["text"] for e in rec["entities"])
        rows.append(row)
    return pd.DataFrame(rows)
