"""``framing corpus ...``: look at a corpus before training on it."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from .. import errors
from ..corpus import corpus_stats
from ._common import atomic_output, csv_options, err, load_pieces, out, report_load
from ._errors import handles_errors
from ._text import esc

corpus_app = typer.Typer(help="Inspect and convert corpora.", no_args_is_help=True)


@corpus_app.command("stats")
@handles_errors
def stats_cli(
    corpus: Annotated[list[Path], typer.Argument(help="Corpus files or folders.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    skip_invalid: Annotated[bool, typer.Option(help="Skip invalid records, reporting each.")] = False,
    map_: Annotated[Optional[list[str]], typer.Option("--map", help="CSV column mapping FIELD=COLUMN.")] = None,
    label: Annotated[Optional[list[str]], typer.Option(help="CSV columns that hold labels.")] = None,
) -> None:
    """Counts per task/label, source, story and kind; duplicate texts; pieces without labels."""
    pieces, report = load_pieces(corpus, skip_invalid=skip_invalid, options=csv_options(map_, label))
    report_load(report)
    stats = corpus_stats(pieces).to_record()
    if as_json:
        out.print_json(json.dumps({**stats, "load": report.to_record()}))
        return
    out.print(f"[bold]{stats['pieces']}[/] pieces; {stats['pieces_without_labels']} without any label; "
              f"{stats['with_target']} with a target", markup=True)
    for task, counts in stats["tasks"].items():
        _counts(f"task {task} ({stats['unlabelled_per_task'][task]} unlabelled)", counts)
    _counts("kind", stats["kinds"])
    _counts("story", stats["stories"])
    _counts("source", stats["sources"], limit=30)
    if stats["duplicates"]:
        out.print(f"[yellow]{len(stats['duplicates'])} group(s) of duplicate texts[/] (same text after case "
                  "and white-space normalisation; across a train/test split they inflate scores):", markup=True)
        for group in stats["duplicates"][:20]:
            out.print("  " + ", ".join(group), highlight=False)
    else:
        out.print("no duplicate texts")
    if stats["texts_with_several_targets"]:
        out.print(f"{stats['texts_with_several_targets']} text(s) come with several targets (pair data, such as a "
                  "body with several headlines): not duplicates; cross-validation keeps each text on one side")


class DatasetFormat(str, Enum):
    """Public dataset formats that ``convert`` reads."""

    allsides = "allsides"
    fnc1 = "fnc1"
    gvfc = "gvfc"
    newsmtsc = "newsmtsc"


@corpus_app.command("convert")
@handles_errors
def convert_cli(
    src: Annotated[Path, typer.Argument(help="The dataset's folder or main file.", exists=True)],
    fmt: Annotated[DatasetFormat, typer.Option("--from", help="The dataset's public format.")],
    output: Annotated[Path, typer.Option("--out", "-o", help="The JSONL corpus to write (atomically).")],
) -> None:
    """Convert a public dataset (AllSides, FNC-1, GVFC, NewsMTSC) into a JSONL corpus."""
    from ..corpus.datasets.adapters import convert

    count, labels = 0, set()
    with atomic_output(output) as handle:
        for piece in convert(fmt.value, src):
            handle.write(json.dumps(piece.to_record(), ensure_ascii=False) + "\n")
            count += 1
            labels.update(piece.labels)
        if not count:
            raise errors.CorpusError(errors.EMPTY_CORPUS.format(path=src, expected=f"{fmt.value} records"))
    err.print(f"wrote {count} pieces ({esc(', '.join(sorted(labels)) or 'no')} labels) to {esc(output)}", highlight=False)


def _counts(title: str, counts: dict, limit: int = 50) -> None:
    table = Table(title=title, title_justify="left")
    table.add_column("value")
    table.add_column("pieces", justify="right")
    for value, n in list(counts.items())[:limit]:
        table.add_row(str(value), str(n))
    if len(counts) > limit:
        table.add_row(f"... {len(counts) - limit} more", "")
    out.print(table)
