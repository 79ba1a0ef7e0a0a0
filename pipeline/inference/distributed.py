"""Classifying on a Dask cluster: shards of pieces to workers, one part file each, merged in order.

The client reads the inputs exactly as a local run does (same ids, same checks), groups the
pieces into shards of ``shard_size`` and hands each shard to a worker. A worker plugin ships
the model's files to every worker, which verifies them there and unpickles the model once;
each shard's records go to their own part file (:mod:`.parts`). At the end the client merges
the parts in input order, so the output is byte for byte what a local run writes. A worker that
dies mid-shard leaves no part behind; Dask runs the shard again elsewhere.

>>> run = classify_on_dask(read_corpus("big.jsonl"), model="models/default",
...                        output=Path("out.jsonl"), dask="local:2")    # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import errors
from ..cluster import connect, require_dask
from ..corpus import Piece
from ..models.persist import DEFAULT_MODEL
from ..progress import Advance, ProgressFactory
from .framer import batched
from .parts import PartInfo, clear_parts, complete_part, data_path, merge_parts, shard_key, write_part
from .records import Record

require_dask()
from .worker import ModelPlugin, ShardResult, WorkerOptions, classify_shard, read_probe, ship_model  # noqa: E402

DEFAULT_SHARD_SIZE = 1000


def encode_jsonl(records: list[Record]) -> bytes:
    """Records as JSON lines, exactly as a local ``--format jsonl`` run writes them."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


@dataclass(frozen=True)
class Encoding:
    """How records become bytes: ``name`` (part of the resume key), the encoder run on the
    workers (a module-level function, so that workers import it), and the output's header."""

    name: str
    encode: Callable[[list[Record]], bytes]
    header: bytes = b""


JSONL = Encoding("jsonl", encode_jsonl)


@dataclass
class DaskRun:
    """A finished run: every shard's result in input order, records written, time taken."""

    shards: list[ShardResult] = field(default_factory=list)
    records: int = 0
    output_bytes: int = 0
    seconds: float = 0.0

    @property
    def resumed(self) -> int:
        """Shards whose complete part was kept from an earlier run."""
        return sum(s.resumed for s in self.shards)


