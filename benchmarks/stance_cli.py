"""The stance defaults through the command line, on a split INSIDE a dataset's train split.

    nice python benchmarks/stance_cli.py DATASET [--n 4000] [--eval]

Writes a random 80/20 split (stratified by target and label, seed 13) of the train split as
JSONL with only ``id``, ``text``, ``target`` and ``labels.stance`` (what a user's tweet corpus
carries), runs ``framing train`` with the default config on the 80 and ``framing classify`` on
the 20, and scores the output beside the plain per-target TF-IDF + LogisticRegression reference
fitted on the same 80. The test split is never read. ``--eval`` keeps train's cross-validation
(slower; it does not change the model).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import data_root  # noqa: E402
from benchmarks.stance import reference_predictions  # noqa: E402
from benchmarks.stance_data import DATASETS, load, score, subsample  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", choices=sorted(DATASETS))
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--eval", action="store_true")
    args = parser.parse_args()
    if not (data_root() / args.dataset).is_dir():
        print(f"skipped stance_cli: {args.dataset} not found under {data_root()}. Set FRAMING_DATA to the folder "
              "holding the public datasets to run it.")
        return
    from sklearn.model_selection import train_test_split

    pieces = subsample(load(args.dataset, data_root())["train"], args.n)
    strata = [f"{p.target}|{p.labels['stance']}" for p in pieces]
    fit, held = train_test_split(pieces, test_size=0.2, random_state=13, stratify=strata)
    framing = Path(sys.executable).with_name("framing")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, part in (("fit", fit), ("held", held)):
            with open(tmp / f"{name}.jsonl", "w", encoding="utf-8") as handle:
                for p in part:
                    handle.write(json.dumps({"id": p.id, "text": p.text, "target": p.target,
                                             "labels": {"stance": p.labels["stance"]}}) + "\n")
        env = {**os.environ, "FRAMING_MODELS": str(tmp)}
        train_cmd = [str(framing), "train", str(tmp / "fit.jsonl"), "--out", str(tmp / "model"), "-q"]
        if not args.eval:
            train_cmd.append("--no-eval")
        subprocess.run(train_cmd, env=env, check=True)
        out = subprocess.run([str(framing), "classify", str(tmp / "held.jsonl"), "--model", str(tmp / "model"),
                              "--format", "jsonl", "--no-entities", "-q"], env=env, check=True,
                             capture_output=True, text=True).stdout
    ours = [json.loads(line)["predictions"]["stance"]["label"] for line in out.splitlines()]
    gold = [p.labels["stance"] for p in held]
    reference, global_reference = reference_predictions(fit, held)
    print(f"{args.dataset} ({len(fit)} fit / {len(held)} held out of the train split): "
          f"framing train + classify {score(gold, ours, args.dataset):.4f}; per-target reference "
          f"{score(gold, reference, args.dataset):.4f}; one plain model over all targets "
          f"{score(gold, global_reference, args.dataset):.4f}")


if __name__ == "__main__":
    main()
