"""Choosing the stance defaults by cross-validation inside the TRAIN splits of several datasets.

    nice python benchmarks/stance_cv.py [DATASET ...] [--n 4000] [--folds 5] [--variants a,b]

Never reads a test split. Feature blocks that read no labels (word/char TF-IDF, the target
blocks) are fitted once per dataset on its (subsampled) train split, then every variant is
fitted per fold (without probability calibration, which does not move decisions). Random
folds are stratified by target and label; ``grouped`` folds keep each target on one side
(what the shared weights give an unseen target). Beside every variant: the plain per-target
TF-IDF + LogisticRegression reference on the same folds.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from benchmarks._common import data_root, processor, reference_model  # noqa: E402
from benchmarks.stance_data import DATASETS, chosen_or_skip, load, score, subsample  # noqa: E402

# name -> (blocks, augmented?, target_weight, C, class_weight)
VARIANTS = {
    "global_default": (("words", "chars", "near", "relation"), False, 0, 4.0, "balanced"),
    "global_notarget": (("words", "chars"), False, 0, 4.0, "balanced"),
    # for PERSPECTRUM (every test claim new: only the global model applies)
    "global_C1": (("words", "chars", "near", "relation"), False, 0, 1.0, "balanced"),
    "global_notarget_C1": (("words", "chars"), False, 0, 1.0, "balanced"),
    "aug_w1_C4": (("words", "chars"), True, 1.0, 4.0, "balanced"),
    "aug_w1_C4_tf": (("words", "chars", "near", "relation"), True, 1.0, 4.0, "balanced"),
    "aug_w1_C1": (("words", "chars"), True, 1.0, 1.0, "balanced"),
    "aug_w1_C10": (("words", "chars"), True, 1.0, 10.0, "balanced"),
    "aug_w05_C4": (("words", "chars"), True, 0.5, 4.0, "balanced"),
    "aug_w2_C4": (("words", "chars"), True, 2.0, 4.0, "balanced"),
    "aug_w2_C4_tf": (("words", "chars", "near", "relation"), True, 2.0, 4.0, "balanced"),
    "aug_w3_C4": (("words", "chars"), True, 3.0, 4.0, "balanced"),
    "aug_w2_C4_nobal": (("words", "chars"), True, 2.0, 4.0, None),
    "aug_w1_C4_nobal": (("words", "chars"), True, 1.0, 4.0, None),
    "aug_w1_C4_words": (("words",), True, 1.0, 4.0, "balanced"),
    "aug_w1_C4_w13": (("words13", "chars"), True, 1.0, 4.0, "balanced"),
    # for the corpora whose test targets are new (PERSPECTRUM, IBM, VAST): plain words beside the global model
    # for the tweet corpora (targets seen in training)
    "aug_w2_C2": (("words", "chars"), True, 2.0, 2.0, "balanced"),
    "aug_w2_C8": (("words", "chars"), True, 2.0, 8.0, "balanced"),
    "aug_w2_C4_w13": (("words13", "chars"), True, 2.0, 4.0, "balanced"),
    "aug_w2_C4_c15": (("words", "chars15"), True, 2.0, 4.0, "balanced"),
    "aug_w2_C4_c26": (("words", "chars26"), True, 2.0, 4.0, "balanced"),
    "aug_w2_C4_c35": (("words", "chars35"), True, 2.0, 4.0, "balanced"),
    "aug_w2_C4_words": (("words",), True, 2.0, 4.0, "balanced"),
    "aug_w2_C1_words": (("words",), True, 2.0, 1.0, "balanced"),
    "global_words_C1": (("words",), False, 0, 1.0, "balanced"),
    "global_words_C4": (("words",), False, 0, 4.0, "balanced"),
    "global_wordschars_C1": (("words", "chars"), False, 0, 1.0, "balanced"),
}
# name -> (variant, variant, weight of the first): probabilities averaged
BLENDS = {
    "blend_default_words_C1": ("global_default", "global_words_C1", 0.5),
    "blend_default_words_C1_w07": ("global_default", "global_words_C1", 0.7),
    "blend_default_words_C1_w03": ("global_default", "global_words_C1", 0.3),
    "blend_default_notarget": ("global_default", "global_notarget", 0.5),
    "blend_aug_words": ("aug_w2_C4", "aug_w2_C1_words", 0.5),
    "blend_aug_global": ("aug_w2_C4", "global_notarget", 0.5),
}


def blocks_for(samples, config):
    """Every feature block, fitted once on ``samples`` (label-free)."""
    from pipeline.features.union import build_features

    union = build_features(config, use_target=True, n_samples=len(samples))
    out = {name: block.fit(samples).transform(samples) for name, block in union.transformer_list}
    cfg13 = replace(config, features=replace(config.features, word_ngrams=(1, 3)))
    words13 = dict(build_features(cfg13, use_target=False, n_samples=len(samples)).transformer_list)["words"]
    out["words13"] = words13.fit(samples).transform(samples)
    for lo, hi in ((1, 5), (2, 6), (3, 5)):
        cfg = replace(config, features=replace(config.features, char_ngrams=(lo, hi)))
        chars = dict(build_features(cfg, use_target=False, n_samples=len(samples)).transformer_list)["chars"]
        out[f"chars{lo}{hi}"] = chars.fit(samples).transform(samples)
    return out


def calibrated(proba: np.ndarray, gold: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Out-of-fold log-probabilities, temperature-scaled as CalibratedLinearClassifier does."""
    from pipeline.models.linear import fit_temperature

    scores = np.log(np.clip(proba, 1e-12, 1))
    return scores / fit_temperature(scores, np.searchsorted(classes, gold))


