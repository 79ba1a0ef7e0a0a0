"""``framing evaluate``: score a model on a labelled corpus it was not trained on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from ..classify import Framer
from ..evaluate import evaluate_model
from ..train import corpus_hash
from ._common import csv_options, err, load_pieces, make_processor, out, report_load
from ._errors import handles_errors


@handles_errors
def evaluate_cli(
    corpus: Annotated[list[Path], typer.Argument(help="Labelled corpus files or folders.")],
    model: Annotated[Optional[Path], typer.Option(help="Model folder (default: models/default).")] = None,
    task: Annotated[Optional[list[str]], typer.Option("--task", "-t", help="Task(s) to score; default: all.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
    trust: Annotated[bool, typer.Option(help="Load a model from outside the trusted folders.")] = False,
    skip_invalid: Annotated[bool, typer.Option(help="Skip invalid records, reporting each.")] = False,
    map_: Annotated[Optional[list[str]], typer.Option("--map", help="CSV column mapping FIELD=COLUMN.")] = None,
    label: Annotated[Optional[list[str]], typer.Option(help="CSV columns that hold labels.")] = None,
    cache_dir: Annotated[Optional[Path], typer.Option(help="Where processed texts are cached.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the cache.")] = False,
) -> None:
    """Per-class precision/recall/F1, macro-F1, accuracy and the confusion matrix of each task."""
    framer = Framer.load(model, trust=trust)
    pieces, report = load_pieces(corpus, skip_invalid=skip_invalid, options=csv_options(map_, label))
    report_load(report)
    if corpus_hash(pieces) == framer.model.info.get("corpus", {}).get("hash"):
        err.print("[yellow]warning:[/] this is the corpus the model was trained on: these scores are "
                  "optimistic. The cross-validated scores from `framing train` (also in `framing inspect`) "
                  "are the honest ones.")
    processor = make_processor(framer.model.spacy_model, cache_dir, no_cache, 2)
    results = evaluate_model(framer.model, pieces, processor, tasks=task)
    if as_json:
        out.print_json(json.dumps(results))
        return
    for name, m in results.items():
        print_metrics(name, m)


def print_metrics(task: str, m: dict) -> None:
    """Per-class table and confusion matrix of one task."""
    table = Table(title=f"{task}: macro-F1 {m['macro_f1']:.3f}, accuracy {m['accuracy']:.3f}, n={m['n']} "
                        f"(majority baseline macro-F1 {m['majority_baseline']['macro_f1']:.3f})")
    for column in ("label", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for lab, s in m["per_class"].items():
        table.add_row(lab, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", str(s["support"]))
    out.print(table)
    confusion = Table(title=f"{task}: confusion (rows gold, columns predicted)")
    confusion.add_column("gold \\ predicted")
    for lab in m["labels"]:
        confusion.add_column(lab[:12], justify="right")
    for lab, row in zip(m["labels"], m["confusion"]):
        confusion.add_row(lab, *map(str, row))
    out.print(confusion)
    for lab, n in m.get("unknown_labels", {}).items():
        err.print(f"[yellow]note:[/] {n} piece(s) have the label {lab!r}, which the model does not know; "
                  "they count as errors.")
