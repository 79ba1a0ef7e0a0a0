"""``framing classify``: stance, frame and entities for every piece of the inputs.

The work is :func:`pipeline.inference.use_cases.classify_to`; this command parses the options,
calls it, shows what it tells (tables, warnings, where the output went) and sets the exit code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from .. import errors
from ..inference.records import SIGNS, entity_cell
from ..inference.summary import entity_summary, story_summary
from ._common import Format, csv_options, err, out, progress_bars, report_load
from ._errors import handles_errors
from ._text import esc


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
    zero_shot: Annotated[Optional[Path], typer.Option("--zero-shot", help="Zero-shot stance model for pieces whose target the model was not trained on (default: the shipped models/stance-any).")] = None,
    no_zero_shot: Annotated[bool, typer.Option("--no-zero-shot", help="Keep the model's own stance for unseen targets too (relative to its training targets).")] = False,
) -> None:
    """Classify every piece of INPUTS: each task's label and probabilities, and the entities.

    Stance is toward each piece's target: its own (corpus field, or a page's "Target:"
    line), else --target. A target the model was not trained on is flagged
    (target_seen: false); its stance comes from the zero-shot model (stance-any, labels
    mapped onto the model's; stance_source says which model gave it), or, with
    --no-zero-shot or labels that do not map, is relative to the model's training targets.

    A roundup page (.txt) is split into its article, snippets and posts first. With
    --format jsonl or csv and --output, records are flushed batch by batch to
    OUTPUT.partial, renamed to OUTPUT at the end; after an interruption, run the same
    command with --resume to continue where it stopped. With --dask ADDRESS the shards
    run on a Dask cluster and the output is the same, byte for byte.
    """
    from ..inference.use_cases import ClassifyResult, classify_to

    types = [t.strip().upper() for t in entity_types.split(",") if t.strip()] if entity_types else None
    if no_zero_shot and zero_shot is not None:
        raise errors.ConfigError.of(errors.ZERO_SHOT_TWO_CHOICES)
    result = ClassifyResult()
    try:
        with progress_bars(quiet) as bars:
            classify_to(inputs, output, fmt=fmt.value, model=model, trust=trust, entities=not no_entities,
                        min_confidence=min_confidence, batch_size=batch_size, entity_types=types,
                        csv_options=csv_options(map_, None), skip_invalid=skip_invalid, cache_dir=cache_dir,
                        no_cache=no_cache, jobs=jobs, text=not no_text, target=target, story=story, resume=resume,
                        summary=summary, html=html is not None, dask=dask, workers_read=workers_read,
                        shard_size=shard_size, shard_bytes=shard_bytes, parts_dir=parts_dir, progress=bars,
                        zero_shot=False if no_zero_shot else (zero_shot or True), events=_tell, result=result)
    except BaseException as exc:
        report_load(result.report)
        if isinstance(exc, (KeyboardInterrupt, errors.FramingError)) or result.written:
            _stopped(result, output)
        if isinstance(exc, KeyboardInterrupt) and result.partial is not None:
            raise typer.Exit(code=130) from None
        raise
    report_load(result.report)
    if result.records is not None:
        print_table(result.records, result.tasks)
    if (line := result.unseen.warning(result.training_targets, hint="pass --target TEXT",
                                      zero_shot=result.zero_shot)) is not None:
        err.print(f"[yellow]warning:[/] {esc(line)}", highlight=False)
    hint = "pass --target TEXT (or a 'Target:' line at the top of the page)"
    if (line := result.unseen.note(result.training_targets, hint=hint, any_target=result.any_target)) is not None:
        err.print(f"note: {esc(line)}", highlight=False)
    if result.dask is not None:
        run = result.dask
        kept = f", {run.resumed} kept from an earlier run" if run.resumed else ""
        err.print(f"{run.records} piece(s) in {len(run.shards)} shard(s){kept}, on {dask}, in "
                  f"{run.seconds:.1f} s: {esc(output)}", highlight=False)
    if summary is not None:
        err.print(f"summary written to {esc(summary)}", highlight=False)
    if html is not None and result.html is not None:
        from ..report import write_classify_report

        parts = result.html
        write_classify_report(html, parts.records, texts=parts.texts, max_pieces=parts.max_pieces,
                              title=f"framing: {', '.join(inputs)}", explanations=parts.explanations,
                              notes=parts.notes)
        err.print(f"report written to {esc(html)}", highlight=False)
    if result.pieces == 0 and not result.resumed:
        err.print(f"[yellow]warning:[/] no pieces found in {esc(', '.join(inputs))}; the output is empty.",
                  highlight=False)


def _tell(event: str, details: dict[str, Any]) -> None:
    """What the run says as it goes."""
    if event == "resuming":
        err.print(f"resuming: {details['pieces']} piece(s) already in {esc(details['partial'].name)} are skipped.")
    elif event == "restarted":
        err.print(f"[yellow]note:[/] starting anew; the unfinished {esc(details['partial'])} of an earlier run "
                  "is overwritten (pass --resume to continue it instead).", highlight=False)


def _stopped(result: Any, output: Path | None) -> None:
    """Where an interrupted run left its work, and how to continue it."""
    if result.partial is not None:
        err.print(f"[yellow]stopped[/]: {result.written} piece(s) of this run are in {esc(result.partial)}, "
                  f"complete up to the last batch; {esc(output)} was not touched. Run the same command "
                  "with --resume to continue.", highlight=False)
    elif result.parts_dir is not None and result.parts_dir.is_dir():
        err.print(f"[yellow]stopped[/]: the finished shards are in {esc(result.parts_dir)}; {esc(output)} was not "
                  "touched. Run the same command with --resume to keep them.", highlight=False)


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
            mark = "*" if pred.get("relative_to_training_targets") else "†" if pred.get("zero_shot") else ""
            cells.append(f"{pred['label']} ({pred['confidence']:.2f}){mark}")
        ents = rec.get("entities") or []
        cells.append("; ".join(entity_cell(e) for e in ents[:4]) + (f"; +{len(ents) - 4} more" if len(ents) > 4 else ""))
        table.add_row(*cells)
    captions = []
    if any(p.get("relative_to_training_targets") for rec in rows for p in rec["predictions"].values()):
        captions.append("* target not among the model's training targets (target_seen: false): "
                        "relative to those, not to the target named")
    zero = sorted({p["source"] for rec in rows for p in rec["predictions"].values() if p.get("zero_shot")})
    if zero:
        captions.append(f"† target not among the model's training targets (target_seen: false): stance from the "
                        f"zero-shot model {', '.join(zero)}, toward the target named")
    if captions:
        table.caption = "\n".join(captions)
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
