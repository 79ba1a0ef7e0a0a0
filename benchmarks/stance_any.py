"""Stance toward any target: one model over the union of the shared stance datasets, zero-shot.

    nice python benchmarks/stance_any.py cv      # grouped CVs on the train splits (choose settings)
    nice python benchmarks/stance_any.py test    # the test splits, once, with the chosen settings
    nice python benchmarks/stance_any.py ship    # fit on every train split, save models/stance-any

Data: FNC-1, ARC, IBM claim stance, PERSPECTRUM, VAST, COVID-19-Stance, P-Stance under
``../shared/data`` (``$FRAMING_DATA``), labels mapped to favor / against / none
(``benchmarks/stance_any_data.py`` documents the mapping), at most ``--cap`` train pairs and
``--test-cap`` test pairs per dataset (fixed random subsamples; 0 takes them all), embedded once
and cached under ``$STANCE_ANY_CACHE`` (``benchmarks/stance_any_embed.py``; ``encode --cap 0
--test-cap 0`` fills it for every pair). ``weighting`` in a setting says how much each training
dataset counts (:func:`weights`); the classes are then balanced on top.

Two held-out schemes, each beside a majority baseline and a plain reference trained on the same
pairs (scikit-learn TF-IDF words 1-2 + LogisticRegression on ``target + " || " + text``):

- **leave one dataset out**: train on every other dataset, score on the held-out one;
- **leave targets out**: targets (FNC-1: stories) split into 5 folds over the union; each fold
  is scored by a model that saw none of its targets.

In both, every training pair whose text (up to case and spacing) occurs in the held-out part is
dropped: ARC and VAST share comments, PERSPECTRUM reuses perspectives across claims, ARC and
FNC-1 pair one body with several claims. Predictions are restricted to the labels the scored
dataset uses (favor / against where it has no neutral class), for ours and the reference alike.
Metric: macro-F1 over those labels (COVID-19-Stance and P-Stance: F_avg, mean F1 of favor and
against, their own metric). Without the data it skips cleanly.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import command, data_root, machine, peak_rss_mb, reference_model, table, write_section  # noqa: E402
from benchmarks.stance_any_data import (  # noqa: E402
    FAVOR_AGAINST,
    LABELS,
    LICENCES,
    Pair,
    available,
    cap,
    load,
    text_key,
)
from benchmarks.stance_any_embed import EmbeddingCache  # noqa: E402

FOLDS = 5
SEED = 13
# Settings compared by the CVs. Keys other than ``weighting`` are AnyTargetStance's; ``weighting``
# (:func:`weights`) says how much each training dataset counts. The first session's grid (at most
# 3,000 pairs per dataset) chose C = 0.003 balanced over 0.01 and 0.03 (docs/benchmarks.md).
VARIANTS = {
    "logistic C=0.003 per dataset": {"C": 0.003, "weighting": "dataset"},
    "logistic C=0.003 per dataset and class": {"C": 0.003, "weighting": "dataset-class"},
    "mlp 256 alpha=1 4 epochs per dataset": {"learner": "mlp", "hidden": (256,), "alpha": 1.0, "max_iter": 4,
                                             "weighting": "dataset"},
}
# ``--no-reference`` (exploring settings) leaves the reference out: on the full train splits it
# costs more than ours (TF-IDF of 100,000 pairs per fold). Figures written to the docs have it.
REFERENCE = {"on": True}
WEIGHTINGS = ("none", "dataset", "dataset-sqrt", "dataset-class")


def weights(data: list[Pair], scheme: str) -> np.ndarray | None:
    """Per-pair weights (mean 1) of a training set; the model then balances the classes on top.

    ``none``: every pair alike (FNC-1's 50,000 pairs outweigh IBM's 1,039 fifty times);
    ``dataset``: every dataset the same total weight; ``dataset-sqrt``: in proportion to the
    square root of its size; ``dataset-class``: every dataset the same weight and, within it,
    every label it has (so ARC's and FNC-1's none, about 80% of their pairs, counts a third).
    """
    if scheme not in WEIGHTINGS:
        raise SystemExit(f"weighting {scheme!r}: use one of {', '.join(WEIGHTINGS)}")
    if scheme == "none":
        return None
    size = Counter(p.dataset for p in data)
    if scheme == "dataset":
        w = np.array([1.0 / size[p.dataset] for p in data])
    elif scheme == "dataset-sqrt":
        w = np.array([size[p.dataset] ** -0.5 for p in data])
    else:
        cell = Counter((p.dataset, p.label) for p in data)
        n_labels = Counter(d for d, _ in cell)
        w = np.array([1.0 / (n_labels[p.dataset] * cell[p.dataset, p.label]) for p in data])
    return w * len(w) / w.sum()


def pairs(split: str, n: int) -> list[Pair]:
    """At most ``n`` pairs of ``split`` per available dataset (all of them when ``n`` is 0)."""
    root = data_root()
    return [p for name in available(root) for p in (cap(load(name, root)[split], n, SEED) if n > 0
                                                    else load(name, root)[split])]


def features(data: list[Pair], cache: EmbeddingCache) -> np.ndarray:
    """The pair features of ``data`` (embedding what the cache lacks), kept beside the embedding cache."""
    import hashlib

    from benchmarks.stance_any_embed import CACHE
    from pipeline.models.stance_any import pair_matrix

    key = hashlib.sha1("\n".join(f"{p.target}\t{p.text}" for p in data).encode()).hexdigest()[:16]
    path = CACHE / f"features-{key}.npy"
    if path.exists():
        return np.load(path)
    X = pair_matrix([p.target for p in data], [p.text for p in data], cache)
    np.save(path, X)
    return X


def score(name: str, gold: list[str], predicted: list[str]) -> float:
    """The dataset's metric (see the module docstring)."""
    from sklearn.metrics import f1_score

    labels = ["favor", "against"] if name in FAVOR_AGAINST else LABELS[name]
    return float(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0))


