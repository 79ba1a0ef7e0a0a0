"""Does choosing what to label pay? Simulated labelling with ``framing suggest`` against random order.

    nice python benchmarks/active_learning.py [--seeds 3] [--datasets covid19_stance,pstance,allsides]

On each dataset a pool of labelled pieces plays the unlabelled corpus: labels are "given" 50 at
a time, in random order or in the order ``suggest`` (pipeline/labelling/suggest.py, the code
behind ``framing suggest`` and the annotation page) asks for them, and after each round a model
fitted on the labels so far is scored (macro-F1) on a held-out split it never chooses from.

The model inside the loop is a documented proxy, kept cheap so that each run takes minutes: TF-IDF
(words and bigrams, fitted on the pool's text, which a labeller has) with one copy of the columns
per target (so a word can count for one target and against another), and a class-balanced
LogisticRegression (C = 1, fixed a priori, not tuned; one-vs-rest liblinear). ``suggest`` reads its calibrated-enough
probabilities through the same ``probabilities()`` interface as a Framer's.

Held-out splits: COVID-19-Stance and P-Stance, the official test sets (tweets carry no author or
outlet to group by; the test tweets are other tweets on the same targets); AllSides, the outlet
split (whole outlets held out). Four orders: random, pure uncertainty (margin, no spread),
``maxmin`` (margin mixed with a greedy k-center spread, diversity 0.5) and ``suggest`` with its
defaults (margin, k-means spread over the 500 most uncertain; at most a fifth of a batch from one
outlet or story).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import ROOT, Timer, command, data_root, machine, table, write_section  # noqa: E402

ROUND = 50
BUDGET = 1000
TARGET_LABELS = 600
PLOT = ROOT / "docs" / "img" / "active_learning.png"
ALL_STRATEGIES = {"random": None, "uncertainty": {"spread": "none", "max_share": 1.0},
                  "maxmin": {"spread": "maxmin"}, "suggest": {}}
STRATEGIES = dict(ALL_STRATEGIES)  # narrowed by --strategies


@dataclass
class Dataset:
    """A pool to choose from and a held-out test set."""

    name: str
    pool: list  # Pieces, with their gold label in meta["gold"] (not in labels: nothing is "labelled" yet)
    test_texts: list[str]
    test_targets: list[str]
    test_labels: list[str]
    split: str


def _piece(pid, text, label, *, target=None, source=None, story=None):
    from pipeline.corpus import Piece

    return Piece(id=pid, text=text, target=target, source=source, story=story, meta={"gold": label})


def load_covid(folder: Path, rng) -> Dataset:
    rows = [json.loads(line) for line in open(folder / "covid19_stance.jsonl", encoding="utf-8")]
    train = [r for r in rows if r["split"] == "train"]
    test = [r for r in rows if r["split"] == "test"]
    pool = [_piece(f"c{i}", r["text"], r["stance"], target=r["target"], story=r["target"]) for i, r in enumerate(train)]
    return Dataset("covid19_stance", pool, [r["text"] for r in test], [r["target"] for r in test],
                   [r["stance"] for r in test], f"official test set ({len(test)} tweets, the same 4 targets)")


def load_pstance(folder: Path, rng, pool_size: int = 4000) -> Dataset:
    def read(part):
        out = []
        for name in ("trump", "biden", "bernie"):
            with open(folder / f"raw_{part}_{name}.csv", encoding="utf-8", newline="") as handle:
                out += [(r["Tweet"], r["Target"], r["Stance"]) for r in csv.DictReader(handle)]
        return out

    train, test = read("train"), read("test")
    keep = rng.choice(len(train), size=min(pool_size, len(train)), replace=False)
    pool = [_piece(f"p{i}", train[i][0], train[i][2], target=train[i][1], story=train[i][1]) for i in keep]
    return Dataset("pstance", pool, [t for t, _, _ in test], [g for _, g, _ in test], [s for _, _, s in test],
                   f"official test set ({len(test)} tweets, the same 3 targets); pool: {len(pool)} of "
                   f"{len(train)} train tweets")


def load_allsides(folder: Path, rng, pool_size: int = 4000, test_size: int = 2000, chars: int = 2000) -> Dataset:
    split = {}
    with open(folder / "splits.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            split[row["id"]] = row["outlet"]
    train, test = [], []
    with gzip.open(folder / "articles.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            r = json.loads(line)
            side = split.get(r["id"])
            if side in ("train", "test"):
                # The first few thousand characters: enough for lean, and the loop stays cheap.
                item = (r["id"], f"{r.get('title') or ''}\n{(r.get('text') or '')[:chars]}", r["lean"], r["outlet"],
                        r.get("topic"))
                (train if side == "train" else test).append(item)
    pick = rng.choice(len(train), size=min(pool_size, len(train)), replace=False)
    pool = [_piece(train[i][0], train[i][1], train[i][2], source=train[i][3], story=train[i][4]) for i in pick]
    test_pick = rng.choice(len(test), size=min(test_size, len(test)), replace=False)
    test_rows = [test[i] for i in test_pick]
    return Dataset("allsides", pool, [t[1] for t in test_rows], ["lean"] * len(test_rows), [t[2] for t in test_rows],
                   f"outlet split: {len(test_rows)} of {len(test)} articles from held-out outlets; pool: "
                   f"{len(pool)} of {len(train)} articles from the training outlets")


LOADERS = {"covid19_stance": load_covid, "pstance": load_pstance, "allsides": load_allsides}


class ProxyModel:
    """TF-IDF with per-target copies + balanced LogisticRegression, fitted on the labels so far."""

    def __init__(self, data: Dataset) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=100_000)
        pool_texts = [p.text for p in data.pool]
        self.targets = sorted({p.target or "lean" for p in data.pool})
        self.X_pool = self._augment(self.vectorizer.fit_transform(pool_texts), [p.target or "lean" for p in data.pool])
        self.X_test = self._augment(self.vectorizer.transform(data.test_texts), data.test_targets)
        self.row = {p.id: i for i, p in enumerate(data.pool)}
        self.y_pool = [p.meta["gold"] for p in data.pool]
        self.clf = None

    def _augment(self, X, targets):
        from scipy import sparse

        if len(self.targets) < 2:
            return X.tocsr()
        blocks = [X]
        for target in self.targets:
            mask = sparse.diags([1.0 if t == target else 0.0 for t in targets])
            blocks.append(mask @ X)
        return sparse.hstack(blocks, format="csr")

    def fit(self, rows):
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier

        # One-vs-rest liblinear: the same scores as multinomial lbfgs here (0.629 / 0.628 macro-F1
        # on COVID-19-Stance at 1,000 labels) in a tenth of the time.
        self.clf = OneVsRestClassifier(LogisticRegression(C=1.0, class_weight="balanced", solver="liblinear"))
        self.clf.fit(self.X_pool[rows], [self.y_pool[i] for i in rows])
        return self

    def test_f1(self, labels):
        from sklearn.metrics import f1_score

        return f1_score(labels, self.clf.predict(self.X_test), average="macro")

    # What suggest() reads of a Framer ----------------------------------------------------------
    @property
    def model(self):
        return self

    @property
    def tasks(self):
        return {"task": self.clf}

    def labels(self, task):
        return [str(c) for c in self.clf.classes_]

    def probabilities(self, pieces):
        return {"task": self.clf.predict_proba(self.X_pool[[self.row[p.id] for p in pieces]])}


def simulate(data: Dataset, strategy: str, seed: int, model: ProxyModel) -> list[float]:
    """Macro-F1 on the test set after each round of 50 labels, up to the budget."""
    import numpy as np

    from pipeline.labelling import suggest

    rng = np.random.default_rng(seed)
    options = ALL_STRATEGIES[strategy]
    shuffled = [int(i) for i in rng.permutation(len(data.pool))]
    if options is None:
        order = shuffled[:ROUND]
    else:
        # Round one: no model yet, so suggest spreads the first fifty by diversity alone.
        order = [model.row[s.piece.id] for s in suggest(data.pool, "task", ROUND, framer=None, seed=seed)]
    scores = []
    while True:
        # A model needs two labels: until there are, add pieces in random order (round one only, if ever).
        while len({model.y_pool[i] for i in order}) < 2:
            order.append(next(i for i in shuffled if i not in set(order)))
        model.fit(order)
        scores.append(model.test_f1(data.test_labels))
        if len(order) >= BUDGET:
            return scores
        if options is None:
            taken = set(order)
            order += [i for i in shuffled if i not in taken][:ROUND]
        else:
            labelled = {data.pool[i].id for i in order}
            chosen = suggest(data.pool, "task", ROUND, framer=model, skip=labelled, seed=seed, **options)
            order += [model.row[s.piece.id] for s in chosen]


def labels_to_reach(curve: list[float], level: float) -> int | None:
    """The fewest labels at which ``curve`` (one value per round) reaches ``level``."""
    for k, value in enumerate(curve, start=1):
        if value >= level - 1e-12:
            return k * ROUND
    return None


def run(names: list[str], seeds: int, save: Path | None = None) -> dict:
    import numpy as np

    results = json.loads(save.read_text()) if save is not None and save.exists() else {}
    for name in names:
        folder = data_root() / name
        if not folder.is_dir():
            print(f"skipped {name}: {folder} not found (set FRAMING_DATA)")
            continue
        with Timer() as t:
            data = LOADERS[name](folder, np.random.default_rng(0))
            model = ProxyModel(data)  # the features; each round fits a fresh classifier
            curves = {s: [simulate(data, s, seed, model) for seed in range(seeds)] for s in STRATEGIES}
        mean = {s: np.mean(c, axis=0).tolist() for s, c in curves.items()}
        level = mean["random"][-1]
        results[name] = {"split": data.split, "pool": len(data.pool), "seconds": round(t.seconds, 1),
                         "curves": curves, "mean": mean, "random_at_budget": level,
                         "labels_to_reach": {s: labels_to_reach(m, level) for s, m in mean.items()},
                         "per_seed_to_reach": {s: [labels_to_reach(c, np.mean(curves["random"], axis=0)[-1])
                                                   for c in cs] for s, cs in curves.items()}}
        r = results[name]
        if save is not None:  # kept after each dataset: a later run adds to it, --report-only reports it
            save.write_text(json.dumps(results, indent=1))
        print(f"{name}: random@{BUDGET} {level:.3f}; labels to reach it: {r['labels_to_reach']} "
              f"({r['seconds']} s)", flush=True)
    return results


def plot(results: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, axes = plt.subplots(1, len(results), figsize=(4.6 * len(results), 3.8), squeeze=False)
    colours = {"random": "#7a7a7a", "uncertainty": "#d08a1e", "maxmin": "#8a4fbf", "suggest": "#2457c5"}
    for ax, (name, r) in zip(axes[0], results.items()):
        x = np.arange(1, len(r["mean"]["random"]) + 1) * ROUND
        for s, cs in r["curves"].items():
            arr = np.array(cs)
            ax.plot(x, arr.mean(axis=0), color=colours[s], label=s if s != "suggest" else "framing suggest")
            ax.fill_between(x, arr.min(axis=0), arr.max(axis=0), color=colours[s], alpha=0.15, linewidth=0)
        ax.axhline(r["random_at_budget"], color="#7a7a7a", linestyle=":", linewidth=1)
        ax.axvline(TARGET_LABELS, color="#b3261e", linestyle="--", linewidth=0.8)
        ax.set_title(f"{name} (pool {r['pool']})", fontsize=10)
        ax.set_xlabel("pieces labelled")
        ax.set_ylabel("macro-F1, held-out split")
        ax.grid(alpha=0.3)
    axes[0][0].legend(fontsize=8, loc="lower right")
    fig.suptitle("Labelling in rounds of 50: suggested order vs random (mean and range over seeds)", fontsize=10)
    fig.tight_layout()
    PLOT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(PLOT, dpi=110)


def report(results: dict, seeds: int) -> str:
    rows = []
    for name, r in results.items():
        m = r["mean"]
        at = {k: (k // ROUND) - 1 for k in (200, 600, BUDGET)}
        for s in r["mean"]:
            reach = r["labels_to_reach"][s]
            rows.append([name, s, *(f"{m[s][i]:.3f}" for i in at.values()), reach if reach else f"> {BUDGET}",
                         ", ".join(str(v) if v else f">{BUDGET}" for v in r["per_seed_to_reach"][s])])
    met = [n for n, r in results.items() if (r["labels_to_reach"]["suggest"] or BUDGET + 1) <= TARGET_LABELS]
    lines = [
        f"Simulated labelling in rounds of {ROUND} up to {BUDGET} labels, {seeds} seeds; macro-F1 on each "
        "dataset's held-out split after each round (means over seeds). \"labels to reach\" is the fewest labels "
        f"at which the mean curve reaches random order's mean score at {BUDGET} labels. Target: at most "
        f"{TARGET_LABELS} on at least two datasets.",
        "",
        table(["dataset", "order", "F1 @200", "F1 @600", f"F1 @{BUDGET}", "labels to reach", "per seed"], rows),
        "",
        *[f"- {name}: {r['split']}; {r['seconds']} s." for name, r in results.items()],
        "",
        f"Target met on {len(met)} dataset(s){': ' + ', '.join(met) if met else ''}. The model in the loop is a "
        "proxy (TF-IDF with per-target copies + balanced LogisticRegression, C = 1), not the project's default "
        "pipeline, so that a run takes minutes; the selection is the project's own `suggest`.",
        "",
        "![learning curves](img/active_learning.png)",
        "",
        f"`{command()}`; {machine()}.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--datasets", default="covid19_stance,pstance,allsides")
    parser.add_argument("--no-write", action="store_true", help="Print only; leave docs/ alone.")
    parser.add_argument("--json", type=Path, help="Keep the curves here (JSON), adding to what it holds.")
    parser.add_argument("--strategies", default="random,uncertainty,suggest",
                        help=f"Orders to simulate, of {', '.join(ALL_STRATEGIES)}.")
    parser.add_argument("--report-only", action="store_true", help="Plot and report the --json file's curves.")
    args = parser.parse_args()
    from threadpoolctl import threadpool_limits

    for name in list(STRATEGIES):
        if name not in args.strategies.split(","):
            del STRATEGIES[name]
    if args.report_only:
        results = json.loads(args.json.read_text())
    else:
        with threadpool_limits(1):  # a shared machine: one core's worth of BLAS
            results = run(args.datasets.split(","), args.seeds, args.json)
    if not results:
        return
    body = "## Active learning: does `framing suggest` pay? (issue 20)\n\n" + report(results, args.seeds)
    print(body)
    if not args.no_write:
        plot(results)
        write_section("active-learning", body)


if __name__ == "__main__":
    main()
