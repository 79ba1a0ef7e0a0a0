"""Stance toward named targets on every shared multi-target stance dataset, with the defaults.

    nice python benchmarks/stance.py [DATASET ...] [--max-train N] [--no-write]

For each dataset in ``../shared/data`` (COVID-19-Stance, P-Stance, PERSPECTRUM, IBM claim
stance, VAST, ARC; see its STANCE.md): train the project's model with the DEFAULT config on the
train split (``pipeline.train.train``, as ``framing train`` does), classify the test split
through the Framer (as ``framing classify`` does), and score it in the dataset's own metric,
overall and per target. Beside it, on the same split in the same run, the plain reference: a
scikit-learn TF-IDF + LogisticRegression fitted per target (a test target with no training
pieces gets one fitted on every training piece), and that plain model fitted once on all
targets. Published figures from the data README, and the distance to them.

The test splits are read only by this script; the defaults were chosen before it was run, by
``benchmarks/stance_cv.py`` inside the train splits (docs/benchmarks.md says how often each
test split was scored). Without the data it skips cleanly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (  # noqa: E402
    Timer,
    command,
    data_root,
    machine,
    peak_rss_mb,
    processor,
    reference_model,
    table,
    write_section,
)
from benchmarks.stance_data import DATASETS, chosen_or_skip, load, score, subsample  # noqa: E402

PUBLISHED = {"pstance": 0.8053, "vast": 0.657}
# Per-target rows are listed for datasets with at most this many test targets.
MAX_LISTED = 6


def reference_predictions(train, test) -> tuple[list[str], list[str]]:
    """The plain reference fitted per target (falling back to all targets), and fitted once on all."""
    from collections import defaultdict

    by_target = defaultdict(list)
    for p in train:
        by_target[p.target].append(p)
    overall = reference_model().fit([p.text for p in train], [p.labels["stance"] for p in train])
    per_target_models = {}
    predicted = []
    for p in test:
        own = by_target.get(p.target, [])
        if len({q.labels["stance"] for q in own}) < 2:
            model = overall
        else:
            if p.target not in per_target_models:
                per_target_models[p.target] = reference_model().fit([q.text for q in own],
                                                                    [q.labels["stance"] for q in own])
            model = per_target_models[p.target]
        predicted.append(model.predict([p.text])[0])
    return predicted, overall.predict([p.text for p in test]).tolist()


def run_dataset(name: str, max_train: int) -> dict:
    """Train, classify and score one dataset; the reference beside it."""
    from pipeline.config import load_config
    from pipeline.inference.framer import Framer
    from pipeline.training.train import train

    splits = load(name, data_root())
    train_pieces = subsample(splits["train"], max_train)
    test = splits["test"]
    proc = processor(n_process=1)
    with Timer() as t_train:
        model = train(train_pieces, tasks=["stance"], config=load_config(), processor=proc, evaluate=False).model
    clf = model.tasks["stance"].named_steps["clf"]
    blended = type(getattr(clf, "estimator_", clf)).__name__ == "WordBlendClassifier"
    with Timer() as t_test:
        framer = Framer(model, processor=proc, n_process=1)
        records = list(framer.classify(test, entities=False))
    ours = [r["predictions"]["stance"]["label"] for r in records]
    gold = [p.labels["stance"] for p in test]
    per_target_ref, global_ref = reference_predictions(train_pieces, test)
    seen_targets = {p.target for p in train_pieces}
    result = {
        "name": name, "n_train": len(train_pieces), "n_train_all": len(splits["train"]), "n_test": len(test),
        "ours": score(gold, ours, name), "reference": score(gold, per_target_ref, name),
        "reference_global": score(gold, global_ref, name),
        "test_targets": len({p.target for p in test}),
        "unseen_test_pieces": sum(p.target not in seen_targets for p in test),
        "flagged_unseen": sum(r["target_seen"] is False for r in records),
        "train_s": t_train.seconds, "test_s": t_test.seconds, "blended": blended,
        "per_target_weights": int(getattr(clf, "n_targets_", 0)),
        "per_target": [],
    }
    targets = sorted({p.target for p in test}, key=lambda t: -sum(p.target == t for p in test))
    if len(targets) <= MAX_LISTED:
        for target in targets:
            rows = [i for i, p in enumerate(test) if p.target == target]
            pick = lambda xs: [xs[i] for i in rows]  # noqa: E731
            result["per_target"].append((target, len(rows), score(pick(gold), pick(ours), name),
                                         score(pick(gold), pick(per_target_ref), name)))
    print(f"{name}: ours {result['ours']:.4f}, per-target reference {result['reference']:.4f}, "
          f"global reference {result['reference_global']:.4f} ({len(train_pieces)} train, {len(test)} test, "
          f"{'blended with plain words, ' if blended else ''}{result['per_target_weights']} targets with own weights, "
          f"{t_train.seconds:.0f}s + {t_test.seconds:.0f}s)", flush=True)
    return result


def report(results: list[dict], max_train: int) -> str:
    """The Markdown section of docs/benchmarks.md."""
    rows = []
    for r in results:
        info = DATASETS[r["name"]]
        metric = "F_avg (mean F1 favor, against)" if info["metric"] == "favor_against" else "macro-F1"
        published = PUBLISHED.get(r["name"])
        rows.append((r["name"], metric, f"{r['n_train']}/{r['n_train_all']}", r["n_test"], r["test_targets"],
                     r["unseen_test_pieces"], r["ours"], r["reference"], f"{r['ours'] - r['reference']:+.3f}",
                     r["reference_global"], info["published"],
                     f"{r['ours'] - published:+.3f}" if published else "-"))
    lines = [
        "## Stance toward named targets (multi-target datasets)",
        "",
        f"`{command()}`: the project's model trained with the **default config** on each train split "
        f"(at most {max_train} pieces, a fixed random subsample where larger), the test split classified "
        "through the Framer (what `framing train` then `framing classify` do), scored in the dataset's own "
        "metric. Beside it, on the same split in the same run: the plain reference (scikit-learn TF-IDF "
        "words 1-2 + LogisticRegression) fitted per target, a test target without training pieces getting "
        "the one fitted on all of them; and that plain model fitted once on all targets. `unseen` = test "
        "pieces whose target has no training piece (PERSPECTRUM and IBM test claims/topics are disjoint "
        "from train; VAST's zero-shot half); the model flags them `target_seen: false`.",
        "",
        table(["dataset", "metric", "train used/all", "test", "test targets", "unseen", "ours",
               "per-target ref", "ours - ref", "global ref", "published", "ours - published"], rows),
        "",
    ]
    for r in results:
        if r["per_target"]:
            lines += [f"{r['name']} per target:", "",
                      table(["target", "test", "ours", "per-target ref", "ours - ref"],
                            [(t, n, o, f, f"{o - f:+.3f}") for t, n, o, f in r["per_target"]]), ""]
    lines += ["Times: " + "; ".join(f"{r['name']} train {r['train_s']:.0f} s, classify {r['test_s']:.0f} s"
                                     for r in results) + f". {machine()}; peak memory {peak_rss_mb():.0f} MB."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("datasets", nargs="*")
    parser.add_argument("--max-train", type=int, default=10000)
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs/benchmarks.md")
    args = parser.parse_args()
    names = chosen_or_skip("stance", args.datasets, data_root())
    if not names:
        return
    results = [run_dataset(name, args.max_train) for name in names]
    body = report(results, args.max_train)
    print(body)
    if not args.no_write:
        write_section("stance-targets", body)


if __name__ == "__main__":
    main()
