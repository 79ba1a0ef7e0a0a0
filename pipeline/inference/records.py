"""Output records: one plain dict per classified piece (the JSON/JSONL output format), and a DataFrame of them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..corpus import Piece
from .targets import TargetMatch

Record = dict[str, Any]


def piece_record(piece: Piece, predictions: dict[str, Any], entities: list[Record] | None,
                 match: TargetMatch | None = None) -> Record:
    """The output record of one classified piece (also the JSON/JSONL output format).

    ``target_seen``: whether the piece's target is one the model's stance was trained on (None
    when no task of the model reads targets); ``target_match``: the training target it matched,
    or the closest one, with the similarity and how it was matched.
    """
    record: Record = {
        "id": piece.id,
        "kind": piece.kind,
        "source": piece.source,
        "date": piece.date,
        "title": piece.title,
        "story": piece.story,
        "target": piece.target,
        "target_seen": match.seen if match is not None else None,
        "target_match": match.to_record() if match is not None and match.target is not None else None,
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
        row = {k: rec.get(k) for k in ("id", "kind", "source", "date", "title", "story", "target", "target_seen")}
        match = rec.get("target_match") or {}
        row["target_match"] = match.get("target")
        row["target_match_score"] = match.get("score")
        for task, pred in rec["predictions"].items():
            row[task] = pred["label"]
            row[f"{task}_confidence"] = pred["confidence"]
        if "entities" in rec:
            row["entities"] = "; ".join(e["text"] for e in rec["entities"])
        rows.append(row)
    return pd.DataFrame(rows)
