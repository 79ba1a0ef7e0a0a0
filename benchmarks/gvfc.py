"""GVFC news frames of gun-violence headlines: stratified 5-fold cross-validation, fixed seed.

    python benchmarks/gvfc.py

Published: OpenFraming (XLM-R, 5-fold CV) 0.83 precision / 0.83 recall; BERT about 0.84
accuracy. Plain TF-IDF + LogisticRegression about 0.70 accuracy.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (Timer, command, config, cv_predictions, machine, peak_rss_mb, processor, reference_model,  # noqa: E402
                                require_data, table, write_section)

TASK = "frame"


def run() -> dict:
    """Cross-validate the project's model and the reference on the same folds; return both."""
    folder = require_data("gvfc", "headlines.csv")
    import numpy as np
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from pipeline.config import task_config
    from pipeline.corpus.adapters import read_gvfc
    from pipeline.evaluate import classification_metrics
    from pipeline.features import prepare_samples

    pieces = list(read_gvfc(folder))
    cfg = config("gvfc")
    tcfg = task_config(cfg, TASK)
    labels = [p.labels[TASK] for p in pieces]
    folds, seed = tcfg["evaluation"]["folds"], tcfg["evaluation"]["seed"]
    with Timer() as ours_t:
        samples = prepare_samples(pieces, processor(), max_tokens=tcfg["features"]["max_tokens"])
        ours = classification_metrics(labels, cv_predictions(samples, labels, tcfg, folds=folds, seed=seed))
    texts = [p.text for p in pieces]
    with Timer() as ref_t:
        cv = StratifiedKFold(folds, shuffle=True, random_state=seed)
        predicted = cross_val_predict(reference_model(), texts, np.asarray(labels), cv=cv)
    ref = classification_metrics(labels, predicted.tolist())
    return {"ours": ours, "ref": ref, "ours_s": ours_t.seconds, "ref_s": ref_t.seconds, "n": len(pieces),
            "folds": folds, "seed": seed}


def report(r: dict) -> str:
    """The Markdown section for docs/benchmarks.md."""
    rows = [
        ["framing (benchmarks/configs/gvfc.toml)", r["ours"]["accuracy"], r["ours"]["macro_f1"], f"{r['ours_s']:.0f} s"],
        ["reference: sklearn TF-IDF + LogisticRegression", r["ref"]["accuracy"], r["ref"]["macro_f1"],
         f"{r['ref_s']:.0f} s"],
        ["published: OpenFraming XLM-R / BERT", "0.83 P/R; BERT ~0.84", "", ""],
    ]
    per_class = table(["frame", "F1 (ours)", "F1 (reference)", "support"],
                      [[lab, v["f1"], r["ref"]["per_class"].get(lab, {}).get("f1", 0.0), v["support"]]
                       for lab, v in r["ours"]["per_class"].items()])
    return (f"## GVFC frames (headlines, {r['n']}; stratified {r['folds']}-fold CV, seed {r['seed']})\n\n"
            f"Command: `{command()}`. Machine: {machine()}; peak RSS {peak_rss_mb():.0f} MB.\n\n"
            + table(["model", "accuracy", "macro-F1", "time (5 folds)"], rows) + "\n\n" + per_class)


def main() -> None:
    """Run, print and record the benchmark."""
    section = report(run())
    print(section)
    write_section("gvfc", section)


if __name__ == "__main__":
    main()
