"""``framing classify``: stance, frame and entities for every piece of the inputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from ..classify import Framer
from ..corpus import LoadReport
from ..summary import story_summary
from ._common import (Format, atomic_output, csv_options, make_processor, out, progress_bars, report_load,
                      stream_inputs, write_csv_rows)
from ._errors import handles_errors


@handles_errors
def classify_cli(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, a JSONL/CSV corpus, or - for stdin.")],
    model: Annotated[Optional[Path], typer.Option(help="Model folder (default: models/default).")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout (atomically).")] = None,
    no_entities: Annotated[bool, typer.Option("--no-entities", help="Skip named entities (much faster).")] = False,
    min_confidence: Annotated[float, typer.Option(help="Below this probability a label is reported as 'uncertain'.")] = 0.0,
    trust: Annotated[bool, typer.Option(help="Load a model from outside the trusted folders (it can run code).")] = False,
    skip_invalid: Annotated[bool, typer.Option(help="Skip invalid records, reporting each, instead of stopping.")] = False,
    map_: Annotated[Optional[list[str]], typer.Option("--map", help="CSV column mapping FIELD=COLUMN.")] = None,
    batch_size: Annotated[int, typer.Option(help="Pieces per batch.")] = 512,
    cache_dir: Annotated[Optional[Path], typer.Option(help="Where processed texts are cached.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the cache.")] = False,
    jobs: Annotated[int, typer.Option(help="Processes for spaCy on large inputs.")] = 2,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """Classify every piece of INPUTS: each task's label and probabilities, and the entities.

    A roundup page (.txt) is split into its article, snippets and posts first.
    """
    framer = Framer.load(model, trust=trust)
    framer.processor = make_processor(framer.model.spacy_model, cache_dir, no_cache, jobs)
    report = LoadReport()
    pieces = stream_inputs(inputs, skip_invalid=skip_invalid, options=csv_options(map_, None), report=report)
    tasks = list(framer.model.tasks)
    with progress_bars(quiet) as bars:
        advance = bars("classifying", None) if bars else None
        records = framer.classify(pieces, entities=not no_entities, batch_size=batch_size,
                                  min_confidence=min_confidence, progress=advance)
        with atomic_output(output) as handle:
            if fmt is Format.table:
                rows = list(records)
                if output is None:
                    print_table(rows, tasks)
                else:
                    handle.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
            elif fmt is Format.jsonl:
                for rec in records:
                    handle.write(json.dumps(rec, ensure_ascii=False) + "\n")
            elif fmt is Format.json:
                handle.write("[\n")
                for i, rec in enumerate(records):
                    handle.write((",\n" if i else "") + json.dumps(rec, ensure_ascii=False))
                handle.write("\n]\n")
            else:
                header = ["id", "kind", "source", "date", "title"]
                for task in tasks:
                    header += [task, f"{task}_confidence"]
                write_csv_rows(handle, (flat_row(r) for r in records), header + ["entities"])
    report_load(report)


def flat_row(rec: dict) -> dict:
    """One CSV row of a record."""
    row = {k: rec.get(k) for k in ("id", "kind", "source", "date", "title")}
    for task, pred in rec["predictions"].items():
        row[task], row[f"{task}_confidence"] = pred["label"], pred["confidence"]
    row["entities"] = "; ".join(f"{e['text']} ({e['label']})" for e in rec.get("entities", []))
    return row


def print_table(rows: list[dict], tasks: list[str]) -> None:
    """One row per piece, then the story summary (labels by source) when there are several sources."""
    table = Table(show_lines=False)
    for column in ("id", "kind", "source", "date", *tasks, "entities"):
        table.add_column(column, overflow="fold")
    for rec in rows:
        cells = [rec["id"], rec["kind"], rec.get("source") or "", rec.get("date") or ""]
        for task in tasks:
            pred = rec["predictions"][task]
            cells.append(f"{pred['label']} ({pred['confidence']:.2f})")
        ents = rec.get("entities") or []
        cells.append(", ".join(e["text"] for e in ents[:4]) + (" ..." if len(ents) > 4 else ""))
        table.add_row(*cells)
    out.print(table)
    summary = story_summary(rows)
    if len({r.get("source") for r in rows}) > 1:
        for task, by_source in summary.items():
            labels = sorted({lab for counts in by_source.values() for lab in counts})
            t = Table(title=f"{task} by source")
            t.add_column("source")
            for lab in labels:
                t.add_column(lab, justify="right")
            for source, counts in sorted(by_source.items()):
                t.add_row(source, *(str(counts.get(lab, 0) or "") for lab in labels))
            out.print(t)
