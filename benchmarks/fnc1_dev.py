"""FNC-1 settings experiments on a dev split of the *train* pairs (never the competition test set).

    python benchmarks/fnc1_dev.py [--novel] [--scratch FILE] [VARIANT ...]

The train pairs are split 80/20 by story: headlines and bodies joined through their related
pairs (union-find over headline text and Body ID) form the stories, and each pair goes with its
body's story, so no body and no related headline is on both sides. (A split by Body ID alone lets
headlines leak and reads about 7 FNC points too high.) The first variant is configs/fnc1.toml
as it is, trained through :func:`pipeline.training.train.train` and scored with
:func:`pipeline.evaluation.evaluate.evaluate_model`; the others change only the classifier step, so they
reuse its fitted feature blocks and are scored with :func:`pipeline.evaluation.metrics.classification_metrics`.
Prints one table: FNC score, macro-F1 and per-class F1 per variant. ``--scratch FILE`` keeps the
baseline's row and feature matrices in FILE (joblib), so that a second run fits only the variants.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import CONFIGS, fnc_score, processor, require_data, table  # noqa: E402

TASK = "stance"
LABELS = ["agree", "disagree", "discuss", "unrelated"]
SEED = 13
DEV_SHARE = 0.2


def stories(pieces: list) -> list[str]:
    """Each pair's story: its body joined with every body that shares a related headline with it."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pieces:
        body = find(("body", p.meta["body_id"]))
        if p.labels[TASK] != "unrelated":
            parent[find(("headline", p.target.strip()))] = body
    return ["\t".join(find(("body", p.meta["body_id"]))) for p in pieces]


def story_split(pieces: list, *, dev_share: float = DEV_SHARE, seed: int = SEED,
                novel: bool = False) -> tuple[list, list]:
    """``(train, dev)``: whole stories on one side, about ``dev_share`` of the pairs on dev.

    With ``novel``, as in the competition test set, no dev headline is in any train pair either:
    a pair goes to dev only when its headline belongs to a dev story too (a headline with no
    related pair is its own story, drawn with the same odds), to train only when neither does,
    and mixed pairs (a train story's headline on a dev body, or the reverse) are left out.
    Without it, dev keeps every pair of its bodies, so every dev headline is also read in train,
    paired as unrelated with train bodies.
    """
    story = stories(pieces)
    sizes = Counter(story)
    order = sorted(sizes)
    random.Random(seed).shuffle(order)
    dev, taken = set(), 0
    for name in order:
        if taken >= dev_share * len(pieces):
            break
        dev.add(name)
        taken += sizes[name]
    on_dev = [name in dev for name in story]
    if not novel:
        return ([p for p, d in zip(pieces, on_dev) if not d], [p for p, d in zip(pieces, on_dev) if d])
    # a related headline belongs to its bodies' story
    headline_story = {p.target.strip(): name for p, name in zip(pieces, story) if p.labels[TASK] != "unrelated"}
    draw = random.Random(seed + 1)
    lone = {h: draw.random() < dev_share for h in sorted(set(p.target.strip() for p in pieces) - set(headline_story))}
    head_dev = [headline_story[h] in dev if h in headline_story else lone[h]
                for h in (p.target.strip() for p in pieces)]
    return ([p for p, d, h in zip(pieces, on_dev, head_dev) if not d and not h],
            [p for p, d, h in zip(pieces, on_dev, head_dev) if d and h])


def _linear(cfg: Any, **changes: Any):
    from pipeline.models.linear import CalibratedLinearClassifier

    clf = cfg.classifier
    params = {"C": clf.C, "class_weight": clf.class_weight or None, "max_iter": clf.max_iter,
              "calibration_folds": clf.calibration_folds, "random_state": cfg.evaluation.seed}
    return CalibratedLinearClassifier(**{**params, **changes})


def _two_stage(cfg: Any, stage2: Any) -> Any:
    from pipeline.models.two_stage import TwoStageClassifier

    return TwoStageClassifier(gate_label="unrelated", estimator=stage2, gate_estimator=_linear(cfg))


def _boosted(cfg: Any, dense: tuple[str, ...], *, C: float, **options: Any) -> Any:
    from pipeline.models.two_stage import BoostedStage

    options.setdefault("random_state", cfg.evaluation.seed)
    return _two_stage(cfg, BoostedStage(estimator=_linear(cfg, C=C), dense_blocks=dense, **options))


class _Bagged:
    """The average of several classifiers' probabilities (an experiment: seeds of the boosted stage)."""

    def __init__(self, members: list[Any]) -> None:
        self.members = members

    def fit(self, X: Any, y: Any, **fit_params: Any) -> _Bagged:
        for member in self.members:
            member.fit(X, y, **fit_params)
        self.classes_ = self.members[0].classes_
        return self

    def predict(self, X: Any) -> Any:
        import numpy as np

        proba = np.mean([member.predict_proba(X) for member in self.members], axis=0)
        return self.classes_[proba.argmax(axis=1)]


