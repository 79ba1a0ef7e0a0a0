"""The ``classify_to`` use case: what ``framing classify`` does, callable from a notebook.

Reads the inputs (files, folders, corpora, URLs, ``-``), classifies them here or on a Dask
cluster, writes the records in one format (resumably for JSONL and CSV files), and gathers
what a caller shows afterwards: the load report, the unseen-target warning, the story summary,
the material of an HTML report. It never prints: ``events`` tells the caller what happens as it
happens, and :class:`ClassifyResult` (filled in as the run goes, so that it also tells, after an
interruption, what was written where) the rest.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .. import errors
from ..corpus import CsvOptions, LoadReport, Piece
from ..io import atomic_write
from ..progress import ProgressFactory
from .framer import batched
from .records import Record, without_text
from .summary import entity_summary, story_summary
from .unseen import UnseenTargets
from .writers import FORMATS, STREAMING, csv_header, json_text, row_cells, write_records

REPORT_PIECES = 500  # pieces shown in an HTML report; its summary counts them all
REPORT_EXPLAINED = 100  # pieces of the report whose sentences are shaded (explaining costs ~70 ms a piece)

Events = Callable[[str, dict[str, Any]], None]


@dataclass
class HtmlParts:
    """What an HTML report of the run shows: every record (without its text), the texts and
    sentence explanations of the first pieces, and notes."""

    records: list[Record] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    explanations: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    max_pieces: int = REPORT_PIECES


@dataclass
class ClassifyResult:
    """What :func:`classify_to` did; filled in as it goes.

    Attributes:
        output: The file written (None: written to the stream, or, as a table, returned).
        fmt: The format.
        records: With the ``table`` format and no output: the records, for the caller to show.
        tasks: The model's tasks (local runs).
        pieces: Pieces classified in this run (those already in a resumed output not counted).
        resumed: Pieces kept from an earlier, interrupted run's partial output.
        written: Records written to the partial output so far (JSONL/CSV files).
        partial: The partial file being written (JSONL/CSV files), kept after an interruption.
        report: What the reading skipped or ignored.
        unseen: The records whose target the model was not trained on.
        training_targets: The model's training targets (for the unseen-target warning).
        any_target: The model reads any target (pipeline.models.stance_any).
        zero_shot: The zero-shot stance model asked for (``ZeroShot.status()``: its name, label
            mapping, and the reason it was not used, if any), or None.
        summary: The story summary, when asked for.
        html: What an HTML report shows, when asked for.
        dask: On a Dask cluster, the run (shards, time); parts_dir: where its parts are.
    """

    output: Path | None = None
    fmt: str = "jsonl"
    records: list[Record] | None = None
    tasks: list[str] = field(default_factory=list)
    pieces: int = 0
    resumed: int = 0
    written: int = 0
    partial: Path | None = None
    report: LoadReport = field(default_factory=LoadReport)
    unseen: UnseenTargets = field(default_factory=UnseenTargets)
    training_targets: list[str] = field(default_factory=list)
    any_target: bool = False
    zero_shot: dict[str, Any] | None = None
    summary: dict[str, Any] | None = None
    html: HtmlParts | None = None
    dask: Any = None
    parts_dir: Path | None = None


def classify_to(inputs: Sequence[str], output: Path | None = None, *, fmt: str = "jsonl",
                model: str | Path | None = None, trust: bool = False, entities: bool = True,
                min_confidence: float = 0.0, batch_size: int = 512, entity_types: Sequence[str] | None = None,
                csv_options: CsvOptions | None = None, skip_invalid: bool = False, cache_dir: Path | None = None,
                no_cache: bool = False, jobs: int = 2, text: bool = True, target: str | None = None,
                story: str | None = None, resume: bool = False, summary: Path | None = None, html: bool = False,
                dask: Any = None, workers_read: bool = False, shard_size: int = 1000,
                shard_bytes: int | None = None, parts_dir: Path | None = None, zero_shot: bool | str | Path = True,
                progress: ProgressFactory | None = None, events: Events | None = None,
                stream: TextIO | None = None, result: ClassifyResult | None = None) -> ClassifyResult:
    """Classify every piece of ``inputs`` and write the records to ``output`` as ``fmt``.

    Args:
        inputs: Files, folders, JSONL/CSV corpora, HTML pages, fsspec URLs (with ``dask``), ``-``.
        output: The file to write (atomically; JSONL/CSV batch by batch to ``OUTPUT.partial``).
            None: to ``stream`` (default stdout), or, as ``table``, into ``result.records``.
        fmt: ``table``, ``json``, ``jsonl``, ``csv`` or ``tsv``.
        model, trust: The model folder (default ``models/default``), and whether to load one
            from outside the trusted folders.
        entities, min_confidence, batch_size, entity_types: As for :meth:`Framer.classify`.
        csv_options, skip_invalid: How CSV columns map to fields; skip invalid records.
        cache_dir, no_cache, jobs: The doc cache, and spaCy processes (local runs).
        text: Keep each piece's text and title in its record.
        target, story: For pieces that carry none.
        resume: Continue an interrupted JSONL/CSV output file (or Dask run).
        summary: Also write the story summary here as JSON.
        html: Gather what an HTML report shows (``result.html``; local runs only).
        dask: Run on this Dask cluster (an address, ``local:N`` or a client; JSONL/CSV files).
        workers_read, shard_size, shard_bytes, parts_dir: Dask shards: see
            :func:`~.distributed.classify_inputs_on_dask`.
        zero_shot: Stance for pieces whose target the model was not trained on: True, from the
            shipped zero-shot model; a folder, from that one; False, the model's own (see
            :class:`~.framer.Framer`).
        progress: Progress-bar factory. events: ``events(name, details)`` as things happen
            (``resuming``, ``restarted``).
        stream: Where records go without ``output``. result: Filled in as the run goes.

    Raises:
        ConfigError: For options that do not go together.
        CorpusError: For an input that cannot be read (unless skipped).
        ModelError, ClusterError: For a model that cannot be used, a cluster that fails.
    """
    result = result if result is not None else ClassifyResult()
    result.output, result.fmt = output, fmt
    if fmt not in FORMATS:
        raise errors.ConfigError.of(errors.USE_CASES_UNKNOWN_FORMAT_EXPECTED, fmt=fmt, known=', '.join(FORMATS))
    if resume and not (fmt in STREAMING and output is not None):
        raise errors.ConfigError.of(errors.RESUME_NEEDS_FILE)
    if dask is not None:
        if html:
            raise errors.ConfigError.of(errors.HTML_NOT_WITH_DASK)
        if fmt not in STREAMING or output is None:
            raise errors.ConfigError.of(errors.DASK_NEEDS_FILE)
        if summary is not None and fmt != "jsonl":
            raise errors.ConfigError.of(errors.SUMMARY_NEEDS_JSONL)
        from .on_cluster import classify_on_cluster

        classify_on_cluster(list(inputs), output, fmt=fmt, dask=dask, model=model, trust=trust, entities=entities,
                            min_confidence=min_confidence, batch_size=batch_size, entity_types=entity_types,
                            csv_options=csv_options, skip_invalid=skip_invalid, cache_dir=cache_dir,
                            no_cache=no_cache, text=text, target=target, story=story, resume=resume,
                            workers_read=workers_read, shard_size=shard_size, shard_bytes=shard_bytes,
                            parts_dir=parts_dir, zero_shot=zero_shot, progress=progress, result=result)
        if summary is not None:
            result.summary = _summary_of_output(output, fmt)
            _write_summary(summary, result.summary)
        return result
    _classify_here(list(inputs), output, fmt=fmt, model=model, trust=trust, entities=entities,
                   min_confidence=min_confidence, batch_size=batch_size, entity_types=entity_types,
                   csv_options=csv_options or CsvOptions(), skip_invalid=skip_invalid, cache_dir=cache_dir,
                   no_cache=no_cache, jobs=jobs, text=text, target=target, story=story, resume=resume,
                   summary=summary, html=html, zero_shot=zero_shot, progress=progress, events=events or _ignore,
                   stream=stream, result=result)
    return result


def _ignore(name: str, details: dict[str, Any]) -> None:
    """No one listens to the run's events."""


