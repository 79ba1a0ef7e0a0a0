"""Scaling out: Dask with 1 and 2 workers against the local 2-process pool, on the same pieces.

    python benchmarks/scale.py [--pieces 20000] [--shard-size 500] [--no-write]

The pieces are made from the shipped sample corpus (``corpus/sample``, texts we wrote), each
with its own id and a numbered sentence appended, so that no two texts are alike; no doc cache,
entities off, the default model. Each setting is timed after a warm-up (the local pool started,
the workers' model loaded), so the rates are the steady state of a long job:

* ``local pool``: :meth:`Framer.classify` on the model's 2 worker processes, records written as
  JSON lines batch by batch (what ``framing classify -f jsonl -o`` does on this machine);
* ``dask 1`` / ``dask 2``: :func:`classify_on_dask` on a LocalCluster of 1 and 2 single-threaded
  worker processes, from the pieces to the merged output file;
* ``dask 2, reading the file``: :func:`classify_inputs_on_dask`: the same pieces as a JSONL file,
  cut into line-aligned byte ranges that the 2 workers read themselves.

Per-shard overhead: the worker time that went to no shard, ``(workers x wall - sum of shard
times) / shards``: scheduling, shipping the pieces, writing and merging the parts, the tail.
Memory: each worker's resident set after its first and its last shard.
Targets (issue 19): 2 workers >= 0.9x the local pool, 1 -> 2 workers >= 1.7x, memory growth < 10%.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import ROOT, command, machine, table, write_section  # noqa: E402

WARM_UP = 200


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and every live descendant: the client, a local
    cluster's scheduler (a thread here), nannies and workers, or the local pool's processes."""
    import psutil

    total = 0.0
    for proc in [psutil.Process(), *psutil.Process().children(recursive=True)]:
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def make_pieces(n: int) -> list:
    """``n`` pieces cycled from the sample corpus, each with its own id and a numbered sentence."""
    from dataclasses import replace

    from pipeline.corpus import read_corpus

    sample = list(read_corpus(ROOT / "corpus" / "sample"))
    return [replace(sample[i % len(sample)], id=f"scale-{i}",
                    text=f"{sample[i % len(sample)].text} Item {i} of the archive.") for i in range(n)]


def local_pool(pieces: list, warm: list, folder: Path) -> dict:
    """The local 2-process pool, timed after a warm-up batch has started it; its records are
    written as JSON lines batch by batch, as ``framing classify -f jsonl -o`` does."""
    from pipeline.inference.distributed import encode_jsonl
    from pipeline.inference.framer import (
        Framer,  # noqa: I001
        batched,
    )

    with Framer.load() as framer, open(folder / "local.jsonl", "wb") as out:
        list(framer.classify(warm, entities=False))
        start, cpu = time.perf_counter(), cpu_seconds()
        n = 0
        for batch in batched(framer.classify(pieces, entities=False), 512):
            out.write(encode_jsonl(batch))
            out.flush()
            n += len(batch)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    return {"seconds": seconds, "rate": n / seconds, "cpu_ms": 1000 * cpu / n}


