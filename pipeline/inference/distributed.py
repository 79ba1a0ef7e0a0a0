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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import errors
from ..cluster import connect, require_dask
from ..corpus import CsvOptions, LoadReport, Piece
from ..corpus.sources import DEFAULT_BLOCKSIZE, plan_inputs
from ..models.persist import DEFAULT_MODEL
from ..progress import Advance, ProgressFactory
from .parts import PartInfo, clear_parts, complete_part, data_path, merge_parts, write_part
from .records import Record

require_dask()
from .sharding import InOrder, Job, input_jobs, piece_jobs  # noqa: E402
from .worker import (  # noqa: E402
    ModelPlugin,
    ShardResult,
    WorkerOptions,
    classify_shard,
    read_probe,
    ship_model,
    ship_zero_shot,
)

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
    return _run(lambda client: piece_jobs(iter(pieces), shard_size), None, output=output, dask=dask, model=model,
                trust=trust, options=options, encoding=encoding, parts_dir=parts_dir, resume=resume,
                max_in_flight=max_in_flight, progress=progress)


def classify_inputs_on_dask(inputs: list[str], *, output: Path, dask: Any, workers_read: bool = False,
                            blocksize: int = DEFAULT_BLOCKSIZE, shard_size: int = DEFAULT_SHARD_SIZE,
                            csv_options: CsvOptions | None = None, report: LoadReport | None = None,
                            **run: Any) -> DaskRun:
    """Classify the files, folders and URLs ``inputs`` on a Dask cluster; the workers read them.

    Inputs that are fsspec URLs (``s3://``, ``file://``, ``memory://``...), and local paths
    when ``workers_read`` (the workers see them at the same paths), are planned here from
    their listings and sizes only, and each worker opens and parses its own shard: a byte range
    of a JSONL file (cut after newlines), of a CSV file (cut at record boundaries that the
    workers find first), or a group of whole text files. Other inputs (``-``, local paths
    without ``workers_read``) are read here and shipped. The output, ids and ``file:line`` of
    messages are those of a local run of the same inputs.

    Args:
        inputs: Files, folders, URLs, ``-``.
        output: The file to write. dask: The cluster (see :func:`classify_on_dask`).
        workers_read: The workers read this machine's local paths themselves.
        blocksize: Bytes per shard that a worker reads.
        shard_size: Pieces per shard read here; text files per shard at most.
        csv_options: CSV column mapping.
        report: Gets what was skipped (``options.skip_invalid``) or ignored, in input order.
        **run: ``model``, ``trust``, ``options``, ``encoding``, ``parts_dir``, ``resume``,
            ``max_in_flight``, ``progress``, as for :func:`classify_on_dask`.

    Raises:
        CorpusError: For a missing input, an invalid record (unless skipped) or a repeated id.
        ClusterError: As :func:`classify_on_dask`.
    """
    report = report if report is not None else LoadReport()
    options = run.pop("options", None) or WorkerOptions()
    planned = plan_inputs(inputs, workers_read=workers_read, blocksize=blocksize, max_files=shard_size,
                          csv_options=csv_options, skip_invalid=options.skip_invalid, report=report)
    order = InOrder(report, skip_invalid=options.skip_invalid)
    return _run(lambda client: input_jobs(planned, client, shard_size=shard_size, skip_invalid=options.skip_invalid,
                                          csv_options=csv_options, report=report),
                order, output=output, dask=dask, options=options, **run)


def _run(jobs_of: Callable[[Any], Iterator[Job]], order: InOrder | None, *, output: Path, dask: Any,
         model: str | Path | None = None, trust: bool = False, options: WorkerOptions | None = None,
         encoding: Encoding = JSONL, parts_dir: Path | None = None, resume: bool = False,
         max_in_flight: int | None = None, progress: ProgressFactory | None = None) -> DaskRun:
    start = time.perf_counter()
    options = options or WorkerOptions()
    files, digest = ship_model(model or DEFAULT_MODEL, trust=trust)
    plugin = ModelPlugin(files, digest, zero_shot=ship_zero_shot(options.zero_shot))
    # the plugin's name pins the zero-shot model's files too: a part made with another is not kept
    run_key = hashlib.sha256(json.dumps([digest, asdict(options), encoding.name, encoding.header.hex(), plugin.name],
                                        default=str).encode()).hexdigest()
    parts_dir = parts_dir or output.with_name(output.name + ".parts")
    if not resume:
        clear_parts(parts_dir)
    parts_dir.mkdir(parents=True, exist_ok=True)
    order = order or InOrder(LoadReport(), skip_invalid=False, check_ids=False)
    advance = progress("shards", None) if progress else None
    with connect(dask) as client:
        from distributed import as_completed

        client.register_plugin(plugin)
        flight = _Flight(client, as_completed(), order, parts_dir, advance,
                         dict(digest=digest, options=options, encode=encoding.encode, run=run_key,
                              parts_dir=str(parts_dir) if workers_see(client, parts_dir) else None))
        limit = max_in_flight or 2 * max(1, sum(client.nthreads().values())) + 1
        try:
            for job in jobs_of(client):
                flight.jobs[job.index] = job
                kept = complete_part(parts_dir, job.index, shard=job.key, run=run_key,
                                     records=job.records) if resume else None
                if kept is not None:
                    result = ShardResult(job.index, kept.records, resumed=True).read(kept.read)
                    flight.finish(job.index, kept, result)
                else:
                    flight.submit(job)
                while flight.pending and (len(flight.pending) >= limit or len(flight.jobs) > 4 * limit):
                    flight.collect()
                if flight.failed:
                    break  # a shard failed: the ones before it still finish, to report the first problem
            while flight.pending:
                flight.collect()
            flight.raise_failure()
        except BaseException:
            client.cancel(list(flight.pending))
            raise
    parts = [flight.parts[i] for i in sorted(flight.parts) if i not in order.dropped]
    run = DaskRun(shards=[flight.results[i] for i in sorted(flight.results) if i not in order.dropped])
    run.output_bytes = merge_parts(parts, parts_dir, output, header=encoding.header)
    clear_parts(parts_dir)
    run.records = sum(p.records for p in parts)
    run.seconds = time.perf_counter() - start
    return run


