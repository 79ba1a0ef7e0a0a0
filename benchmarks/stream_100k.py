"""Measure ``framing classify`` streaming 100,000 pieces: time, peak RSS, RSS over the run.

Run: ``.venv/bin/python benchmarks/stream_100k.py [--pieces 100000] [--workdir DIR]``.
It writes a JSONL corpus made of the sample texts (each piece gets its own id and a varied
opening), fits a small model (without spaCy, so it is quick), then runs the real CLI
under ``/usr/bin/time -v`` with ``--no-entities --no-cache -f jsonl -o OUT``, sampling the
resident memory of the whole process tree every second. Nothing is written in the repo.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_corpus(path: Path, n: int) -> int:
    texts = [json.loads(line)["text"] for f in sorted((ROOT / "corpus" / "sample").glob("*.jsonl"))
             for line in f.open(encoding="utf-8") if line.strip()]
    size = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            line = json.dumps({"id": f"b{i:06d}", "source": f"Outlet {i % 37}",
                               "text": f"Report {i}. " + texts[i % len(texts)]}) + "\n"
            size += len(line)
            out.write(line)
    return size


def make_model(path: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from pipeline.config import load_config, task_config
    from pipeline.features.samples import Sample
    from pipeline.models.factory import fit_task
    from pipeline.models.framing import FramingModel
    from pipeline.models.persist import save_model
    from pipeline.nlp.processor import model_id

    rows = [json.loads(line) for f in sorted((ROOT / "corpus" / "sample").glob("*.jsonl"))
            for line in f.open(encoding="utf-8") if line.strip()]
    rows = [r for r in rows if r.get("labels", {}).get("stance")]
    config = load_config(overrides={"classifier": {"calibration_folds": 0}})
    pipe = fit_task(task_config(config, "stance"), [Sample(r["text"].lower()) for r in rows],
                    [r["labels"]["stance"] for r in rows], use_target=False)
    name, version = model_id().split("==")
    info = {"spacy_model": {"name": name, "version": version}, "config": config.to_dict()}
    return save_model(FramingModel(tasks={"stance": pipe}, info=info), path)


def tree_rss_kb(pid: int) -> int:
    """Resident memory (kB) of ``pid`` and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, AttributeError):
            continue
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pieces", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--batch-size", type=int, default=512)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="framing-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["FRAMING_MODELS"] = str(work)
    corpus = work / "in.jsonl"
    size = make_corpus(corpus, args.pieces)
    model = make_model(work / "model")
    out = work / "out.jsonl"
    framing = Path(sys.executable).with_name("framing")
    cmd = ["/usr/bin/time", "-v", str(framing), "classify", str(corpus), "--model", str(model),
           "-f", "jsonl", "-o", str(out), "--no-entities", "--no-cache", "-q",
           "--batch-size", str(args.batch_size)]
    print(f"corpus: {args.pieces} pieces, {size / 1e6:.1f} MB; load before: {os.getloadavg()}", flush=True)
    print(" ".join(cmd), flush=True)
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    samples = []
    partial = work / "out.jsonl.partial"
    while proc.poll() is None:
        time.sleep(1)
        done = partial.stat().st_size if partial.exists() else 0
        rss = tree_rss_kb(proc.pid) // 1024
        if rss:
            samples.append((round(time.monotonic() - start), rss, done))
    stderr = proc.stderr.read()
    elapsed = time.monotonic() - start
    lines = sum(1 for _ in out.open("rb")) if out.exists() else 0
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", stderr)
    print(f"exit {proc.returncode}; {lines} records written; wall {elapsed:.0f} s ({wall.group(1) if wall else '?'});"
          f" peak RSS of the largest process {int(peak.group(1)) // 1024 if peak else '?'} MB;"
          f" load after: {os.getloadavg()}")
    print("tree RSS over the run (s, MB, bytes written):")
    step = max(1, len(samples) // 15)
    for s in samples[::step] + samples[-1:]:
        print(f"  {s[0]:>5} s  {s[1]:>5} MB  {s[2] / 1e6:>7.1f} MB out")
    if proc.returncode:
        print(stderr[-3000:])


if __name__ == "__main__":
    main()