def on_dask(workers: int, pieces: list, warm: list, shard_size: int, folder: Path,
            source: Path | None = None) -> dict:
    """A LocalCluster of ``workers`` single-threaded processes, timed after a warm-up run. With
    ``source`` (the pieces as a JSONL file), the workers read byte ranges of it themselves (about
    ``shard_size`` pieces each); else this process reads the pieces and ships them."""
    from distributed import Client, LocalCluster

    from pipeline.inference.distributed import WorkerOptions, classify_inputs_on_dask, classify_on_dask

    options = WorkerOptions(entities=False, no_cache=True)
    name = f"dask-{workers}{'-read' if source else ''}.jsonl"
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        classify_on_dask(warm, output=folder / "warm.jsonl", dask=client, options=options,
                         shard_size=max(1, len(warm) // workers))
        cpu = cpu_seconds()
        if source is None:
            run = classify_on_dask(pieces, output=folder / name, dask=client, options=options, shard_size=shard_size)
        else:
            blocksize = max(1, source.stat().st_size * shard_size // len(pieces))
            run = classify_inputs_on_dask([str(source)], output=folder / name, dask=client, options=options,
                                          workers_read=True, blocksize=blocksize)
        cpu = cpu_seconds() - cpu
    busy = sum(s.seconds for s in run.shards)
    by_worker: dict[str, list[int]] = {}
    for shard in run.shards:  # in input order, which is also the order each worker did them in
        by_worker.setdefault(shard.worker, []).append(shard.rss_bytes)
    growth = max((rss[-1] - rss[0]) / rss[0] for rss in by_worker.values())
    return {"seconds": run.seconds, "rate": run.records / run.seconds, "shards": len(run.shards),
            "cpu_ms": 1000 * cpu / run.records,
            "overhead_s": (workers * run.seconds - busy) / len(run.shards),
            "worker_rate": run.records / busy * 1.0,  # pieces per second of one worker's shard time
            "rss_first_mb": max(rss[0] for rss in by_worker.values()) / 2**20,
            "rss_last_mb": max(rss[-1] for rss in by_worker.values()) / 2**20, "growth": growth,
            "output": folder / name}


def client_feed(pieces: list, shard_size: int, folder: Path) -> dict:
    """What the client does per piece before a worker sees it: read the JSONL, key each shard,
    pickle it for the wire (one process); an upper bound on what any number of workers can get."""
    import json
    import pickle

    from pipeline.corpus import read_corpus
    from pipeline.inference.framer import batched
    from pipeline.inference.parts import shard_key

    src = folder / "feed.jsonl"
    src.write_text("".join(json.dumps(p.to_record(), ensure_ascii=False) + "\n" for p in pieces), "utf-8")
    start = time.perf_counter()
    n = size = 0
    for shard in batched(read_corpus(src), shard_size):
        shard_key(p.to_record() for p in shard)
        size += len(pickle.dumps(shard))
        n += len(shard)
    seconds = time.perf_counter() - start
    return {"rate": n / seconds, "bytes_per_piece": size / n}


def main() -> None:
    """Measure the three settings, print the table and record it in docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pieces", type=int, default=20_000)
    parser.add_argument("--shard-size", type=int, default=500)
    parser.add_argument("--no-write", action="store_true", help="Print only; leave docs/benchmarks.md as it is.")
    args = parser.parse_args()
    load_before = os.getloadavg()
    pieces, warm = make_pieces(args.pieces), make_pieces(WARM_UP)
    with tempfile.TemporaryDirectory(prefix="framing-scale-") as tmp:
        results = {"local pool (2 processes)": local_pool(pieces, warm, Path(tmp))}
        print("local", results["local pool (2 processes)"], flush=True)
        feed = client_feed(pieces, args.shard_size, Path(tmp))
        print("feed", feed, flush=True)
        for workers in (1, 2):
            results[f"dask, {workers} worker{'s' if workers > 1 else ''}"] = r = on_dask(
                workers, pieces, warm, args.shard_size, Path(tmp))
            print(workers, {k: v for k, v in r.items() if k != "output"}, flush=True)
        source = Path(tmp) / "feed.jsonl"  # written by client_feed: the pieces as a JSONL file
        results["dask, 2 workers reading the file"] = r = on_dask(2, pieces, warm, args.shard_size, Path(tmp), source)
        print("2 read", {k: v for k, v in r.items() if k != "output"}, flush=True)
        local_bytes = (Path(tmp) / "local.jsonl").read_bytes()
        same = all(results[k]["output"].read_bytes() == local_bytes for k in results if k.startswith("dask"))
        record_bytes = len(local_bytes) / len(pieces)
    pool, one, two, read = (results[k]["rate"] for k in results)
    rows = [[name, f"{r['rate']:.0f}", f"{r['seconds']:.1f} s", f"{r['cpu_ms']:.2f} ms",
             f"{r['shards']} x {args.shard_size}" if "shards" in r else "",
             f"{r['overhead_s'] * 1000:.0f} ms" if "shards" in r else "",
             f"{r['rss_first_mb']:.0f} -> {r['rss_last_mb']:.0f} MB ({r['growth']:+.1%})" if "shards" in r else ""]
            for name, r in results.items()]
    section = (
        f"## Scaling out on Dask ({args.pieces} pieces, entities off)\n\n"
        f"Command: `{command()}`. Machine: {machine()}; load average before the run "
        f"{', '.join(f'{x:.1f}' for x in load_before)}. Pieces made from corpus/sample (each text "
        "made unique), default model, no doc cache, each setting timed after a "
        f"{WARM_UP}-piece warm-up. CPU per piece: user + system time of every process of the "
        "setting (client, scheduler, nannies, workers; or the pool) over the pieces, which a busy "
        "machine inflates far less than wall time. Overhead: worker time spent on no shard, per "
        "shard.\n\n"
        + table(["setting", "pieces/s", "wall", "CPU per piece", "shards", "overhead/shard", "worker RSS first -> last shard"],
                rows)
        + f"\n\n2 workers / local pool: **{two / pool:.2f}x** (target >= 0.9); 1 -> 2 workers: "
        f"**{two / one:.2f}x** (target >= 1.7); 2 workers reading the JSONL file themselves (byte ranges "
        f"of about {args.shard_size} pieces) / local pool: **{read / pool:.2f}x**; one worker's rate over its shard time: "
        f"{results['dask, 1 worker']['worker_rate']:.0f} pieces/s. The Dask outputs are "
        f"{'byte-identical to the local one' if same else 'DIFFERENT from the local one'} "
        f"({record_bytes:.0f} bytes a record). The client reads, keys and pickles "
        f"{feed['rate']:.0f} pieces/s ({feed['bytes_per_piece']:.0f} bytes each on the wire), the most "
        "it can hand to any number of workers. What this means for a cluster: docs/scaling.md."
    )
    print(section)
    if not args.no_write:
        write_section("scale", section)


if __name__ == "__main__":
    main()
