"""Does the zero-shot stance model help unseen targets on real data? (issue 17, points 3-4)

    OMP_NUM_THREADS=1 nice python benchmarks/zero_shot_real.py [--n 1500] [--folds 4] [--only NAME,...] [--no-write]

The real-data twin of ``benchmarks/zero_shot_unseen.py`` (which uses our own written sample).
Train splits only: no test split is read. For each multi-target dataset of ``../shared/data``
(COVID-19-Stance: 4 targets, P-Stance: 3, PERSPECTRUM and IBM claim stance: claims / topics
dealt into ``--folds`` groups), at most ``--n`` pieces of its train split (a fixed random
subsample), one target (group) is held out at a time:

- **own**: a stance model trained with the library defaults (:func:`pipeline.training.train.train`,
  as ``framing train``) on the other targets' pieces classifies the held-out pieces through the
  :class:`~pipeline.inference.framer.Framer` with the zero-shot model off: its own stance,
  relative to its training targets;
- **zero-shot**: a stance-any model that never saw this dataset: trained leave-one-dataset-out
  with ``benchmarks/stance_any.py``'s code and the shipped setting (``ship``: at most 8,000 train
  pairs per dataset, the setting named in ``models/stance-any/model.json``, every dataset the
  same weight) on the six other datasets, minus every pair whose text is among the scored pieces;
  its favor / against / none read as the dataset's labels (``benchmarks/stance_any_data.py``'s
  map, which :mod:`pipeline.inference.zero_shot` also follows), the argmax restricted to the
  labels the dataset uses;
- **majority**: the most frequent label of the training targets.

Each dataset in its own metric (F_avg for COVID-19-Stance and P-Stance, macro-F1 of favor and
against otherwise), every piece scored once; the paired difference zero-shot minus own with a
95% interval from a bootstrap over held-out targets (wide where a dataset has 3-4 targets).
Embeddings come from the stance-any cache (``$STANCE_ANY_CACHE``, ``benchmarks/stance_any_embed.py``).
Skips cleanly without the data, the cache's extra or the model.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import ROOT, command, data_root, machine, peak_rss_mb, table, write_section  # noqa: E402

SEED = 13
N_BOOT = 2000
DATASETS = ("covid19_stance", "pstance", "perspectrum", "ibm_claim_stance")
NAMES = {"covid19_stance": "COVID-19-Stance", "pstance": "P-Stance", "perspectrum": "PERSPECTRUM",
         "ibm_claim_stance": "IBM claim stance"}


def target_folds(targets: list[str], k: int) -> list[list[str]]:
    """One target per fold when there are at most ``k``; else dealt into ``k`` groups after a seeded shuffle."""
    order = sorted(set(targets))
    random.Random(SEED).shuffle(order)
    k = min(k, len(order))
    return [order[i::k] for i in range(k)]


def zero_shot_labels(name: str, held: list, cache, train_pairs: list, X_train: np.ndarray, setting: dict) -> list[str]:
    """The leave-``name``-out stance-any model's labels (favor / against / none) for ``held`` pairs."""
    from benchmarks.stance_any import restrict, weights
    from benchmarks.stance_any_data import text_key
    from pipeline.models.stance_any import AnyTargetStance, pair_matrix

    texts = {text_key(p.text) for p in held}
    keep = [i for i, p in enumerate(train_pairs) if p.dataset != name and text_key(p.text) not in texts]
    fit = [train_pairs[i] for i in keep]
    kwargs = dict(setting)
    sample_weight = weights(fit, kwargs.pop("weighting", "none"))
    model = AnyTargetStance(**kwargs).fit(X_train[keep], [p.label for p in fit], sample_weight=sample_weight)
    X = pair_matrix([p.target for p in held], [p.text for p in held], cache)
    return restrict(model.predict_proba_features(X), list(model.classes_), name)


def paired(gold: list[str], a: list[str], b: list[str], groups: list[str], name: str) -> tuple[float, float, float]:
    """score(a) - score(b) and its 95% interval over bootstrap resamples of whole held-out targets."""
    from benchmarks.stance_any import score

    by: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        by.setdefault(g, []).append(i)
    names = sorted(by)
    rng = np.random.default_rng(SEED)

    def diff(rows: list[int]) -> float:
        g = [gold[i] for i in rows]
        return score(name, g, [a[i] for i in rows]) - score(name, g, [b[i] for i in rows])

    boots = [diff([i for g in rng.choice(names, size=len(names)) for i in by[g]]) for _ in range(N_BOOT)]
    low, high = np.percentile(boots, [2.5, 97.5])
    return diff(list(range(len(gold)))), float(low), float(high)


