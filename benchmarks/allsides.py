"""AllSides political lean (left / center / right) on its outlet split and its random split.

    python benchmarks/allsides.py

The outlet split holds whole outlets out: it says whether a model reads the article. The
random split mostly says whether it recognises the outlet (the label is in practice the
outlet's rating). Published: BERT 0.802 macro-F1 random, 0.355 media split; plain TF-IDF +
LogisticRegression about 0.84 random and 0.52 on unseen outlets.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (  # noqa: E402
    Timer,
    command,
    config,
    machine,
    peak_rss_mb,
    processor,
    reference_model,
    require_data,
    table,
    write_section,
)

TASK = "lean"
SPLITS = ("outlet", "random")
PUBLISHED = {"outlet": "BERT 0.355 (media split); TF-IDF LR ~0.52", "random": "BERT 0.802; TF-IDF LR ~0.84"}
SPEED_SAMPLE = 2000
SETTINGS = ("Settings (`benchmarks/configs/allsides.toml`, where each one's figures are) were chosen by 3-fold "
            "cross-validation grouped by outlet on the outlet split's train part only: whole articles instead "
            "of the first 1000 tokens, balanced classes, and each article weighted by 1 / sqrt(articles of its "
            "outlet) so that the ten biggest outlets (63% of the training articles) do not decide what the model "
            "learns, and word n-grams without punctuation or one-character tokens (`word_tokens_only`). In that "
            "CV: reference 0.392, the former config 0.404, these settings without word_tokens_only 0.459, with it "
            "0.492 macro-F1. Masking names and wire furniture (a prototype, not kept) scored 0.461 there: no gain. "
            "The outlet test split has been looked at twice: once without word_tokens_only (0.484), then this run.")


def run(splits: tuple[str, ...] = SPLITS) -> dict:
    """Tokenise once, then per split: fit the project's model and the reference, score both."""
    folder = require_data("allsides", "articles.jsonl.gz", "splits.tsv")
    from pipeline.config import task_config
    from pipeline.corpus.datasets.adapters import read_allsides
    from pipeline.evaluation.metrics import classification_metrics
    from pipeline.features.samples import prepare_samples
    from pipeline.inference.framer import Framer
    from pipeline.models.factory import fit_task
    from pipeline.models.framing import FramingModel
    from pipeline.nlp.processor import Processor

    pieces = list(read_allsides(folder))
    cfg = config("allsides")
    tcfg = task_config(cfg, TASK)
    labels = [p.labels[TASK] for p in pieces]
    with Timer() as tok_t:
        samples = prepare_samples(pieces, processor(), max_tokens=tcfg.features.max_tokens)
    result: dict = {"n": len(pieces), "tokenise_s": tok_t.seconds, "splits": {}}
    for split in splits:
        train = [i for i, p in enumerate(pieces) if p.meta["split"][split] == "train"]
        test = [i for i, p in enumerate(pieces) if p.meta["split"][split] == "test"]
        with Timer() as fit_t:
            model = fit_task(tcfg, [samples[i] for i in train], [labels[i] for i in train], use_target=False)
        with Timer() as pred_t:
            predicted = model.predict([samples[i] for i in test]).tolist()
        gold = [labels[i] for i in test]
        ours = classification_metrics(gold, predicted, n_boot=0)
        raw = lambda rows: [f"{pieces[i].title or ''}\n{pieces[i].text}" for i in rows]  # noqa: E731
        with Timer() as ref_t:
            ref_model = reference_model(max_features=200_000).fit(raw(train), [labels[i] for i in train])
            ref = classification_metrics(gold, ref_model.predict(raw(test)).tolist(), n_boot=0)
        result["splits"][split] = {"ours": ours, "ref": ref, "fit_s": fit_t.seconds, "pred_s": pred_t.seconds,
                                   "ref_s": ref_t.seconds, "n_train": len(train), "n_test": len(test)}
        if split == "outlet":
            # Throughput of the product path: Framer.classify on unseen text, no cache.
            framer = Framer(FramingModel(tasks={TASK: model}, info={"config": cfg.to_dict()}), processor=Processor(None))
            sample = [pieces[i] for i in test[:SPEED_SAMPLE]]
            with Timer() as cls_t:
                for _ in framer.classify(sample, entities=False):
                    pass
            result["classify_per_s"] = len(sample) / cls_t.seconds
            with Timer() as ref_cls_t:
                ref_model.predict(raw(test[:SPEED_SAMPLE]))
            result["ref_classify_per_s"] = len(sample) / ref_cls_t.seconds
    return result


def report(r: dict) -> str:
    """The Markdown section for docs/benchmarks.md."""
    rows = []
    for split, s in r["splits"].items():
        rows.append([f"{split} (train {s['n_train']}, test {s['n_test']})", "framing (configs/allsides.toml)",
                     s["ours"]["macro_f1"], s["ours"]["accuracy"], f"{s['fit_s']:.0f} s fit"])
        rows.append(["", "reference: sklearn TF-IDF + LR", s["ref"]["macro_f1"], s["ref"]["accuracy"],
                     f"{s['ref_s']:.0f} s fit+predict"])
        rows.append(["", f"published: {PUBLISHED[split]}", "", "", ""])
    per_class = table(["split", "class", "F1 (ours)", "F1 (reference)", "support"],
                      [[split, lab, v["f1"], s["ref"]["per_class"][lab]["f1"], v["support"]]
                       for split, s in r["splits"].items() for lab, v in s["ours"]["per_class"].items()])
    speed = ""
    if "classify_per_s" in r:
        speed = (f"\n\nClassification throughput (Framer.classify, entities off, no cache, {SPEED_SAMPLE} "
                 f"unseen articles): {r['classify_per_s']:.0f} articles/s; reference predict on raw text "
                 f"{r['ref_classify_per_s']:.0f} articles/s.")
    return (f"## AllSides lean ({r['n']} articles)\n\n"
            f"Command: `{command()}`. Machine: {machine()}; peak RSS {peak_rss_mb():.0f} MB. "
            f"Tokenising all articles (doc cache as found): {r['tokenise_s']:.0f} s.\n\n" + SETTINGS + "\n\n"
            + table(["split", "model", "macro-F1", "accuracy", "time"], rows) + "\n\n" + per_class + speed)


def main() -> None:
    """Run, print and record the benchmark."""
    section = report(run(tuple(a for a in sys.argv[1:] if a in SPLITS) or SPLITS))
    print(section)
    write_section("allsides", section)


if __name__ == "__main__":
    main()
