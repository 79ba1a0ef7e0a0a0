"""Speed and peak memory on AllSides articles: training, classifying, and the reference.

    python benchmarks/speed.py                      (everything)
    python benchmarks/speed.py startup big-input    (no dataset needed: see benchmarks/startup.py)

``startup`` and ``big-input`` (benchmarks/startup.py) time ``framing --help``, ``framing``,
``--version``, a usage error and one sentence against ``python -c pass`` and ``spacy.load`` in
the same run (targets: ``--help`` <= 3x, one sentence <= 1.5x), and classify a
2.5 MB single-line text with entities (peak RSS). Each other measurement runs in its own process (wall time and peak RSS from ``os.wait4``):

* ``train-cold`` / ``train-warm``: ``framing`` training end to end on the outlet-split train set
  (reading, tokenising, fitting; ``configs/allsides.toml``, no cross-validation) with an empty,
  then a filled doc cache. Targets: <= 180 s cold, <= 60 s warm, peak <= 3 GB.
* ``reference-fit``: a plain scikit-learn TF-IDF + LogisticRegression script on the same articles
  (raw title + text), then its ``predict`` on the classification sample.
* ``classify``: the product path, ``Framer.classify`` with the shipped default model on unseen
  articles (outlet-split test set), entities off, no cache. Target >= 300 articles/s.
* ``classify-entities``: the same with entities (NER, entity stance). Target >= 10 articles/s.
* ``tokenise-1`` / ``tokenise-2``: the lexical spaCy profile on 1 and 2 processes.

Classification rates are timed after a 200-article warm-up (worker start-up and model loading
are one-off costs), so they are the steady state a long job sees.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import command, config, machine, require_data, table, write_section  # noqa: E402

TOKENISE_SAMPLE = 3000
CLASSIFY_SAMPLE = 2000
ENTITY_SAMPLE = 300
WARM_UP = 200


def _pieces(split: str):
    from pipeline.corpus.datasets.adapters import read_allsides

    return [p for p in read_allsides(require_data("allsides", "articles.jsonl.gz", "splits.tsv"))
            if p.meta["split"]["outlet"] == split]


def _reference(out: dict) -> None:
    from benchmarks._common import reference_model

    raw = lambda ps: [f"{p.title or ''}\n{p.text}" for p in ps]  # noqa: E731
    train, test = _pieces("train"), _pieces("test")[:CLASSIFY_SAMPLE]
    model = reference_model(max_features=200_000).fit(raw(train), [p.labels["lean"] for p in train])
    start = time.perf_counter()
    model.predict(raw(test))
    out["rate"] = len(test) / (time.perf_counter() - start)


def _classify(out: dict, n: int, entities: bool) -> None:
    from pipeline.inference.framer import Framer

    pieces = _pieces("test")
    with Framer.load() as framer:
        list(framer.classify(pieces[-WARM_UP:], entities=entities))
        start = time.perf_counter()
        records = list(framer.classify(pieces[:n], entities=entities))
        out["rate"] = len(records) / (time.perf_counter() - start)


def child(kind: str, cache: str, result_file: str) -> None:
    """One measured job, run in a fresh process; rates go to ``result_file`` as JSON."""
    out: dict = {}
    if kind == "reference-fit":
        _reference(out)
    elif kind == "classify":
        _classify(out, CLASSIFY_SAMPLE, entities=False)
    elif kind == "classify-entities":
        _classify(out, ENTITY_SAMPLE, entities=True)
    elif kind.startswith("tokenise"):
        from pipeline.nlp.processor import Processor

        texts = [p.text for p in _pieces("train")[:TOKENISE_SAMPLE]]
        start = time.perf_counter()
        with Processor(None, cache=None, n_process=int(kind[-1])) as processor:
            processor.lexical(texts)
        out["rate"] = len(texts) / (time.perf_counter() - start)
    else:
        from pipeline.nlp.cache import DocCache
        from pipeline.nlp.processor import Processor
        from pipeline.training.train import train

        with Processor(None, cache=DocCache(cache), n_process=2) as processor:
            train(_pieces("train"), tasks=["lean"], config=config("allsides"), evaluate=False, processor=processor)
    Path(result_file).write_text(json.dumps(out))


def measure(kind: str, cache: str) -> dict:
    """Wall seconds, peak RSS (MB) and any rate of ``child(kind)``, run in its own process."""
    result_file = Path(cache) / f"{kind}.json"
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", kind, cache, str(result_file)])
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        raise SystemExit(f"{kind} failed with status {status}")
    return {"seconds": time.perf_counter() - start, "peak_mb": usage.ru_maxrss / 1024,
            **json.loads(result_file.read_text())}


TARGETS = {"train-cold": "<= 180 s", "train-warm": "<= 60 s", "classify": ">= 300 articles/s",
           "classify-entities": ">= 10 articles/s"}


def main() -> None:
    """Run every measurement, print and record the table."""
    own = [k for k in sys.argv[1:] if k in ("startup", "big-input")]
    if not own:
        require_data("allsides", "articles.jsonl.gz", "splits.tsv")
    if own or not sys.argv[1:]:
        from benchmarks.startup import main as startup

        section = startup(own or ["startup", "big-input"])
        print(section, flush=True)
        write_section("startup", section)
        if own:
            return
    kinds = sys.argv[1:] or ["train-cold", "train-warm", "reference-fit", "classify", "classify-entities",
                             "tokenise-1", "tokenise-2"]
    results = {}
    with tempfile.TemporaryDirectory(prefix="framing-speed-") as cache:
        for kind in kinds:
            results[kind] = measure(kind, cache)
            print(kind, results[kind], flush=True)
    ref = results.get("reference-fit")
    rows = []
    for kind, r in results.items():
        if kind.startswith("train"):
            versus = f"{r['seconds'] / ref['seconds']:.2f}x the reference's fit+predict" if ref else ""
            rows.append([kind, f"{r['seconds']:.0f} s", f"{r['peak_mb']:.0f} MB", TARGETS[kind], versus])
        elif kind == "reference-fit":
            rows.append([kind, f"{r['seconds']:.0f} s (predict: {r['rate']:.0f} articles/s)",
                         f"{r['peak_mb']:.0f} MB", "", "1.00x"])
        else:
            versus = f"{r['rate'] / ref['rate']:.2f}x the reference's predict" if ref and kind == "classify" else ""
            rows.append([kind, f"{r['rate']:.0f} articles/s", f"{r['peak_mb']:.0f} MB", TARGETS.get(kind, ""),
                         versus])
    section = ("## Speed and memory (AllSides articles, each job in its own process)\n\n"
               f"Command: `{command()}`. Machine: {machine()}. Classification: "
               f"{CLASSIFY_SAMPLE} outlet-split test articles ({ENTITY_SAMPLE} with entities) after a "
               f"{WARM_UP}-article warm-up, default model, no cache.\n\n"
               + table(["job", "time / rate", "peak RSS", "target", "vs reference"], rows))
    print(section)
    if len(kinds) == 7:
        write_section("speed", section)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(*sys.argv[2:])
    else:
        main()
