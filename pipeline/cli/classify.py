"""``framing classify``: stance, frame and entities for every piece of the inputs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from .. import errors
from ..corpus import LoadReport, Piece
from ..inference.records import SIGNS, entity_cell, flat_columns, flatten_record, without_text
from ..inference.summary import entity_summary, story_summary
from ._common import (
    Format,
    ResumableOutput,
    atomic_output,
    csv_options,
    err,
    make_processor,
    out,
    progress_bars,
    report_load,
    stream_inputs,
    write_csv_rows,
)
from ._errors import handles_errors
from ._text import esc, json_text


@handles_errors
def classify_cli(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, a JSONL/CSV corpus, or - for stdin.")],
    model: Annotated[Optional[Path], typer.Option(help="Model folder (default: models/default).")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout (atomically).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue an interrupted jsonl/csv --output run: skip the pieces already written.")] = False,
    no_entities: Annotated[bool, typer.Option("--no-entities", help="Skip named entities (much faster).")] = False,
    min_confidence: Annotated[float, typer.Option(help="Below this probability a label is reported as 'uncertain'.")] = 0.0,
    trust: Annotated[bool, typer.Option(help="Load a model from outside the trusted folders (it can run code).")] = False,
    skip_invalid: Annotated[bool, typer.Option(help="Skip invalid records, reporting each, instead of stopping.")] = False,
    map_: Annotated[Optional[list[str]], typer.Option("--map", help="CSV column mapping FIELD=COLUMN.")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Pieces per batch (each batch is written and flushed).")] = 512,
    cache_dir: Annotated[Optional[Path], typer.Option(help="Where processed texts are cached.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the cache.")] = False,
    jobs: Annotated[int, typer.Option(help="Processes for spaCy on large inputs.")] = 2,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
    html: Annotated[Optional[Path], typer.Option("--html", help="Also write a self-contained HTML report here.")] = None,
    entity_types: Annotated[Optional[str], typer.Option(help="Comma-separated NER labels to list, e.g. PERSON,ORG,DATE (default: all but dates, times and numbers).")] = None,
    dask: Annotated[Optional[str], typer.Option("--dask", help="Run on a Dask cluster: its scheduler (tcp://host:8786), or local / local:N for N worker processes here. Needs --format jsonl or csv and --output.")] = None,
    no_text: Annotated[bool, typer.Option("--no-text", help="Leave each piece's text and title out of the records (json, jsonl, csv, tsv).")] = False,
    summary: Annotated[Optional[Path], typer.Option("--summary", help="Also write the story summary here as JSON: labels by source, and who mentions whom.")] = None,
    shard_size: Annotated[int, typer.Option(min=1, help="With --dask: pieces per shard (one task and one part file each).")] = 1000,
    parts_dir: Annotated[Optional[Path], typer.Option(help="With --dask: where workers write part files (default OUTPUT.parts; must be visible to the workers and here).")] = None,
    workers_read: Annotated[bool, typer.Option("--workers-read", help="With --dask: the workers open the local input paths themselves (a filesystem they share, at the same paths); this machine only lists them. Always so for URLs (s3://, file://, ...) and for local / local:N clusters.")] = False,
    shard_bytes: Annotated[Optional[int], typer.Option(min=1, help="With --dask: bytes per shard of the inputs the workers read (JSONL/CSV byte ranges, groups of text files); default 8 MB.")] = None,
    target: Annotated[Optional[str], typer.Option(help="What stance is about, for pieces that carry no target, e.g. \"police use of facial recognition\".")] = None,
    story: Annotated[Optional[str], typer.Option(help="The story, for pieces that carry none (groups the summary).")] = None,
) -> None:
    """Classify every piece of INPUTS: each task's label and probabilities, and the entities.

    Stance is toward each piece's target: its own (corpus field, or a page's "Target:"
    line), else --target. A target the model was not trained on is flagged
    (target_seen: false) and its stance is relative to the model's training targets.

    A roundup page (.txt) is split into its article, snippets and posts first. With
    --format jsonl or csv and --output, records are flushed batch by batch to
    OUTPUT.partial, renamed to OUTPUT at the end; after an interruption, run the same
    command with --resume to continue where it stopped. With --dask ADDRESS the shards
    run on a Dask cluster and the output is the same, byte for byte.
    """
    streaming = fmt in (Format.jsonl, Format.csv)
    if resume and not (streaming and output is not None):
        raise errors.ConfigError("--resume needs --format jsonl or csv and an --output file.")
    types = [t.strip().upper() for t in entity_types.split(",") if t.strip()] if entity_types else None
    if dask is not None:
        if html is not None:
            raise errors.ConfigError("--html is not available with --dask; make the report from a local run.")
        from ._dask import classify_on_cluster

        return classify_on_cluster(inputs, address=dask, model=model, trust=trust, fmt=fmt, output=output,
                                   resume=resume, entities=not no_entities, min_confidence=min_confidence,
                                   batch_size=batch_size, entity_types=types, cache_dir=cache_dir,
                                   no_cache=no_cache, shard_size=shard_size, parts_dir=parts_dir,
                                   skip_invalid=skip_invalid, map_=map_, quiet=quiet, target=target, story=story,
                                   no_text=no_text, workers_read=workers_read, shard_bytes=shard_bytes)
    from ..inference.framer import Framer, batched

    framer = Framer.load(model, trust=trust, entity_types=types)
    framer.processor = make_processor(framer.model.spacy_model, cache_dir, no_cache, jobs)
    report = LoadReport()
    pieces = stream_inputs(inputs, skip_invalid=skip_invalid, options=csv_options(map_, None), report=report)
    tasks = list(framer.model.tasks)
    header = csv_header(tasks, {t: framer.model.labels(t) for t in tasks}, text=not no_text)
    sink = ResumableOutput(output, fmt, header=header, resume=resume).open() if streaming and output else None
    if sink is not None and sink.done:
        err.print(f"resuming: {len(sink.done)} piece(s) already in {esc(sink.partial.name)} are skipped.")
        pieces = (p for p in pieces if p.id not in sink.done)
    seen = [0]
    pieces = _counted(pieces, seen)
    # Each consumer is called with every batch of records as it is produced (all formats),
    # so the HTML report is gathered while the output streams and rendered at the end.
    consumers: list = []
    unseen = UnseenTargets()
    if framer.target_tasks:
        consumers.append(unseen.add)
    collected: list[dict] = []
    kept: dict[str, Piece] = {}
    if html is not None:
        pieces = _remember_pieces(pieces, kept, limit=REPORT_PIECES)
        # the texts of the pieces shown are kept apart; the report's summary counts every record
        consumers.append(lambda batch: collected.extend({k: v for k, v in r.items() if k != "text"} for r in batch))
    slim: list[dict] = []
    if summary is not None:
        consumers.append(lambda batch: slim.extend(summary_record(r) for r in batch))
    try:
        with progress_bars(quiet) as bars:
            advance = bars("classifying", None) if bars else None
            records = framer.classify(pieces, entities=not no_entities, batch_size=batch_size,
                                      min_confidence=min_confidence, progress=advance, target=target, story=story)
            records = fan_out(records, consumers, batch_size)
            if no_text:
                records = (without_text(r) for r in records)
            if sink is not None:
                for batch in batched(records, batch_size):
                    sink.write_batch(batch, [row_cells(r, header) for r in batch] if fmt is Format.csv else None)
                sink.finish()
            else:
                write_whole(records, fmt, output, tasks, header)
    except BaseException as exc:
        if sink is not None:
            sink.abort()
            if isinstance(exc, (KeyboardInterrupt, errors.FramingError)) or sink.written:
                err.print(f"[yellow]stopped[/]: {sink.written} piece(s) of this run are in {esc(sink.partial)}, "
                          f"complete up to the last batch; {esc(output)} was not touched. Run the same command "
                          "with --resume to continue.", highlight=False)
        report_load(report)
        if isinstance(exc, KeyboardInterrupt) and sink is not None:
            raise typer.Exit(code=130) from None
        raise
    report_load(report)
    if (line := unseen.warning(list(framer.matcher.targets))) is not None:
        err.print(f"[yellow]warning:[/] {esc(line)}", highlight=False)
    if summary is not None:
        with atomic_output(summary) as handle:
            handle.write(json_text(story_summary_json(slim)) + "\n")
        err.print(f"summary written to {esc(summary)}", highlight=False)
    if html is not None:
        from ..evaluation.explain import explain_pieces
        from ..report import write_classify_report

        explained = list(kept.values())[:REPORT_EXPLAINED]
        explanations = explain_pieces(framer.model, explained, framer.processor, k=5, min_confidence=min_confidence)
        write_classify_report(html, collected, texts={i: p.text for i, p in kept.items()}, max_pieces=REPORT_PIECES,
                              title=f"framing: {', '.join(inputs)}",
                              explanations={p.id: ex for p, ex in zip(explained, explanations)},
                              notes=[f"sentences are shaded in the first {REPORT_EXPLAINED} pieces only."]
                              if len(kept) > REPORT_EXPLAINED else ())
        err.print(f"report written to {esc(html)}", highlight=False)
    if seen[0] == 0 and not (sink is not None and sink.done):
        err.print(f"[yellow]warning:[/] no pieces found in {esc(', '.join(inputs))}; the output is empty.",
                  highlight=False)


REPORT_PIECES = 500  # pieces shown in an HTML report; its summary counts them all
REPORT_EXPLAINED = 100  # pieces of the report whose sentences are shaded (explaining costs ~70 ms a piece)


class UnseenTargets:
    """Counts the records whose target the model was not trained on, for one warning line."""

    def __init__(self) -> None:
        self.missing = 0
        self.unseen: dict[str, dict] = {}

    def add(self, records: list[dict]) -> None:
        """Count a batch of records."""
        for rec in records:
            if rec.get("target_seen") is False:
                if not rec.get("target"):
                    self.missing += 1
                else:
                    self.unseen.setdefault(rec["target"], rec.get("target_match") or {})

    def warning(self, training: list[str]) -> str | None:
        """One line naming what was unseen and what the stance is relative to, or None."""
        if not self.missing and not self.unseen:
            return None
        known = ", ".join(repr(t) for t in training[:4]) + (f" and {len(training) - 4} more" if len(training) > 4 else "")
        parts = []
        if self.unseen:
            target, match = next(iter(self.unseen.items()))
            closest = f" (closest: {match['target']!r}, similarity {match['score']:.2f})" if match.get("target") else ""
            more = f" and {len(self.unseen) - 1} other target(s)" if len(self.unseen) > 1 else ""
            parts.append(f"target {target!r}{closest}{more} is not among the model's training targets")
        if self.missing:
            parts.append(f"{self.missing} piece(s) have no target (pass --target TEXT)")
        return ("; ".join(parts) + f": their stance probabilities are relative to the training targets "
                f"({known or 'none recorded'}), not to the target named. Train on pieces labelled toward it.")


def summary_record(record: dict) -> dict:
    """What the story summary reads of a record: its source, labels and entities."""
    return {"source": record.get("source"), "entities": record.get("entities") or [],
            "predictions": {t: {"label": p["label"]} for t, p in record["predictions"].items()}}


def story_summary_json(records: list[dict]) -> dict:
    """The story summary as JSON: per task, source -> label -> pieces; who mentions whom."""
    return {"pieces": len(records), "by_source": story_summary(records),
            "entities": entity_summary(records, top=None) if any(r.get("entities") for r in records) else []}


def _remember_pieces(pieces: Iterable, kept: dict[str, Piece], limit: int) -> Iterator:
    """Pass pieces through, keeping the first ``limit`` for the report."""
    for piece in pieces:
        if len(kept) < limit:
            kept[piece.id] = piece
        yield piece


def _counted(pieces: Iterable, seen: list[int]) -> Iterator:
    for piece in pieces:
        seen[0] += 1
        yield piece


def write_whole(records, fmt: Format, output: Path | None, tasks: list[str], header: list[str]) -> None:
    """Write every record to ``output`` through a temporary file (or stream them to stdout)."""
    with atomic_output(output) as handle:
        if fmt is Format.table:
            rows = list(records)
            if output is None:
                print_table(rows, tasks)
            else:
                handle.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        elif fmt is Format.json:
            handle.write("[\n")
            for i, rec in enumerate(records):
                handle.write((",\n" if i else "") + json_text(rec))
            handle.write("\n]\n")
        elif fmt is Format.jsonl:
            for i, rec in enumerate(records, start=1):
                handle.write(json_text(rec) + "\n")
                if i % 64 == 0:
                    handle.flush()
        elif fmt is Format.tsv:
            write_tsv_rows(handle, (flatten_record(r) for r in records), header)
        else:
            write_csv_rows(handle, (flatten_record(r) for r in records), header)


def fan_out(records: Iterable[dict], consumers: list, size: int) -> Iterator[dict]:
    """Pass ``records`` through, handing each batch of ``size`` to every consumer first."""
    from ..inference.framer import batched

    if not consumers:
        yield from records
        return
    for batch in batched(records, size):
        for consume in consumers:
            consume(batch)
        yield from batch


def csv_header(tasks: list[str], labels: dict[str, list[str]] | None = None, *, text: bool = True) -> list[str]:
    """The CSV columns: every field of the JSON record (see :func:`flatten_record`).

    Args:
        tasks: The model's tasks.
        labels: Task -> labels, for the per-label probability columns (none without it).
        text: Include ``title`` and ``text`` (``--no-text`` leaves them out).
    """
    return flat_columns({t: (labels or {}).get(t, []) for t in tasks}, text=text)


def row_cells(rec: dict, header: list[str]) -> list:
    """The CSV cells of a record, in ``header`` order."""
    row = flatten_record(rec)
    return [row.get(column) for column in header]


def print_entity_table(rows: list[dict]) -> None:
    """Which sources mention whom: per source, pieces mentioning it, q = quoting it, stance + = -."""
    table = Table(title="entities by source (n pieces, qN quoting it, stance toward it: + positive = neutral - negative)")
    table.add_column("entity", overflow="fold")
    table.add_column("pieces", justify="right")
    table.add_column("quoted", justify="right")
    table.add_column("mentioned by", overflow="fold")
    for row in rows:
        cells = []
        for src, cell in sorted(row["by_source"].items(), key=lambda kv: -kv[1]["pieces"]):
            stance = "".join(SIGNS.get(lab, "?") * n for lab, n in sorted(cell["stance"].items()))
            cells.append(f"{src} {cell['pieces']}" + (f" q{cell['quoted']}" if cell["quoted"] else "")
                         + (f" {stance}" if stance else ""))
        table.add_row(f"{row['text']} ({row['label']})", str(row["pieces"]), str(row["quoted"]), "; ".join(cells))
    out.print(table)


def print_table(rows: list[dict], tasks: list[str]) -> None:
    """One row per piece, then the story summary (labels by source) when there are several sources."""
    table = Table(show_lines=False)
    for column in ("id", "kind", "source", "date", *tasks, "entities"):
        table.add_column(column, overflow="fold")
    for rec in rows:
        cells = [rec["id"], rec["kind"], rec.get("source") or "", rec.get("date") or ""]
        for task in tasks:
            pred = rec["predictions"][task]
            mark = "*" if pred.get("relative_to_training_targets") else ""
            cells.append(f"{pred['label']} ({pred['confidence']:.2f}){mark}")
        ents = rec.get("entities") or []
        cells.append("; ".join(entity_cell(e) for e in ents[:4]) + (f"; +{len(ents) - 4} more" if len(ents) > 4 else ""))
        table.add_row(*cells)
    if any(p.get("relative_to_training_targets") for rec in rows for p in rec["predictions"].values()):
        table.caption = ("* target not among the model's training targets (target_seen: false): "
                         "relative to those, not to the target named")
        table.caption_justify = "left"
    targets = {rec.get("target") for rec in rows}
    if len(targets) == 1 and None not in targets:
        table.title = f"stance toward: {next(iter(targets))}"
    out.print(table)
    summary = story_summary(rows)
    sources = {r.get("source") for r in rows}
    if len(sources) > 1 and any(r.get("entities") for r in rows):
        print_entity_table(entity_summary(rows, top=12))
    if len(sources) > 1:
        for task, by_source in summary.items():
            labels = sorted({lab for counts in by_source.values() for lab in counts})
            t = Table(title=f"{task} by source")
            t.add_column("source")
            for lab in labels:
                t.add_column(lab, justify="right")
            for source, counts in sorted(by_source.items()):
                t.add_row(source, *(str(counts.get(lab, 0) or "") for lab in labels))
            out.print(t)


def write_tsv_rows(handle, rows, header: list[str]) -> None:
    """Plain tab-separated text: a header line, then one line per row; tabs and line breaks
    inside a cell become spaces (TSV has no quoting), missing values are empty."""
    clean = str.maketrans({"\t": " ", "\n": " ", "\r": " "})
    handle.write("\t".join(header) + "\n")
    for row in rows:
        handle.write("\t".join("" if row.get(c) is None else str(row.get(c)).translate(clean) for c in header) + "\n")