def _classify_here(inputs: list[str], output: Path | None, *, fmt: str, model: Any, trust: bool, entities: bool,
                   min_confidence: float, batch_size: int, entity_types: Sequence[str] | None,
                   csv_options: CsvOptions, skip_invalid: bool, cache_dir: Path | None, no_cache: bool, jobs: int,
                   text: bool, target: str | None, story: str | None, resume: bool, summary: Path | None,
                   html: bool, zero_shot: bool | str | Path, progress: ProgressFactory | None, events: Events,
                   stream: TextIO | None, result: ClassifyResult) -> None:
    from ..corpus.inputs import stream_inputs
    from ..nlp.cache import DocCache
    from ..nlp.processor import Processor
    from .framer import Framer
    from .resumable import ResumableOutput

    framer = Framer.load(model, trust=trust, entity_types=list(entity_types) if entity_types else None,
                         zero_shot=zero_shot)
    framer.processor = Processor(framer.model.spacy_model, cache=None if no_cache else DocCache(cache_dir),
                                 n_process=jobs)
    result.training_targets = list(framer.matcher.targets)
    pieces: Iterator[Piece] = stream_inputs(inputs, skip_invalid=skip_invalid, options=csv_options,
                                            report=result.report)
    tasks = result.tasks = list(framer.model.tasks)
    header = csv_header(tasks, {t: framer.model.labels(t) for t in tasks}, text=text)
    sink = None
    if fmt in STREAMING and output is not None:
        sink = ResumableOutput(output, fmt, header=header, resume=resume).open()
        result.partial = sink.partial
        if sink.restarted:
            events("restarted", {"partial": sink.partial})
        if sink.done:
            result.resumed = len(sink.done)
            events("resuming", {"pieces": len(sink.done), "partial": sink.partial})
            pieces = (p for p in pieces if p.id not in sink.done)
    pieces = _counted(pieces, result)
    # Each consumer is called with every batch of records as it is produced (all formats),
    # so the HTML report and the summary are gathered while the output streams.
    consumers: list[Callable[[list[Record]], None]] = []
    result.any_target = framer.any_target
    if framer.target_tasks or framer.any_target:
        consumers.append(result.unseen.add)
    kept: dict[str, Piece] = {}
    if html:
        result.html = HtmlParts()
        pieces = _remember_pieces(pieces, kept, limit=REPORT_PIECES)
        # the texts of the pieces shown are kept apart; the report's summary counts every record
        consumers.append(lambda batch: result.html.records.extend(
            {k: v for k, v in r.items() if k != "text"} for r in batch))
    slim: list[Record] = []
    if summary is not None:
        consumers.append(lambda batch: slim.extend(summary_record(r) for r in batch))
    try:
        advance = progress("classifying", None) if progress else None
        records = framer.classify(pieces, entities=entities, batch_size=batch_size, min_confidence=min_confidence,
                                  progress=advance, target=target, story=story)
        records = fan_out(records, consumers, batch_size)
        if not text:
            records = (without_text(r) for r in records)
        if sink is not None:
            for batch in batched(records, batch_size):
                sink.write_batch(batch, [row_cells(r, header) for r in batch] if fmt == "csv" else None)
                result.written = sink.written
            sink.finish()
        elif fmt == "table" and output is None:
            result.records = list(records)
        elif output is None:
            write_records(stream or sys.stdout, records, fmt, header)
        else:
            with atomic_write(output, "w", encoding="utf-8", newline="") as handle:
                if fmt == "table":  # a table saved to a file is its records as JSON
                    handle.write(json.dumps(list(records), ensure_ascii=False, indent=2) + "\n")
                else:
                    write_records(handle, records, fmt, header)
    except BaseException:
        if sink is not None:
            sink.abort()
        raise
    finally:  # its reason may have been found during the run (the embeddings extra missing)
        result.zero_shot = framer.zero_shot.status() if framer.zero_shot is not None else None
    if summary is not None:
        result.summary = story_summary_json(slim)
        _write_summary(summary, result.summary)
    if html:
        from ..evaluation.explain import explain_pieces

        # an any-target model has no per-word weights to shade sentences with
        explained = [] if framer.any_target else list(kept.values())[:REPORT_EXPLAINED]
        found = explain_pieces(framer.model, explained, framer.processor, k=5, min_confidence=min_confidence)
        result.html.texts = {i: p.text for i, p in kept.items()}
        # nor has the zero-shot model: its pieces' stance is not the one the model's weights explain
        zero = {r["id"] for r in result.html.records if r["predictions"].get("stance", {}).get("zero_shot")}
        result.html.explanations = {p.id: {t: e for t, e in ex.items() if not (t == "stance" and p.id in zero)}
                                    for p, ex in zip(explained, found)}
        if len(kept) > REPORT_EXPLAINED:
            result.html.notes.append(f"sentences are shaded in the first {REPORT_EXPLAINED} pieces only.")