def classify_on_dask(pieces: Iterable[Piece], *, output: Path, dask: Any, model: str | Path | None = None,
                     trust: bool = False, options: WorkerOptions | None = None, encoding: Encoding = JSONL,
                     shard_size: int = DEFAULT_SHARD_SIZE, parts_dir: Path | None = None, resume: bool = False,
                     max_in_flight: int | None = None, progress: ProgressFactory | None = None) -> DaskRun:
    """Classify ``pieces`` on a Dask cluster and write their records to ``output`` in input order.

    Args:
        pieces: The pieces, as :func:`read_corpus` streams them (read here, shipped to workers).
        output: The file to write (atomically, once every shard is done).
        dask: A scheduler address (``tcp://host:8786``), ``local`` / ``local:N`` for a local
            cluster of N single-threaded worker processes, or a ``distributed.Client``.
        model: The model folder (default ``models/default``); its files are shipped to workers.
        trust: Use a model from outside the trusted folders (model files can run code).
        options: Classification options and the workers' doc cache.
        encoding: The output format (:data:`JSONL`, or the CLI's CSV).
        shard_size: Pieces per shard (per task and per part file).
        parts_dir: Where part files go (default ``OUTPUT.parts``). Workers that see it (a local
            cluster, a shared filesystem) write their parts there; otherwise they send the
            records back and this machine writes them.
        resume: Keep the parts of an earlier run that are complete for the same shard and settings.
        max_in_flight: Shards handed to the cluster at once (default: twice its threads, plus one);
            bounds memory here and on the scheduler.
        progress: ``progress(stage, total) -> advance(n)``, advanced once per finished shard.

    Raises:
        UntrustedModelError: When the model is outside the trusted folders and not trusted.
        ClusterError: When the cluster cannot be reached, or a shard failed on every retry.
    """
    start = time.perf_counter()
    options = options or WorkerOptions()
    files, digest = ship_model(model or DEFAULT_MODEL, trust=trust)
    run_key = hashlib.sha256(json.dumps([digest, asdict(options), encoding.name, encoding.header.hex()],
                                        default=str).encode()).hexdigest()
    parts_dir = parts_dir or output.with_name(output.name + ".parts")
    if not resume:
        clear_parts(parts_dir)
    parts_dir.mkdir(parents=True, exist_ok=True)
    run = DaskRun()
    parts: list[PartInfo] = []
    advance = progress("shards", None) if progress else None
    with connect(dask) as client:
        from distributed import as_completed

        client.register_plugin(ModelPlugin(files, digest))
        shared = workers_see(client, parts_dir)
        limit = max_in_flight or 2 * max(1, sum(client.nthreads().values())) + 1
        nonce = uuid.uuid4().hex[:8]
        pending: dict[Any, int] = {}
        done = as_completed()
        try:
            for index, shard in enumerate(batched(pieces, shard_size)):
                key = shard_key(p.to_record() for p in shard)
                parts.append(PartInfo(index, len(shard), "", 0, key, run_key))
                run.shards.append(ShardResult(index, len(shard)))
                kept = complete_part(parts_dir, index, shard=key, run=run_key, records=len(shard)) if resume else None
                if kept is not None:
                    parts[index], run.shards[index].resumed = kept, True
                    if advance:
                        advance(1)
                    continue
                future = client.submit(classify_shard, index, shard, digest=digest, options=options,
                                       encode=encoding.encode, parts_dir=str(parts_dir) if shared else None,
                                       shard=key, run=run_key,
                                       key=f"framing-shard-{nonce}-{index}", retries=0)
                pending[future] = index
                done.add(future)
                while len(pending) >= limit:
                    _collect(next(done), pending, parts, run, parts_dir, advance)
            while pending:
                _collect(next(done), pending, parts, run, parts_dir, advance)
        except BaseException:
            client.cancel(list(pending))
            raise
    run.output_bytes = merge_parts(parts, parts_dir, output, header=encoding.header)
    clear_parts(parts_dir)
    run.records = sum(p.records for p in parts)
    run.seconds = time.perf_counter() - start
    return run


def _collect(future: Any, pending: dict[Any, int], parts: list[PartInfo], run: DaskRun, parts_dir: Path,
             advance: Advance | None) -> None:
    """Take one finished shard: its part's info, checked to be visible here and of the right size."""
    from distributed import KilledWorker

    index = pending.pop(future)
    try:
        info, result = future.result()
        if not isinstance(info, PartInfo):  # the workers cannot see the parts folder: write it here
            info = write_part(parts_dir, index, info, shard=parts[index].shard, run=parts[index].run)
    except KilledWorker as exc:
        raise errors.ClusterError.of(errors.SHARD_KILLED, index=index,
                                     times=exc.args[-1] if exc.args else "several") from None
    if info.records != parts[index].records:
        raise errors.ClusterError(f"shard {index}: {info.records} records for {parts[index].records} pieces.")
    if not data_path(parts_dir, index).is_file():
        raise errors.ClusterError.of(errors.PART_NOT_VISIBLE, path=data_path(parts_dir, index))
    parts[index], run.shards[index] = info, result
    if advance:
        advance(1)


def workers_see(client: Any, folder: Path) -> bool:
    """Whether every worker sees ``folder`` as this machine does (the same path, shared): a probe
    file written here is read back on each worker."""
    probe = folder / f".probe-{uuid.uuid4().hex}"
    token = uuid.uuid4().hex
    probe.write_text(token, "utf-8")
    try:
        seen = client.run(read_probe, str(probe))
    finally:
        probe.unlink(missing_ok=True)
    return bool(seen) and all(value == token for value in seen.values())