def variants(dense: tuple[str, ...]) -> dict[str, Callable[[Any], Any]]:
    """Variant name -> the classifier step to fit over the baseline's feature blocks.

    ``dense``: the blocks of dense relation and similarity values (found by column name).
    Stage 1 is the config's (linear, C = 1) in every variant.
    """
    return {
        "stage 2 linear, C = 1 (the config before the boosted stage)":
            lambda cfg: _two_stage(cfg, _linear(cfg, C=1.0)),
        "stage 2 linear, C = 0.25":
            lambda cfg: _two_stage(cfg, _linear(cfg, C=0.25)),
        "stage 2 boosted over linear C = 1":
            lambda cfg: _boosted(cfg, dense, C=1.0),
        "stage 2 boosted over linear C = 0.25 (seed 1 for folds and trees)":
            lambda cfg: _boosted(cfg, dense, C=0.25, random_state=1),
        "stage 2 boosted over linear C = 0.25 (seed 2 for folds and trees)":
            lambda cfg: _boosted(cfg, dense, C=0.25, random_state=2),
        "stage 2 boosted over linear C = 0.25, probabilities averaged over seeds 13, 1 and 2":
            lambda cfg: _Bagged([_boosted(cfg, dense, C=0.25, random_state=seed) for seed in (13, 1, 2)]),
        "stage 2 boosted over linear C = 0.25, probabilities averaged over seeds 13, 14 and 15":
            lambda cfg: _Bagged([_boosted(cfg, dense, C=0.25, random_state=seed) for seed in (13, 14, 15)]),
        "stage 2 boosted over linear C = 0.25, trees of 31 leaves, learning rate 0.1":
            lambda cfg: _boosted(cfg, dense, C=0.25, max_leaf_nodes=31, learning_rate=0.1),
    }


def scores(metrics: dict[str, Any]) -> list[Any]:
    """A table row's numbers: FNC score (%), macro-F1, per-class F1."""
    score, best = fnc_score(metrics["labels"], metrics["confusion"])
    return [f"{100.0 * score / best:.2f}", metrics["macro_f1"], *(metrics["per_class"][lab]["f1"] for lab in LABELS)]


def run(wanted: list[str] | None = None, scratch: str | None = None, novel: bool = False) -> list[list[Any]]:
    """Train the baseline and each variant on the train side, score on the dev side; table rows."""
    folder = require_data("fnc1", "train_stances.csv", "train_bodies.csv")
    import joblib

    from pipeline.config import load_config

    cfg = load_config(CONFIGS / "fnc1.toml")
    if scratch and Path(scratch).exists():
        rows, names, x_train, y_train, x_dev, y_dev = joblib.load(scratch)
    else:
        rows, names, x_train, y_train, x_dev, y_dev = _baseline(folder, cfg, novel)
        if scratch:
            joblib.dump((rows, names, x_train, y_train, x_dev, y_dev), scratch)
    print(f"{rows[0]}", flush=True)
    from pipeline.corpus.datasets.adapters import read_fnc1
    from pipeline.evaluation.metrics import classification_metrics

    train_pieces, _ = story_split(list(read_fnc1(folder, splits=("train",))), novel=novel)
    if [p.labels[TASK] for p in train_pieces] != list(y_train):
        raise RuntimeError(f"{scratch} holds another split: delete it and run again")

    from pipeline.models.factory import DENSE_BLOCKS

    dense = tuple(b for b in DENSE_BLOCKS if any(str(n).startswith(f"{b}__") for n in names))
    for name, build in variants(dense).items():
        if wanted and not any(n in name for n in wanted):
            continue
        start = time.perf_counter()
        clf = build(cfg)
        boosted = "boosted" in name  # its trees find the dense columns by name
        clf.fit(x_train, y_train, **({"feature_names": names} if boosted else {}))
        metrics = classification_metrics(y_dev, clf.predict(x_dev).tolist(), LABELS, n_boot=0)
        rows.append([name, *scores(metrics)])
        print(f"{rows[-1]}  ({time.perf_counter() - start:.0f} s)", flush=True)
    return rows


def _baseline(folder: Path, cfg: Any, novel: bool) -> tuple:
    """configs/fnc1.toml trained and scored through the project's own code; its feature matrices."""
    from pipeline.corpus.datasets.adapters import read_fnc1
    from pipeline.evaluation.evaluate import evaluate_model
    from pipeline.features.samples import prepare_samples
    from pipeline.training.train import train

    train_pieces, dev_pieces = story_split(list(read_fnc1(folder, splits=("train",))), novel=novel)
    print(f"dev split by story{' (novel headlines)' if novel else ''}: {len(train_pieces)} train / {len(dev_pieces)} dev pairs", flush=True)
    proc = processor()
    start = time.perf_counter()
    model = train(train_pieces, tasks=[TASK], config=cfg, processor=proc, evaluate=False).model
    base = evaluate_model(model, dev_pieces, proc, tasks=[TASK], n_boot=0)[TASK]
    rows = [[f"configs/fnc1.toml (baseline; {len(train_pieces)} / {len(dev_pieces)} pairs)", *scores(base)]]
    print(f"baseline: {time.perf_counter() - start:.0f} s", flush=True)
    union = model.tasks[TASK].named_steps["features"]
    names = union.get_feature_names_out()
    if not any(str(n).startswith(("relation__", "similarity__")) for n in names):
        raise RuntimeError("expected the dense relation and similarity blocks in the feature union")
    x_train = union.transform(prepare_samples(train_pieces, proc, max_tokens=model.max_tokens))
    x_dev = union.transform(prepare_samples(dev_pieces, proc, max_tokens=model.max_tokens))
    return (rows, names, x_train, [p.labels[TASK] for p in train_pieces],
            x_dev, [p.labels[TASK] for p in dev_pieces])


def main() -> None:
    """Run the variants named on the command line (substrings; default all) and print the table."""
    args = sys.argv[1:]
    scratch, novel = None, "--novel" in args
    args = [a for a in args if a != "--novel"]
    if args[:1] == ["--scratch"]:
        scratch, args = args[1], args[2:]
    rows = run(args or None, scratch, novel)
    print(table(["variant (dev split of train)", "FNC score", "macro-F1", *LABELS], rows))
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