def _write_summary(path: Path, value: dict[str, Any]) -> None:
    with atomic_write(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(json_text(value) + "\n")


def _summary_of_output(output: Path, fmt: str) -> dict[str, Any]:
    """The story summary of a JSONL output, read back from it (a Dask run's records)."""
    with open(output, encoding="utf-8") as handle:
        return story_summary_json([summary_record(json.loads(line)) for line in handle if line.strip()])


def summary_record(record: Record) -> Record:
    """What the story summary reads of a record: its source, labels and entities."""
    return {"source": record.get("source"), "entities": record.get("entities") or [],
            "predictions": {t: {"label": p["label"]} for t, p in record["predictions"].items()}}


def story_summary_json(records: list[Record]) -> dict[str, Any]:
    """The story summary as JSON: per task, source -> label -> pieces; who mentions whom."""
    return {"pieces": len(records), "by_source": story_summary(records),
            "entities": entity_summary(records, top=None) if any(r.get("entities") for r in records) else []}


def fan_out(records: Iterable[Record], consumers: list[Callable[[list[Record]], None]], size: int) -> Iterator[Record]:
    """Pass ``records`` through, handing each batch of ``size`` to every consumer first."""
    if not consumers:
        yield from records
        return
    for batch in batched(records, size):
        for consume in consumers:
            consume(batch)
        yield from batch


def _remember_pieces(pieces: Iterable[Piece], kept: dict[str, Piece], limit: int) -> Iterator[Piece]:
    """Pass pieces through, keeping the first ``limit`` for the report."""
    for piece in pieces:
        if len(kept) < limit:
            kept[piece.id] = piece
        yield piece


def _counted(pieces: Iterable[Piece], result: ClassifyResult) -> Iterator[Piece]:
    for piece in pieces:
        result.pieces += 1
        yield piece
