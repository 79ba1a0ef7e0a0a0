"""Output records: one plain dict per classified piece (the JSON/JSONL output format), and a DataFrame of them."""

from __future__ import annotations

import json
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
        "text": piece.text,
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


PIECE_COLUMNS = ("id", "kind", "source", "date", "story", "target", "target_seen", "target_match",
                 "target_match_score", "title", "text")
SIGNS = {"positive": "+", "negative": "-", "neutral": "="}


def without_text(record: Record) -> Record:
    """``record`` without its ``text`` and ``title`` (``--no-text``)."""
    return {k: v for k, v in record.items() if k not in ("text", "title")}


def flat_columns(labels: dict[str, list[str]], *, text: bool = True) -> list[str]:
    """The columns of :func:`flatten_record` for a model's tasks and labels, in order.

    Args:
        labels: Task -> its labels (one ``TASK_p_LABEL`` probability column each).
        text: Include the ``title`` and ``text`` columns.
    """
    columns = [c for c in PIECE_COLUMNS if text or c not in ("title", "text")]
    for task, names in labels.items():
        columns += [task, f"{task}_confidence", *(f"{task}_p_{lab}" for lab in names), f"gold_{task}"]
        if task == "stance":
            columns.append("stance_source")  # the model that gave it (the zero-shot one for unseen targets)
    return columns + ["entities", "entities_json", "offsets", "meta"]


def entity_cell(entity: Record) -> str:
    """``Name (ORG x2, quoted, -0.71)``: type, mentions, quoted, stance toward it (sign, probability)."""
    parts = [entity["label"] + (f" x{entity['count']}" if (entity.get("count") or 1) > 1 else "")]
    if entity.get("quoted"):
        parts.append("quoted")
    if entity.get("stance"):
        proba = (entity.get("stance_proba") or {}).get(entity["stance"])
        parts.append(SIGNS.get(entity["stance"], entity["stance"]) + (f"{proba:.2f}" if proba is not None else ""))
    return f"{entity['text']} ({', '.join(parts)})"


def flatten_record(record: Record) -> Record:
    """One flat row of a record: every field of the JSON record, nested ones flattened.

    Each task gives ``TASK`` (label), ``TASK_confidence``, ``TASK_p_LABEL`` per label and
    ``gold_TASK``, stance also ``stance_source`` (the model that gave it); entities give ``entities`` (``Name (TYPE xN, quoted, +0.71)``, the sign and
    probability of the stance toward it) and ``entities_json`` (the full entity records);
    ``offsets`` is ``start-end`` and ``meta`` is JSON.
    """
    row = {k: record[k] for k in PIECE_COLUMNS if k in record}
    for task, pred in record["predictions"].items():
        row[task], row[f"{task}_confidence"] = pred["label"], pred["confidence"]
        row.update({f"{task}_p_{lab}": p for lab, p in (pred.get("probabilities") or {}).items()})
        if "source" in pred:
            row[f"{task}_source"] = pred["source"]
    row.update({f"gold_{task}": lab for task, lab in (record.get("gold") or {}).items()})
    if "target_match" in record:
        match = record.get("target_match") or {}
        row["target_match"], row["target_match_score"] = match.get("target"), match.get("score")
    row.update({k: v for k, v in record.items() if k not in row and not isinstance(v, (dict, list))
                and k not in ("predictions", "gold", "entities", "offsets", "meta", "target_match")})  # fields added later
    if "entities" in record:
        row["entities"] = "; ".join(entity_cell(e) for e in record["entities"])
        row["entities_json"] = json.dumps(record["entities"], ensure_ascii=False)
    if record.get("offsets"):
        row["offsets"] = "-".join(str(o) for o in record["offsets"])
    if record.get("meta"):
        row["meta"] = json.dumps(record["meta"], ensure_ascii=False)
    return row


def to_dataframe(records: Iterable[Record]):
    """Flatten records into a pandas DataFrame: one row per piece (:func:`flatten_record`).

    Raises:
        ImportError: When pandas is not installed (``pip install 'framing[pandas]'``).
    """
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("to_dataframe needs pandas: pip install 'framing[pandas]'") from None
    return pd.DataFrame([flatten_record(rec) for rec in records])
