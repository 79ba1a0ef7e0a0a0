"""Does the zero-shot stance model help a target the stance model never saw? (issue 17, points 3-4)

    OMP_NUM_THREADS=1 nice python benchmarks/zero_shot_unseen.py [--folds 4] [--no-write]
    nice python benchmarks/zero_shot_unseen.py --speed [--no-write]

``--speed``: what reading unseen targets costs: the 324 sample pieces classified (entities off,
models/default, the encoder loaded beforehand) toward their own targets, toward an unseen
target with the zero-shot model, and toward it without.

Held-out targets of the sample corpus (``corpus/sample``: 12 targets x 27 pieces we wrote, no
test split to touch): the 12 targets are dealt into ``--folds`` groups; for each group a stance
model is trained with the library's defaults (:func:`pipeline.training.train.train`) on the other
targets' pieces, and the group's pieces are classified through :class:`~pipeline.inference.framer.Framer`
twice: with the zero-shot model (``models/stance-any``, labels mapped onto support / oppose /
neutral) and without it (the model's own stance, relative to its training targets). Every piece
is thus scored once, toward a target its stance model did not see. Beside them: the training
folds' majority label. Then the same again toward the *opposite* target, ``opposing TARGET``,
with support and oppose swapped in the gold labels: a model that only knows how texts lean
toward its training targets gives the same labels in both directions, which this exposes.
Macro-F1 with 95% intervals from a bootstrap over *targets* (the pieces
of one target are not independent), and the paired difference zero-shot minus own, bootstrapped
over targets too. Needs the ``embeddings`` extra and ``models/stance-any``; skips cleanly without.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import ROOT, command, machine, table, write_section  # noqa: E402

SEED = 13
N_BOOT = 2000
FLIP = {"support": "oppose", "oppose": "support"}


def folds_of(targets: list[str], k: int) -> list[list[str]]:
    """The targets dealt into ``k`` groups after a seeded shuffle."""
    order = sorted(targets)
    random.Random(SEED).shuffle(order)
    return [order[i::k] for i in range(k)]


def paired_difference(gold: list[str], a: list[str], b: list[str], groups: list[str]) -> tuple[float, float, float]:
    """Macro-F1(a) - macro-F1(b), and its 95% interval over bootstrap resamples of whole groups."""
    from pipeline.evaluation.metrics import classification_metrics

    def f1(rows: list[int], pred: list[str]) -> float:
        return classification_metrics([gold[i] for i in rows], [pred[i] for i in rows], labels=labels,
                                      n_boot=0)["macro_f1"]

    labels = sorted(set(gold))
    by_group: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        by_group.setdefault(g, []).append(i)
    names = sorted(by_group)
    everything = list(range(len(gold)))
    rng = np.random.default_rng(SEED)
    diffs = []
    for _ in range(N_BOOT):
        rows = [i for g in rng.choice(names, size=len(names)) for i in by_group[g]]
        diffs.append(f1(rows, a) - f1(rows, b))
    low, high = np.percentile(diffs, [2.5, 97.5])
    return f1(everything, a) - f1(everything, b), float(low), float(high)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=4, help="groups of held-out targets")
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs/benchmarks.md")
    parser.add_argument("--speed", action="store_true", help="time classify with and without the zero-shot model")
    args = parser.parse_args()

    from pipeline.corpus import read_corpus
    from pipeline.inference.framer import Framer
    from pipeline.models.persist import DEFAULT_ZERO_SHOT

    try:
        from pipeline.models.stance_any import packaged_encoder

        # one torch thread for the accuracy check (a shared machine); the speed check lets it use every core
        packaged_encoder("all-MiniLM-L6-v2", n_threads=None if args.speed else 1)
    except ImportError as exc:
        print(f"skipped zero_shot_unseen: the embeddings extra is not installed ({exc}).")
        return 0
    if not (DEFAULT_ZERO_SHOT / "model.json").is_file():
        print(f"skipped zero_shot_unseen: no zero-shot model at {DEFAULT_ZERO_SHOT}.")
        return 0
    if args.speed:
        return speed(args)
    from pipeline.config import load_config
    from pipeline.evaluation.metrics import classification_metrics
    from pipeline.nlp.cache import DocCache
    from pipeline.nlp.processor import Processor
    from pipeline.training.train import train

    start = time.perf_counter()
    pieces = [p for p in read_corpus(ROOT / "corpus" / "sample") if p.target and p.labels.get("stance")]
    config = load_config()
    processor = Processor(config.spacy.model, cache=DocCache(), n_process=1)
    runs = {way: {"gold": [], "own": [], "zero": [], "majority": [], "groups": [], "matched": Counter()}
            for way in ("as written", "opposite")}
    for held in folds_of(sorted({p.target for p in pieces}), args.folds):
        fit = [p for p in pieces if p.target not in held]
        test = [p for p in pieces if p.target in held]
        model = train(fit, tasks=["stance"], config=config, processor=processor, evaluate=False).model
        framer = Framer(model, processor=processor, zero_shot=True)
        assert framer.zero_shot is not None and framer.zero_shot.usable, framer.zero_shot_reason
        common = Counter(p.labels["stance"] for p in fit).most_common(1)[0][0]
        for way, run in runs.items():
            flip = way == "opposite"
            toward = [replace(p, target=f"opposing {p.target}") for p in test] if flip else test
            with_zs = list(framer.classify(toward, entities=False))
            without = list(framer.classify(toward, entities=False, zero_shot=False))
            for piece, a, b in zip(test, with_zs, without):
                label = piece.labels["stance"]
                run["gold"].append(FLIP.get(label, label) if flip else label)
                run["zero"].append(a["predictions"]["stance"]["label"])
                run["own"].append(b["predictions"]["stance"]["label"])
                run["majority"].append(FLIP.get(common, common) if flip else common)
                run["groups"].append(piece.target)
                run["matched"]["seen (matched to a training target)" if a["target_seen"] else
                               "zero-shot" if a["predictions"]["stance"].get("zero_shot") else "own"] += 1
        print(f"fold {held}: {len(test)} pieces, {time.perf_counter() - start:.0f} s", flush=True)

    rows, notes = [], []
    for way, run in runs.items():
        gold, groups = run["gold"], run["groups"]
        labels = sorted(set(gold))
        for name, pred in (("zero-shot (models/stance-any, labels mapped)", run["zero"]),
                           ("the model's own stance (relative to its training targets)", run["own"]),
                           ("majority label of the training targets", run["majority"])):
            m = classification_metrics(gold, pred, labels=labels, groups=groups, n_boot=N_BOOT, seed=SEED)
            lo, hi = m["macro_f1_ci"]
            rows.append([way, name, f"{m['macro_f1']:.3f}", f"{lo:.2f}-{hi:.2f}", f"{m['accuracy']:.3f}",
                         " / ".join(f"{m['per_class'][lab]['f1']:.2f}" for lab in labels)])
        diff, lo, hi = paired_difference(gold, run["zero"], run["own"], groups)
        notes.append(f"Target {way}: zero-shot minus own **{diff:+.3f}** macro-F1 (95% CI {lo:+.2f} to {hi:+.2f}, "
                     "paired, over targets); pieces: "
                     + ", ".join(f"{n} {k}" for k, n in sorted(run["matched"].items())) + ".")
    body = "\n".join([
        "## Unseen targets: the zero-shot model against the model's own stance (issue 17, points 3-4)",
        "",
        f"`{command()}` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine()}; "
        f"{time.perf_counter() - start:.0f} s). corpus/sample, {len(set(groups))} targets x 27 pieces, "
        f"{args.folds} groups of held-out targets: each piece scored once by a stance model trained "
        "(library defaults) without its target. 95% intervals: bootstrap over targets "
        f"({N_BOOT} resamples), so they are wide: {len(set(groups))} targets.",
        "",
        table(["target", "stance of a piece whose target was held out", "macro-F1", "95% CI", "accuracy",
               "F1 " + " / ".join(labels)], rows),
        "",
        *notes,
    ])
    print(body)
    if not args.no_write:
        write_section("zero-shot-unseen", body)
    return 0


def speed(args: argparse.Namespace) -> int:
    """Pieces per second toward seen targets, and toward an unseen one with and without zero-shot."""
    from pipeline.corpus import read_corpus
    from pipeline.inference.framer import Framer

    pieces = list(read_corpus(ROOT / "corpus" / "sample"))
    unseen = [replace(p, target="lowering the voting age to sixteen") for p in pieces]
    framer = Framer.load()
    list(framer.classify(pieces[:50], entities=False))  # spaCy and the pool warmed
    rows = []
    for name, batch, zero_shot in (("own targets (seen)", pieces, True), ("an unseen target, zero-shot", unseen, True),
                                   ("an unseen target, without zero-shot", unseen, False)):
        start = time.perf_counter()
        records = list(framer.classify(batch, entities=False, zero_shot=zero_shot))
        seconds = time.perf_counter() - start
        by = sum(bool(r["predictions"]["stance"].get("zero_shot")) for r in records)
        rows.append([name, len(records), by, f"{seconds:.1f}", f"{len(records) / seconds:.0f}"])
    body = "\n".join([
        "## Unseen targets: what the zero-shot model costs",
        "",
        f"`{command()}` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine()}). The 324 sample "
        "pieces, entities off, models/default (2 processes), the sentence encoder loaded before the timings "
        "(torch on every core).",
        "",
        table(["pieces toward", "pieces", "stance from the zero-shot model", "seconds", "pieces/s"], rows),
    ])
    print(body)
    if not args.no_write:
        write_section("zero-shot-speed", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