def restrict(proba: np.ndarray, classes: list[str], name: str) -> list[str]:
    """Argmax over the labels dataset ``name`` uses."""
    allowed = np.array([c in LABELS[name] for c in classes])
    return [classes[i] for i in np.where(allowed, proba, -np.inf).argmax(axis=1)]


def fit_predict(train: list[Pair], X_train: np.ndarray, test: list[Pair], X_test: np.ndarray,
                settings: dict, *, with_reference: bool = True) -> dict[str, list[str]]:
    """Ours (each variant), the reference and the majority baseline, predicted for ``test``."""
    from pipeline.models.stance_any import AnyTargetStance

    out: dict[str, list[str]] = {}
    names = [p.dataset for p in test]
    for label, kwargs in settings.items():
        kwargs = dict(kwargs)
        sample_weight = weights(train, kwargs.pop("weighting", "none"))
        model = AnyTargetStance(**kwargs).fit(X_train, [p.label for p in train], sample_weight=sample_weight)
        proba = model.predict_proba_features(X_test)
        out[label] = _per_dataset(proba, model.classes_, names)
    if with_reference and REFERENCE["on"]:
        ref = reference_model().fit([f"{p.target} || {p.text}" for p in train], [p.label for p in train])
        proba = ref.predict_proba([f"{p.target} || {p.text}" for p in test])
        out["reference"] = _per_dataset(proba, [str(c) for c in ref.classes_], names)
    # The majority baseline knows the scored dataset's own most frequent label (stricter than the
    # training majority, which a zero-shot model would have to use).
    own = {n: Counter(p.label for p in test if p.dataset == n).most_common(1)[0][0] for n in set(names)}
    out["majority"] = [own[n] for n in names]
    return out


def _per_dataset(proba: np.ndarray, classes: list[str], names: list[str]) -> list[str]:
    predicted = [""] * len(names)
    for name in set(names):
        rows = [i for i, n in enumerate(names) if n == name]
        for i, label in zip(rows, restrict(proba[rows], classes, name)):
            predicted[i] = label
    return predicted


def without_texts(train_idx: list[int], data: list[Pair], held: list[int]) -> list[int]:
    """``train_idx`` minus the pairs whose text occurs among the ``held`` pairs."""
    held_texts = {text_key(data[i].text) for i in held}
    return [i for i in train_idx if text_key(data[i].text) not in held_texts]


def leave_one_dataset_out(data: list[Pair], X: np.ndarray, settings: dict,
                          test: list[Pair] | None = None, X_test: np.ndarray | None = None) -> dict:
    """Scores per held-out dataset: {dataset: {model: score}} (on ``test`` when given, else on ``data``)."""
    test, X_test = (data, X) if test is None else (test, X_test)
    results = {}
    for name in sorted({p.dataset for p in test}):
        held = [i for i, p in enumerate(test) if p.dataset == name]
        held_texts = {text_key(test[i].text) for i in held}
        train_idx = [i for i, p in enumerate(data) if p.dataset != name and text_key(p.text) not in held_texts]
        pred = fit_predict([data[i] for i in train_idx], X[train_idx], [test[i] for i in held], X_test[held], settings)
        gold = [test[i].label for i in held]
        results[name] = {model: score(name, gold, labels) for model, labels in pred.items()}
        results[name]["n"] = len(held)
        print(f"  LODO {name}: " + ", ".join(f"{k} {v:.3f}" for k, v in results[name].items() if k != "n"),
              flush=True)
    return results