def run_dataset(name: str, args) -> list[tuple]:
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    from pipeline.config import load_config
    from pipeline.features.samples import prepare_samples
    from pipeline.models.per_target import TargetAugmentedClassifier, TargetIndex

    pieces = subsample(load(name, data_root())["train"], args.n)
    config = load_config()
    t0 = time.time()
    samples = prepare_samples(pieces, processor(n_process=1), max_tokens=config.features.max_tokens)
    blocks = blocks_for(samples, config)
    gold = np.asarray([p.labels["stance"] for p in pieces])
    targets = np.asarray([p.target for p in pieces])
    index = TargetIndex(min_pieces=args.min_pieces).fit(samples).transform(samples)
    print(f"{name}: {len(pieces)} pieces, {len(set(targets))} targets ({int(index.max())} with own weights); "
          f"features in {time.time() - t0:.0f}s", flush=True)
    strata = [f"{t}|{g}" for t, g in zip(targets, gold)]
    _, counts = np.unique(strata, return_counts=True)
    if counts.min() < args.folds:  # many small targets: stratify by label only
        strata = gold
    schemes = {"random": list(StratifiedKFold(args.folds, shuffle=True, random_state=13).split(gold, strata))}
    if args.grouped:
        groups = [p.story or p.target for p in pieces]
        k = min(args.folds, len(set(groups)))
        schemes["grouped"] = list(GroupKFold(k).split(gold, gold, groups))
        if args.grouped_only:
            del schemes["random"]
    rows = []
    classes = np.unique(gold)
    names = args.variants.split(",") if args.variants else list(VARIANTS)
    for scheme, folds in schemes.items():
        # the reference: one plain TF-IDF + LR per target (a target unseen in training: one over all)
        pred = np.empty(len(gold), dtype=object)
        for train, test in folds:
            overall = None  # the fold's model over all targets, fitted once (VAST has thousands of targets)
            for t in set(targets[test]):
                own = train[targets[train] == t]
                model = None
                if len(set(gold[own])) >= 2:
                    try:
                        model = reference_model().fit([pieces[i].text for i in own], gold[own])
                    except ValueError:  # a target of a few pieces leaves no word with min_df 2: use all
                        model = None
                if model is None:
                    if overall is None:
                        overall = reference_model().fit([pieces[i].text for i in train], gold[train])
                    model = overall
                rows_t = test[targets[test] == t]
                pred[rows_t] = model.predict([pieces[i].text for i in rows_t])
        ref = score(gold.tolist(), pred.tolist(), name)
        rows.append((name, scheme, "reference_per_target", ref))
        print(f"  {scheme:8s} {'reference_per_target':22s} {ref:.4f}", flush=True)
        probas: dict[str, np.ndarray] = {}
        for variant in names:
            if variant in BLENDS or variant.startswith("log_") and variant[4:] in BLENDS:
                first, second, w = BLENDS[variant.removeprefix("log_")]
                if variant.startswith("log_"):  # calibrated logits averaged (what the model does: stays linear)
                    mixed = w * calibrated(probas[first], gold, classes) + (1 - w) * calibrated(probas[second], gold, classes)
                else:
                    mixed = w * probas[first] + (1 - w) * probas[second]
                value = score(gold.tolist(), classes[mixed.argmax(axis=1)].tolist(), name)
                rows.append((name, scheme, variant, value))
                print(f"  {scheme:8s} {variant:22s} {value:.4f}  ({value - ref:+.4f} vs ref)", flush=True)
                continue
            used, aug, weight, C, cw = VARIANTS[variant]
            X = sparse.hstack([blocks[b] for b in used] + [sparse.csr_matrix(index)], format="csr")
            pred = np.empty(len(gold), dtype=object)
            proba = np.zeros((len(gold), len(classes)))
            t1 = time.time()
            for train, test in folds:
                lr = LogisticRegression(C=C, class_weight=cw, max_iter=2000)
                if aug:
                    fold_index = TargetIndex(min_pieces=args.min_pieces).fit([samples[i] for i in train])
                    Xf = sparse.hstack([X[:, :-1], sparse.csr_matrix(fold_index.transform(samples))], format="csr")
                    clf = TargetAugmentedClassifier(lr, target_weight=weight).fit(Xf[train], gold[train])
                    pred[test] = clf.predict(Xf[test])
                    proba[test] = clf.predict_proba(Xf[test])
                else:
                    lr.fit(X[train, :-1], gold[train])
                    pred[test] = lr.predict(X[test, :-1])
                    proba[test] = lr.predict_proba(X[test, :-1])  # every fold sees every class here
            probas[variant] = proba
            value = score(gold.tolist(), pred.tolist(), name)
            rows.append((name, scheme, variant, value))
            print(f"  {scheme:8s} {variant:22s} {value:.4f}  ({value - ref:+.4f} vs ref, {time.time() - t1:.0f}s)",
                  flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("datasets", nargs="*")
    parser.add_argument("--n", type=int, default=4000, help="subsample each train split to N pieces")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--min-pieces", type=int, default=50)
    parser.add_argument("--variants", default="")
    parser.add_argument("--grouped", action="store_true", help="also target-grouped folds")
    parser.add_argument("--grouped-only", action="store_true", help="with --grouped: only the grouped folds")
    args = parser.parse_args()
    names = chosen_or_skip("stance_cv", args.datasets, data_root())
    if not names:
        return
    for name in names:
        if name not in DATASETS:
            raise SystemExit(f"unknown dataset {name}; known: {sorted(DATASETS)}")
        run_dataset(name, args)


if __name__ == "__main__":
    main()
