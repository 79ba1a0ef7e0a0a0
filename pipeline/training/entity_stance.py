"""The entity-stance extra: trained on NewsMTSC beside the per-task models and saved with them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import errors


def train_entity_stance_extra(data_dir: str | Path) -> tuple[Any, dict[str, Any]]:
    """Train the entity-stance classifier on NewsMTSC and score it on its ``devtest_mt`` split.

    Args:
        data_dir: A folder with NewsMTSC's ``train.jsonl`` and ``devtest_mt.jsonl``.

    Returns:
        The fitted classifier, and what ``model.json`` records of it: source, size, scores.

    Raises:
        TrainingError: When the files are missing.
    """
    from ..entities import read_newsmtsc, train_entity_stance
    from ..evaluation.metrics import classification_metrics

    data_dir = Path(data_dir)
    train_file, test_file = data_dir / "train.jsonl", data_dir / "devtest_mt.jsonl"
    for file in (train_file, test_file):
        if not file.is_file():
            raise errors.TrainingError.of(errors.ENTITY_STANCE_DATA_MISSING, file=file)
    model = train_entity_stance(train_file)
    samples, gold = read_newsmtsc(test_file)
    metrics = classification_metrics(gold, model.predict(samples).tolist())
    return model, {
        "source": "NewsMTSC (Hamborg & Donnay, EACL 2021, MIT licence): trained on train.jsonl",
        "evaluated_on": "NewsMTSC devtest_mt.jsonl (held out)",
        "n_train": len(read_newsmtsc(train_file)[1]),
        "macro_f1": round(metrics["macro_f1"], 4),
        "accuracy": round(metrics["accuracy"], 4),
        "per_class_f1": {k: round(v["f1"], 4) for k, v in metrics["per_class"].items()},
        "published": "GRU-TSC with RoBERTa: 82.5 macro-F1 on devtest_mt",
    }