def leave_targets_out(data: list[Pair], X: np.ndarray, settings: dict) -> dict:
    """Scores per dataset over out-of-fold predictions, targets (groups) split into folds."""
    from sklearn.model_selection import GroupKFold

    groups = [p.group for p in data]
    predicted: dict[str, list[str]] = {}
    for fold, (train_idx, held) in enumerate(GroupKFold(n_splits=FOLDS).split(X, groups=groups)):
        train_idx = without_texts(list(train_idx), data, list(held))
        pred = fit_predict([data[i] for i in train_idx], X[train_idx], [data[i] for i in held], X[held], settings)
        for model, labels in pred.items():
            column = predicted.setdefault(model, [""] * len(data))
            for i, label in zip(held, labels):
                column[i] = label
        print(f"  targets-out fold {fold + 1}/{FOLDS} done ({len(train_idx)} train, {len(held)} held)", flush=True)
    return _by_dataset(data, predicted)


def targets_out_on_test(train: list[Pair], X: np.ndarray, test: list[Pair], X_test: np.ndarray,
                        settings: dict) -> dict:
    """Each dataset's test split scored by a model trained on every train split minus the
    pairs whose target or text occurs in that test split (its targets never seen)."""
    results = {}
    for name in sorted({p.dataset for p in test}):
        held = [i for i, p in enumerate(test) if p.dataset == name]
        texts = {text_key(test[i].text) for i in held}
        targets = {test[i].group for i in held} | {test[i].target.lower() for i in held}
        train_idx = [i for i, p in enumerate(train) if text_key(p.text) not in texts
                     and p.group not in targets and p.target.lower() not in targets]
        pred = fit_predict([train[i] for i in train_idx], X[train_idx], [test[i] for i in held], X_test[held],
                           settings)
        gold = [test[i].label for i in held]
        results[name] = {model: score(name, gold, labels) for model, labels in pred.items()}
        results[name]["n"] = len(held)
        print(f"  targets-out test {name}: " + ", ".join(f"{k} {v:.3f}" for k, v in results[name].items()
                                                         if k != "n"), flush=True)
    return results


def _by_dataset(data: list[Pair], predicted: dict[str, list[str]]) -> dict:
    results = {}
    for name in sorted({p.dataset for p in data}):
        rows = [i for i, p in enumerate(data) if p.dataset == name]
        gold = [data[i].label for i in rows]
        results[name] = {model: score(name, gold, [labels[i] for i in rows]) for model, labels in predicted.items()}
        results[name]["n"] = len(rows)
    return results


