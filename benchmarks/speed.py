"""Training and tokenising speed and peak memory on the AllSides outlet-split train set.

    python benchmarks/speed.py

Each measurement runs in its own process (wall time and peak RSS from ``os.wait4``):
``framing`` training end to end (reading, tokenising, fitting) with a cold doc cache, then
warm; the plain scikit-learn reference on the same articles; and the tokenizer on 1 and 2
processes (does the 2-process path pay?). Targets: cold <= 180 s, warm <= 60 s, peak <= 3 GB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import command, config, machine, require_data, table, write_section  # noqa: E402

TOKENISE_SAMPLE = 3000


def _train_pieces():
    from pipeline.corpus.adapters import read_allsides

    return [p for p in read_allsides(require_data("allsides", "articles.jsonl.gz", "splits.tsv"))
            if p.meta["split"]["outlet"] == "train"]


def child(kind: str, cache: str) -> None:
    """One measured job, run in a fresh process."""
    if kind == "reference":
        import gzip
        import json

        folder = require_data("allsides", "articles.jsonl.gz", "splits.tsv")
        split = dict(line.split("\t")[::2] for line in (folder / "splits.tsv").read_text().splitlines()[1:])
        texts, labels = [], []
        with gzip.open(folder / "articles.jsonl.gz", "rt", encoding="utf-8") as handle:
            for line in handle:
                r = json.loads(line)
                if split.get(r["id"], "").strip() == "train":
                    texts.append(f"{r['title']}\n{r['text']}")
                    labels.append(r["lean"])
        from benchmarks._common import reference_model

        reference_model(max_features=200_000).fit(texts, labels)
        return
    from pipeline.cache import DocCache
    from pipeline.nlp import Processor

    pieces = _train_pieces()
    if kind.startswith("tokenise"):
        Processor(None, cache=None, n_process=int(kind[-1])).lexical([p.text for p in pieces[:TOKENISE_SAMPLE]])
        return
    from pipeline.train import train

    train(pieces, tasks=["lean"], config=config("allsides"), evaluate=False,
          processor=Processor(None, cache=DocCache(cache), n_process=2))


def measure(kind: str, cache: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of ``child(kind)`` in its own process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", kind, cache])
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        raise SystemExit(f"{kind} failed with status {status}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> None:
    """Run every measurement, print and record the table."""
    require_data("allsides", "articles.jsonl.gz", "splits.tsv")
    rows, results = [], {}
    with tempfile.TemporaryDirectory(prefix="framing-speed-") as cache:
        for kind in ("framing-cold", "framing-warm", "reference", "tokenise-1", "tokenise-2"):
            results[kind] = measure(kind, cache)
            print(kind, f"{results[kind][0]:.1f} s, {results[kind][1]:.0f} MB", flush=True)
    ref_s = results["reference"][0]
    for kind, (secs, mb) in results.items():
        extra = f"{TOKENISE_SAMPLE / secs:.0f} articles/s incl. start-up" if kind.startswith("tokenise") else \
            f"{secs / ref_s:.2f}x reference"
        rows.append([kind, f"{secs:.0f} s", f"{mb:.0f} MB", extra])
    section = ("## Speed and memory (AllSides outlet-split train set, each job in its own process)\n\n"
               f"Command: `{command()}`. Machine: {machine()}.\n\n"
               + table(["job", "wall time", "peak RSS", "vs reference / rate"], rows))
    print(section)
    write_section("speed", section)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
