"""The regression's solvers side by side: fit time, peak memory and held-out macro-F1 (train splits only).

    nice python benchmarks/solvers.py [NAME:N ...] [--solvers newton-cg,lbfgs]

NAME is ``sample:TASK`` (the written sample corpus), ``gvfc``, ``allsides`` or a multi-target
stance dataset (``arc``, ``perspectrum``, ...); N subsamples it. Each (data, solver) runs in a
process of its own, so every peak is that fit's alone. ``fit_task`` with the default config is
fitted on a random 80% of the pieces (the train split for stance datasets; test splits are never
read) and scored on the other 20%. Prints a Markdown table; writes nothing.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import ROOT, data_root, processor, table  # noqa: E402

DEFAULT = ["sample:frame:10000", "sample:stance:10000", "gvfc:10000", "allsides:5000", "perspectrum:4000", "arc:8000"]


def pieces_of(name: str, n: int) -> tuple[list, str] | None:
    """The pieces and task of ``name`` (None when its data is absent), at most ``n`` drawn at random."""
    import numpy as np

    root = data_root()
    if name.startswith("sample:"):
        from pipeline.corpus import read_corpus

        task = name.split(":", 1)[1]
        pieces = [p for p in read_corpus(ROOT / "corpus" / "sample") if task in p.labels]
    elif name in ("allsides", "gvfc"):
        if not (root / name).is_dir():
            return None
        from pipeline.corpus.datasets import adapters

        pieces, task = list(getattr(adapters, f"read_{name}")(root / name)), "lean" if name == "allsides" else "frame"
    else:
        from benchmarks.stance_data import available, load

        if name not in available(root):
            return None
        pieces, task = load(name, root)["train"], "stance"
    if len(pieces) > n:
        pieces = [pieces[i] for i in sorted(np.random.default_rng(0).choice(len(pieces), n, replace=False))]
    return pieces, task


def one(name: str, n: int, solver: str) -> dict | None:
    """Fit and score one (data, solver) in this process."""
    import numpy as np
    from sklearn.metrics import f1_score

    from pipeline.config import load_config, task_config
    from pipeline.features.samples import prepare_samples
    from pipeline.models.factory import fit_task

    found = pieces_of(name, n)
    if found is None:
        return None
    pieces, task = found
    cfg = task_config(load_config(), task)
    cfg = replace(cfg, classifier=replace(cfg.classifier, solver=solver))
    samples = prepare_samples(pieces, processor(n_process=1), max_tokens=cfg.features.max_tokens)
    labels = np.asarray([p.labels[task] for p in pieces])
    order = np.random.default_rng(1).permutation(len(pieces))
    train, test = order[: int(0.8 * len(order))], order[int(0.8 * len(order)):]
    start = time.perf_counter()
    model = fit_task(cfg, [samples[i] for i in train], labels[train].tolist(), use_target=task == "stance")
    seconds = time.perf_counter() - start
    predicted = model.predict([samples[i] for i in test])
    return {"name": name, "task": task, "train": len(train), "solver": solver, "fit_s": seconds,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "macro_f1": float(f1_score(labels[test], predicted, average="macro")),
            "predicted": predicted.astype(str).tolist()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="*", help=f"NAME:N (default: {' '.join(DEFAULT)})")
    parser.add_argument("--solvers", default="lbfgs,newton-cg")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # NAME:N:SOLVER, run in a child process
    args = parser.parse_args()
    if args.one:
        name, n, solver = args.one.rsplit(":", 2)
        print(json.dumps(one(name, int(n), solver)))
        return
    if not args.data and not data_root().is_dir():
        print(f"skipped solvers: no benchmark data under {data_root()}. Set FRAMING_DATA to the folder holding "
              "the public datasets to run it (or name sample:TASK:N to run on the written sample alone).")
        return
    rows, solvers = [], args.solvers.split(",")
    for spec in args.data or DEFAULT:
        name, n = spec.rsplit(":", 1)
        runs = [json.loads(subprocess.run([sys.executable, __file__, "--one", f"{spec}:{s}"], check=True,
                                          capture_output=True, text=True).stdout.strip().splitlines()[-1])
                for s in solvers]
        if runs[0] is None:
            print(f"skipped {name}: benchmark data not found under {data_root()}. Set FRAMING_DATA to the "
                  "folder holding the public datasets to run it.")
            continue
        same = sum(a == b for a, b in zip(runs[0]["predicted"], runs[-1]["predicted"])) / len(runs[0]["predicted"])
        rows.append([f"{name}, {runs[0]['task']}", runs[0]["train"],
                     *(f"{r['fit_s']:.1f} s, {r['peak_mb']:,.0f} MB" for r in runs),
                     " / ".join(f"{r['macro_f1']:.3f}" for r in runs), f"{same:.2%}"])
    if rows:
        print(table(["data, task", "train pieces", *(f"{s} fit, peak" for s in solvers),
                     f"macro-F1 {' / '.join(solvers)}", "same decisions"], rows))


if __name__ == "__main__":
    main()
