"""Choosing AllSides settings without the test outlets: 3-fold CV grouped by outlet on the train part.

    python benchmarks/allsides_cv.py                          # configs/allsides.toml as it is
    python benchmarks/allsides_cv.py '{"features": {"embeddings": "all-MiniLM-L6-v2"}}' ...

Each argument is a JSON override merged over ``configs/allsides.toml``; every variant runs on
the same folds (GroupKFold by outlet over the outlet split's train articles), and the pooled
out-of-fold macro-F1 is printed as one JSON line per variant. The figures quoted in
``configs/allsides.toml`` come from this cross-validation, which never reads the test outlets.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import CONFIGS, processor, require_data  # noqa: E402

TASK = "lean"
FOLDS = 3


def main(overrides: list[dict]) -> None:
    """Cross-validate each variant on the outlet split's train part, grouped by outlet."""
    folder = require_data("allsides", "articles.jsonl.gz", "splits.tsv")
    import numpy as np
    from sklearn.model_selection import GroupKFold

    from pipeline.config import load_config, task_config
    from pipeline.corpus.datasets.adapters import read_allsides
    from pipeline.evaluation.metrics import classification_metrics
    from pipeline.features.samples import prepare_samples
    from pipeline.models.factory import fit_task

    pieces = [p for p in read_allsides(folder) if p.meta["split"]["outlet"] == "train"]
    labels = np.asarray([p.labels[TASK] for p in pieces])
    groups = [p.source for p in pieces]
    base = task_config(load_config(CONFIGS / "allsides.toml"), TASK)
    samples = prepare_samples(pieces, processor(), max_tokens=base.features.max_tokens)
    folds = list(GroupKFold(FOLDS).split(np.zeros(len(pieces)), labels, groups))
    for override in overrides or [{}]:
        cfg = task_config(load_config(CONFIGS / "allsides.toml", override), TASK)
        predicted = np.empty(len(pieces), dtype=object)
        start = time.perf_counter()
        for train, test in folds:
            model = fit_task(cfg, [samples[i] for i in train], labels[train].tolist(), use_target=False)
            predicted[test] = model.predict([samples[i] for i in test])
        metrics = classification_metrics(labels.tolist(), predicted.tolist(), n_boot=0)
        print(json.dumps({"override": override, "macro_f1": round(metrics["macro_f1"], 4),
                          "accuracy": round(metrics["accuracy"], 4),
                          "per_class_f1": {k: round(v["f1"], 3) for k, v in metrics["per_class"].items()},
                          "seconds": round(time.perf_counter() - start)}), flush=True)


if __name__ == "__main__":
    main([json.loads(arg) for arg in sys.argv[1:]])