def rows_of(results: dict, ours: str) -> list[tuple]:
    """Table rows: dataset, n, ours, reference, majority, ours - reference, ours - majority."""
    rows = []
    for name, r in results.items():
        rows.append((name, r["n"], r[ours], r["reference"], r["majority"], f"{r[ours] - r['reference']:+.3f}",
                     f"{r[ours] - r['majority']:+.3f}"))
    mean = {k: float(np.mean([r[k] for r in results.values()])) for k in (ours, "reference", "majority")}
    rows.append(("mean", sum(r["n"] for r in results.values()), mean[ours], mean["reference"], mean["majority"],
                 f"{mean[ours] - mean['reference']:+.3f}", f"{mean[ours] - mean['majority']:+.3f}"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", choices=["encode", "cv", "test", "ship"])
    parser.add_argument("--cap", type=int, default=8000, help="train pairs per dataset (0: all)")
    parser.add_argument("--test-cap", type=int, default=2000, help="test pairs per dataset")
    parser.add_argument("--variant", default="logistic C=0.003 per dataset", help="the setting test and ship use")
    parser.add_argument("--only", default="", help="cv: the settings to compare, names joined by '|' (default all)")
    parser.add_argument("--schemes", default="lodo,loto", help="cv: lodo, loto or both")
    parser.add_argument("--no-reference", action="store_true", help="cv: leave the reference out (implies --no-write)")
    parser.add_argument("--out", default="models/stance-any")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if not available(data_root()):
        print(f"skipped stance_any: no stance dataset under {data_root()}. Set FRAMING_DATA to run it.")
        return
    import torch

    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
    cache = EmbeddingCache()
    train = pairs("train", args.cap)
    print(f"train: {len(train)} pairs " + str(Counter(p.dataset for p in train)), flush=True)
    X = features(train, cache)
    if args.stage == "encode":
        test = pairs("test", args.test_cap)
        features(test, cache)
        print(f"encoded; cache holds {len(cache.vectors)} strings; peak {peak_rss_mb():.0f} MB")
        return
    if args.stage == "cv":
        settings = {k: VARIANTS[k] for k in args.only.split("|")} if args.only else VARIANTS
        REFERENCE["on"] = not args.no_reference
        lodo = leave_one_dataset_out(train, X, settings) if "lodo" in args.schemes else {}
        loto = leave_targets_out(train, X, settings) if "loto" in args.schemes else {}
        for scheme, results in (("leave one dataset out", lodo), ("leave targets out", loto)):
            for model in [*settings, "reference", "majority"]:
                if results and model in next(iter(results.values())):
                    print(f"  mean {scheme}: {model} {np.mean([r[model] for r in results.values()]):.3f}", flush=True)
        if lodo and loto and REFERENCE["on"]:
            body = report_cv(lodo, loto, args, settings)
            print(body)
            if not args.no_write:
                write_section("stance-any-cv", body)
    elif args.stage == "test":
        test = pairs("test", args.test_cap)
        X_test = features(test, cache)
        chosen = {args.variant: VARIANTS[args.variant]}
        lodo = leave_one_dataset_out(train, X, chosen, test, X_test)
        loto = targets_out_on_test(train, X, test, X_test, chosen)
        body = report_test(lodo, loto, args)
        print(body)
        if not args.no_write:
            write_section("stance-any-test", body)
    else:
        ship(train, X, args)


def report_cv(lodo: dict, loto: dict, args, settings: dict) -> str:
    """The Markdown section of the CVs on the train splits."""
    variant_rows = [(v, float(np.mean([r[v] for r in lodo.values()])), float(np.mean([r[v] for r in loto.values()])))
                    for v in settings]
    variant_rows += [(k, float(np.mean([r[k] for r in lodo.values()])), float(np.mean([r[k] for r in loto.values()])))
                     for k in ("reference", "majority")]
    ours = max(settings, key=lambda v: np.mean([r[v] for r in lodo.values()]) + np.mean([r[v] for r in loto.values()]))
    head = ["dataset", "pairs", "ours", "reference", "majority", "ours - ref", "ours - majority"]
    return "\n".join([
        "## Stance toward any target: choosing settings (train splits only)",
        "",
        f"`{command()}`: train splits only, at most {args.cap} pairs per dataset. Mean over datasets of "
        "each dataset's metric, leave-one-dataset-out and leave-targets-out (5 folds of targets); the "
        "reference is TF-IDF + LogisticRegression on `target || text` trained on the same pairs.",
        "",
        table(["setting", "leave one dataset out", "leave targets out"], variant_rows),
        "",
        f"Per dataset, the best setting by the sum of both means (**{ours}**), leave one dataset out:",
        "",
        table(head, rows_of(lodo, ours)),
        "",
        "Leave targets out:",
        "",
        table(head, rows_of(loto, ours)),
        "",
        f"{machine()}; peak memory {peak_rss_mb():.0f} MB.",
    ])


# How many times the test splits have been read, this run included (say it in the section).
LOOK = 2
LOOKS = {1: "looked at once", 2: "the second look"}


def report_test(lodo: dict, loto: dict, args) -> str:
    """The Markdown section of a look at the test splits."""
    head = ["dataset", "test pairs", "ours", "reference", "majority", "ours - ref", "ours - majority"]
    cap = f"at most {args.cap} pairs per dataset" if args.cap > 0 else "every pair"
    return "\n".join([
        f"## Stance toward any target: the test splits ({LOOKS.get(LOOK, f'look {LOOK}')})",
        "",
        f"`{command()}`, setting **{args.variant}** chosen by the CVs above. Trained on the train splits "
        f"({cap}), scored on each test split (at most {args.test_cap} pairs, "
        "a fixed random subsample where larger).",
        "",
        "Leave one dataset out (nothing of the scored dataset in training):",
        "",
        table(head, rows_of(lodo, args.variant)),
        "",
        "Unseen targets (every train split, minus pairs whose target or text is in the scored test split):",
        "",
        table(head, rows_of(loto, args.variant)),
        "",
        f"{machine()}; peak memory {peak_rss_mb():.0f} MB.",
    ])


def ship(train: list[Pair], X: np.ndarray, args) -> None:
    """Fit the chosen setting on every train pair and save it (model.json names data and licences)."""
    from pipeline.models.stance_any import AnyTargetStance

    settings = dict(VARIANTS[args.variant])
    weighting = settings.pop("weighting", "none")
    model = AnyTargetStance(**settings).fit(X, [p.label for p in train], sample_weight=weights(train, weighting))
    counts = Counter(p.dataset for p in train)
    model.info = {"setting": args.variant, "weighting": weighting, "pairs_per_dataset_at_most": args.cap or None,
                  "training_data": [{"dataset": n, "pairs": counts[n], "licence": LICENCES[n]} for n in sorted(counts)],
                  "label_map": "see benchmarks/stance_any_data.py LABEL_MAP",
                  "command": command(), "figures": "docs/benchmarks.md, 'Stance toward any target'"}
    model.save(args.out)
    print(f"saved {args.out} ({len(train)} pairs)")


if __name__ == "__main__":
    main()