class _Flight:
    """The shards on the cluster, those finished and not yet taken in order, and the first failure."""

    def __init__(self, client: Any, done: Any, order: InOrder, parts_dir: Path, advance: Advance | None,
                 submit_options: dict[str, Any]) -> None:
        self.client, self.done, self.order, self.parts_dir, self.advance = client, done, order, parts_dir, advance
        self.options = submit_options
        self.nonce = uuid.uuid4().hex[:8]
        self.tries = 0
        self.jobs: dict[int, Job] = {}  # submitted or finished, not yet taken in order
        self.pending: dict[Any, int] = {}
        self.finished: dict[int, tuple[PartInfo, ShardResult]] = {}
        self.parts: dict[int, PartInfo] = {}
        self.results: dict[int, ShardResult] = {}
        self.failed: dict[int, BaseException] = {}

    def submit(self, job: Job) -> None:
        """Hand ``job`` to the cluster."""
        self.tries += 1
        future = self.client.submit(classify_shard, job.index, job.payload, shard=job.key, seen=job.seen,
                                    key=f"framing-shard-{self.nonce}-{job.index}-{self.tries}", retries=0,
                                    **self.options)
        self.pending[future] = job.index
        self.done.add(future)

    def collect(self) -> None:
        """Take the next shard the cluster finishes."""
        future = next(self.done)
        index = self.pending.pop(future)
        try:
            info, result = _result(future, index, self.jobs[index], self.parts_dir, self.options["run"])
        except errors.FramingError as exc:
            self.failed[index] = exc
            later = [f for f, i in self.pending.items() if i > index]
            self.client.cancel(later)
            for f in later:
                self.pending.pop(f)
            return
        self.finish(index, info, result)

    def finish(self, index: int, info: PartInfo, result: ShardResult) -> None:
        """Note a finished shard and take, in input order, every shard now ready."""
        self.finished[index] = (info, result)
        if self.advance:
            self.advance(1)
        while self.order.next in self.finished:
            position = self.order.next
            info, result = self.finished.pop(position)
            again = self.order.commit(self.jobs[position], result)
            if again is not None:
                self.jobs[position] = again
                self.submit(again)
                return
            self.parts[position], self.results[position] = info, result
            del self.jobs[position]

    def raise_failure(self) -> None:
        """Raise the first shard's failure, in input order, if any shard failed."""
        if self.failed:
            raise self.failed[min(self.failed)]


def _result(future: Any, index: int, job: Job, parts_dir: Path, run_key: str) -> tuple[PartInfo, ShardResult]:
    """One finished shard's part info, checked to be visible here and of the right size."""
    from distributed import KilledWorker

    try:
        info, result = future.result()
        if not isinstance(info, PartInfo):  # the workers cannot see the parts folder: write it here
            found = None if result.ids is None else {"ids": result.ids, "skipped": result.skipped,
                                                     "stopped": result.stopped}
            info = write_part(parts_dir, index, info, shard=job.key, run=run_key, read=lambda: found)
    except KilledWorker as exc:
        raise errors.ClusterError.of(errors.SHARD_KILLED, index=index,
                                     times=exc.args[-1] if exc.args else "several") from None
    if job.records is not None and info.records != job.records:
        raise errors.ClusterError.of(errors.DISTRIBUTED_SHARD_RECORDS_PIECES, index=index, records=info.records, pieces=job.records)
    if not data_path(parts_dir, index).is_file():
        raise errors.ClusterError.of(errors.PART_NOT_VISIBLE, path=data_path(parts_dir, index))
    return info, result


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
