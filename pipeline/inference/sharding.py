"""The shards of a Dask run, and the checks a local read makes across them, kept in input order.

A shard is either pieces read on the client (:func:`piece_jobs`) or a :class:`SourceShard`
that a worker reads itself (:func:`input_jobs`: a byte range of a large JSONL/CSV file, or a
group of text files). What a local read checks across the whole input (ids unique, the rest of
a file dropped after an unreadable line, skipped records listed in order) needs every earlier
shard, so :class:`InOrder` applies it as shards finish, in input order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .. import errors
from ..corpus import CsvOptions, LoadReport, Piece
from ..corpus.byte_ranges import align_block, csv_cuts
from ..corpus.inputs import stream_inputs
from ..corpus.ranges import SourceShard
from ..corpus.sources import Blocks, ClientInput, Planned
from .framer import batched
from .parts import shard_key
from .worker import ShardResult


@dataclass
class Job:
    """One shard to run: its position, what the worker gets, its resume key, how many records
    it must give (None: known once a worker has read it), and skips to list before its own."""

    index: int
    payload: list[Piece] | SourceShard
    key: str
    records: int | None
    skipped_before: list[tuple[str, str]] = field(default_factory=list)
    seen: dict[str, str] | None = None  # ids of earlier shards it repeats (skipped on the rerun)

    @property
    def file(self) -> str | None:
        """The file a byte-range shard belongs to."""
        if isinstance(self.payload, SourceShard) and self.payload.kind in ("jsonl", "csv"):
            return self.payload.files[0].url
        return None


def source_key(shard: SourceShard, seen: dict[str, str] | None = None) -> str:
    """The resume key of a shard a worker reads: its files' sizes and versions, its range."""
    text = json.dumps([shard.key(), sorted((seen or {}).items())], default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def piece_jobs(pieces: Iterator[Piece], shard_size: int, start: int = 0,
               report: LoadReport | None = None) -> Iterator[Job]:
    """Shards of ``shard_size`` pieces read here; what ``report`` gained meanwhile goes with each."""
    for index, shard in enumerate(batched(pieces, shard_size), start=start):
        skipped: list[tuple[str, str]] = []
        if report is not None:  # taken from it: they go into the run's report in order
            skipped = list(report.skipped)
            report.skipped.clear()
        yield Job(index, shard, shard_key(p.to_record() for p in shard), len(shard), skipped)


def input_jobs(planned: Planned, client: Any, *, shard_size: int, skip_invalid: bool,
               csv_options: CsvOptions | None, report: LoadReport) -> Iterator[Job]:
    """The jobs of planned inputs, in input order. Large files are cut first, on the workers
    (every file's cut is asked for at once, so they run side by side)."""
    cuts: dict[int, Any] = {}
    for position, entry in enumerate(planned.entries):
        if isinstance(entry, Blocks) and entry.kind == "jsonl":
            offsets = entry.offsets()
            cuts[position] = client.map(align_block, [entry.file.url] * len(offsets), *zip(*offsets), pure=False)
        elif isinstance(entry, Blocks):
            cuts[position] = client.submit(csv_cuts, entry.file.url, entry.file.name, entry.blocksize,
                                           entry.csv_options, pure=False)
    index = 0
    client_report = LoadReport()  # ids are unique across client inputs too
    for position, entry in enumerate(planned.entries):
        before = list(planned.skipped.get(position, []))
        if isinstance(entry, ClientInput):
            pieces = stream_inputs([entry.item], skip_invalid=skip_invalid, options=csv_options or CsvOptions(),
                                   report=client_report)
            for job in piece_jobs(pieces, shard_size, start=index, report=client_report):
                job.skipped_before[:0], before = before, []
                index = job.index + 1
                yield job
            report.ignored.extend(client_report.ignored)
            client_report.ignored.clear()
            if before or client_report.skipped:  # skips after the last shard of this input
                tail = before + client_report.skipped
                client_report.skipped.clear()
                yield Job(index, [], shard_key([]), 0, tail)
                index += 1
            continue
        for shard in _shards(entry, cuts.get(position)):
            yield Job(index, shard, source_key(shard), None, before)
            before = []
            index += 1


def _shards(entry: SourceShard | Blocks, cut: Any) -> Iterator[SourceShard]:
    if isinstance(entry, SourceShard):
        yield entry
        return
    whole = SourceShard(entry.kind, (entry.file,), csv_options=entry.csv_options)
    if entry.kind == "jsonl":
        blocks = [future.result() for future in cut]
        if any(block is None for block in blocks):  # not UTF-8: read whole, as a local run does
            yield whole
            return
        lines = part = 0
        for start, end, count in blocks:
            if end > start:
                yield SourceShard("jsonl", (entry.file,), start=start, end=end, first_line=lines, part=part)
                part += 1
            lines += count
        return
    found = cut.result()
    if not found:
        yield whole
        return
    bounds = [(0, 0), *found]
    for part, ((start, lines), (end, _)) in enumerate(zip(bounds, [*found, (None, None)])):
        yield SourceShard("csv", (entry.file,), start=start, end=end, first_line=lines,
                          csv_options=entry.csv_options, part=part)


class InOrder:
    """Applies, in input order, what a local read checks across shards.

    Args:
        report: Gets every skipped record in input order, and the count of pieces loaded.
        skip_invalid: A repeated id is skipped (its shard is run again without it) instead of
            stopping the run.
        check_ids: Check that ids are unique (pieces handed over already read need not be).
    """

    def __init__(self, report: LoadReport, *, skip_invalid: bool, check_ids: bool = True) -> None:
        self.report = report
        self.skip_invalid = skip_invalid
        self.check_ids = check_ids
        self.next = 0
        self.seen: dict[str, str] = {}
        self.stopped: set[str] = set()
        self.dropped: set[int] = set()

    def commit(self, job: Job, result: ShardResult) -> Job | None:
        """Take the shard after every earlier one; return the job to run again (without the
        ids it repeats), or None when it is taken.

        Raises:
            CorpusError: For an id an earlier shard used (unless ``skip_invalid``).
        """
        if job.file is not None and job.file in self.stopped:
            self.dropped.add(job.index)  # a local read stopped at an unreadable line before it
            self.next += 1
            return None
        ids = (result.ids if result.ids is not None else self._piece_ids(job)) if self.check_ids else []
        repeated = {pid: self.seen[pid] for pid, _ in ids if pid in self.seen}
        if repeated:
            where = next(w for pid, w in ids if pid in repeated)
            pid = next(pid for pid, _ in ids if pid in repeated)
            if not self.skip_invalid:
                raise errors.CorpusError(errors.DUPLICATE_ID.format(id=pid, first=repeated[pid]), where=where or None)
            if isinstance(job.payload, SourceShard):
                seen = {**(job.seen or {}), **repeated}
                return Job(job.index, job.payload, source_key(job.payload, seen), None, job.skipped_before, seen)
            kept = [p for p in job.payload if p.id not in repeated]
            skipped = [(p.origin or "?", errors.DUPLICATE_ID.format(id=p.id, first=repeated[p.id]))
                       for p in job.payload if p.id in repeated]
            return Job(job.index, kept, shard_key(p.to_record() for p in kept), len(kept),
                       job.skipped_before + skipped)
        self.seen.update((pid, where) for pid, where in ids)
        self.report.skipped.extend(job.skipped_before)
        self.report.skipped.extend(result.skipped)
        self.report.loaded += result.records
        if result.stopped and job.file is not None:
            self.stopped.add(job.file)
        self.next += 1
        return None

    @staticmethod
    def _piece_ids(job: Job) -> list[tuple[str, str]]:
        if isinstance(job.payload, SourceShard):
            return []
        return [(p.id, p.origin or "") for p in job.payload]
