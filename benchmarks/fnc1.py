"""FNC-1 stance of article bodies toward headlines, on the official competition test set.

    python benchmarks/fnc1.py

Published FNC scores: Talos 82.02, Athene 81.97, UCL 81.72, official baseline 75.20. Plain
TF-IDF + LogisticRegression: about 78.6 and 0.54 macro-F1 (disagree near zero).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (Timer, command, config, fnc_score, machine, peak_rss_mb, processor,  # noqa: E402
                                reference_model, require_data, table, write_section)

TASK = "stance"
LABELS = ["agree", "disagree", "discuss", "unrelated"]


def run() -> dict:
    """Train on the FNC-1 train pairs, score on the competition test pairs; the reference too."""
    folder = require_data("fnc1", "train_stances.csv", "competition_test_stances.csv")
    from pipeline.corpus.adapters import read_fnc1
    from pipeline.evaluate import classification_metrics, evaluate_model
    from pipeline.train import train

    train_pieces = list(read_fnc1(folder, splits=("train",)))
    test_pieces = list(read_fnc1(folder, splits=("test",)))
    proc = processor()
    with Timer() as fit_t:
        model = train(train_pieces, tasks=[TASK], config=config("fnc1"), processor=proc, evaluate=False).model
    with Timer() as eval_t:
        ours = evaluate_model(model, test_pieces, proc, tasks=[TASK])[TASK]
    # The reference reads headline and body as one text, as a plain classifier would.
    joined = lambda ps: [f"{p.target} \n {p.text}" for p in ps]  # noqa: E731
    with Timer() as ref_t:
        ref_model = reference_model(max_features=200_000).fit(joined(train_pieces),
                                                             [p.labels[TASK] for p in train_pieces])
        ref = classification_metrics([p.labels[TASK] for p in test_pieces],
                                     ref_model.predict(joined(test_pieces)).tolist(), LABELS)
    return {"ours": ours, "ref": ref, "fit_s": fit_t.seconds, "eval_s": eval_t.seconds, "ref_s": ref_t.seconds,
            "n_train": len(train_pieces), "n_test": len(test_pieces)}


def _fnc(metrics: dict) -> float:
    score, best = fnc_score(metrics["labels"], metrics["confusion"])
    return 100.0 * score / best


def report(r: dict) -> str:
    """The Markdown section for docs/benchmarks.md."""
    ours, ref = r["ours"], r["ref"]
    rows = [
        ["framing (benchmarks/configs/fnc1.toml)", f"{_fnc(ours):.2f}", ours["macro_f1"], ours["accuracy"],
         f"{r['fit_s']:.0f} s train, {r['eval_s']:.0f} s test"],
        ["reference: sklearn TF-IDF + LogisticRegression (headline + body as one text)", f"{_fnc(ref):.2f}",
         ref["macro_f1"], ref["accuracy"], f"{r['ref_s']:.0f} s"],
        ["published: Talos / Athene / UCL / official baseline", "82.02 / 81.97 / 81.72 / 75.20", "", "", ""],
    ]
    per_class = table(["stance", "F1 (ours)", "F1 (reference)", "support"],
                      [[lab, ours["per_class"][lab]["f1"], ref["per_class"][lab]["f1"], ours["per_class"][lab]["support"]]
                       for lab in LABELS])
    return (f"## FNC-1 stance (train {r['n_train']} pairs; official competition test set, {r['n_test']} pairs)\n\n"
            f"Command: `{command()}`. Machine: {machine()}; peak RSS {peak_rss_mb():.0f} MB.\n\n"
            + table(["model", "FNC score (%)", "macro-F1", "accuracy", "time"], rows) + "\n\n" + per_class)


def main() -> None:
    """Run, print and record the benchmark."""
    section = report(run())
    print(section)
    write_section("fnc1", section)


if __name__ == "__main__":
    main()