def counts(labels: list[str]) -> str:
    """``against 95 / favor 91 / none 114``."""
    return " / ".join(f"{k} {v}" for k, v in sorted(Counter(labels).items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1500, help="train-split pieces per dataset (a fixed subsample)")
    parser.add_argument("--folds", type=int, default=4, help="held-out groups where a dataset has more targets")
    parser.add_argument("--only", default="", help="datasets, comma-separated (default all four)")
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs/benchmarks.md")
    args = parser.parse_args()

    from benchmarks import stance_data
    from benchmarks.stance_any import VARIANTS, features, pairs
    from benchmarks.stance_any_data import LABEL_MAP, Pair

    root = data_root()
    names = [n for n in (args.only.split(",") if args.only else DATASETS) if n in stance_data.available(root)]
    if not names:
        print(f"skipped zero_shot_real: none of {', '.join(DATASETS)} under {root}. Set FRAMING_DATA to run it.")
        return 0
    shipped = ROOT / "models" / "stance-any" / "model.json"
    if not shipped.is_file():
        print(f"skipped zero_shot_real: no {shipped} (its setting is the one reproduced).")
        return 0
    meta = json.loads(shipped.read_text("utf-8"))
    setting = VARIANTS[meta["setting"]]
    try:
        from benchmarks.stance_any_embed import EmbeddingCache
        from pipeline.models.stance_any import packaged_encoder  # noqa: F401 (the embeddings extra)
    except ImportError as exc:
        print(f"skipped zero_shot_real: the embeddings extra is not installed ({exc}).")
        return 0
    import torch

    torch.set_num_threads(1)
    from pipeline.config import load_config
    from pipeline.inference.framer import Framer
    from pipeline.nlp.cache import DocCache
    from pipeline.nlp.processor import Processor
    from pipeline.training.train import train

    start = time.perf_counter()
    cache = EmbeddingCache()
    train_pairs = pairs("train", meta["pairs_per_dataset_at_most"])  # what `ship` trained on
    X_train = features(train_pairs, cache)
    print(f"stance-any training pairs: {len(train_pairs)}, {time.perf_counter() - start:.0f} s", flush=True)
    config = load_config()
    processor = Processor(config.spacy.model, cache=DocCache(), n_process=1)
    rows, notes, summary = [], [], {}
    for name in names:
        pieces = stance_data.subsample(stance_data.load(name, root)["train"], args.n, SEED)
        mapping = LABEL_MAP[name]
        held_pairs = [Pair(name, "train", p.target, p.text, mapping[p.labels["stance"]], f"{name}:{p.target.lower()}")
                      for p in pieces]
        zero = zero_shot_labels(name, held_pairs, cache, train_pairs, X_train, setting)
        gold = [p.label for p in held_pairs]
        own, majority, unseen = [""] * len(pieces), [""] * len(pieces), [True] * len(pieces)
        seen = Counter()
        folds = target_folds([p.target for p in pieces], args.folds)
        for held in folds:
            held = set(held)
            fit = [p for p in pieces if p.target not in held]
            test = [i for i, p in enumerate(pieces) if p.target in held]
            model = train(fit, tasks=["stance"], config=config, processor=processor, evaluate=False).model
            framer = Framer(model, processor=processor, zero_shot=False)
            records = list(framer.classify([pieces[i] for i in test], entities=False, zero_shot=False))
            common = mapping[Counter(p.labels["stance"] for p in fit).most_common(1)[0][0]]
            for i, record in zip(test, records):
                own[i] = mapping[record["predictions"]["stance"]["label"]]
                majority[i] = common
                unseen[i] = not record.get("target_seen")
                seen["matched to a training target" if record.get("target_seen") else "unseen"] += 1
            print(f"  {name}: fold of {len(held)} targets, {len(test)} pieces, {time.perf_counter() - start:.0f} s",
                  flush=True)
        from benchmarks.stance_any import score

        groups = [p.target for p in pieces]
        # what the switch gives: zero-shot where the target is unseen, the model's own where it was matched
        switch = [z if u else o for z, o, u in zip(zero, own, unseen)]
        s = {k: score(name, gold, v) for k, v in (("zero", zero), ("switch", switch), ("own", own),
                                                   ("majority", majority))}
        diff, lo, hi = paired(gold, zero, own, groups, name)
        summary[name] = s
        metric = "F_avg" if name in ("covid19_stance", "pstance") else "macro-F1 (favor, against)"
        rows.append([NAMES[name], len(pieces), f"{len(set(groups))} in {len(folds)}", metric, s["zero"], s["switch"],
                     s["own"],
                     s["majority"], f"{diff:+.3f}", f"{lo:+.2f} to {hi:+.2f}"])
        notes.append(f"{NAMES[name]}: held-out pieces " + ", ".join(f"{n} {k}" for k, n in sorted(seen.items()))
                     + "; gold " + counts(gold) + "; own says " + counts(own) + "; zero-shot says " + counts(zero) + ".")
        print("  " + " | ".join(map(str, rows[-1])), flush=True)
    mean = {k: float(np.mean([s[k] for s in summary.values()])) for k in ("zero", "switch", "own", "majority")}
    wins = sum(s["zero"] > s["own"] for s in summary.values())
    rows.append(["mean", sum(r[1] for r in rows), "", "", mean["zero"], mean["switch"], mean["own"], mean["majority"],
                 f"{mean['zero'] - mean['own']:+.3f}", f"zero-shot ahead on {wins} of {len(summary)}"])
    body = "\n".join([
        "## Unseen targets on real data: the zero-shot model against the model's own stance (train splits only)",
        "",
        f"`OMP_NUM_THREADS=1 nice {command()}` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine()}; "
        f"{time.perf_counter() - start:.0f} s; peak memory {peak_rss_mb():.0f} MB). At most {args.n} pieces of each "
        "train split (no test split read); one held-out group of targets at a time: **own** = a stance model "
        "trained with the library defaults on the other targets, classifying with the zero-shot model off; "
        "**zero-shot** = stance-any trained leave-one-dataset-out (the shipped setting "
        f"'{meta['setting']}', at most {meta['pairs_per_dataset_at_most']} pairs per other dataset, pairs sharing "
        "a text with the scored pieces dropped), labels mapped favor / against / none onto the dataset's; "
        "**switch** = zero-shot where the target is unseen, own where it was matched to a training target "
        "(what classify gives by default when the labels pair up); "
        "**majority** = the training targets' most frequent label. Difference zero-shot minus own, 95% CI "
        f"from a bootstrap over held-out targets ({N_BOOT} resamples).",
        "",
        table(["dataset", "pieces", "targets (held-out groups)", "metric", "zero-shot", "switch", "own", "majority",
               "zero-shot - own", "95% CI"], rows),
        "",
        *notes,
    ])
    print(body)
    if not args.no_write:
        write_section("zero-shot-real", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
