"""``framing suggest``: the pieces most worth labelling next."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from ._common import atomic_output, csv_options, err, load_pieces, make_processor, out, progress_bars, report_load
from ._errors import handles_errors
from ._text import esc


class SuggestFormat(str, Enum):
    """Output formats of ``suggest``."""

    table = "table"
    jsonl = "jsonl"


class Spread(str, Enum):
    """How a batch is spread over the corpus."""

    kmeans = "kmeans"
    maxmin = "maxmin"
    none = "none"


class Uncertainty(str, Enum):
    """How uncertainty is measured."""

    margin = "margin"
    entropy = "entropy"


@handles_errors
def suggest_cli(
    corpus: Annotated[list[Path], typer.Argument(help="Corpus files or folders (JSONL, CSV/TSV, .txt/.md).")],
    task: Annotated[str, typer.Option("--task", "-t", help="The task to label, e.g. stance.")],
    n: Annotated[int, typer.Option("-n", min=1, help="How many pieces to suggest.")] = 50,
    model: Annotated[Optional[Path], typer.Option(help="Model folder (default: models/default).")] = None,
    no_model: Annotated[bool, typer.Option("--no-model", help="Choose by diversity alone (no model yet).")] = False,
    labels: Annotated[Optional[list[Path]], typer.Option("--labels", help="Labels file(s): pieces labelled there are not suggested.")] = None,
    fmt: Annotated[SuggestFormat, typer.Option("--format", "-f", help="Output format.")] = SuggestFormat.table,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout (atomically).")] = None,
    uncertainty: Annotated[Uncertainty, typer.Option(help="margin (top two labels) or entropy.")] = Uncertainty.margin,
    spread: Annotated[Spread, typer.Option(help="kmeans: one piece per cluster of the uncertain ones; maxmin: greedy k-center; none: the most uncertain.")] = Spread.kmeans,
    diversity: Annotated[float, typer.Option(min=0.0, max=1.0, help="For --spread maxmin: weight of spread against uncertainty.")] = 0.5,
    max_share: Annotated[float, typer.Option(min=0.0, max=1.0, help="Most of the batch one outlet or story may take.")] = 0.2,
    trust: Annotated[bool, typer.Option(help="Load a model from outside the trusted folders (it can run code).")] = False,
    skip_invalid: Annotated[bool, typer.Option(help="Skip invalid records, reporting each, instead of stopping.")] = False,
    map_: Annotated[Optional[list[str]], typer.Option("--map", help="CSV column mapping FIELD=COLUMN.")] = None,
    cache_dir: Annotated[Optional[Path], typer.Option(help="Where processed texts are cached.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the cache.")] = False,
    jobs: Annotated[int, typer.Option(help="Processes for spaCy on large inputs.")] = 2,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """Suggest the N unlabelled pieces of CORPUS most worth labelling for TASK next.

    The model's least certain pieces, spread over outlets, stories and vocabulary. Pieces
    with a TASK label in the corpus or in a --labels file are left out.
    """
    from ..inference.framer import Framer
    from ..labelling import read_label_log, suggest

    pieces, report = load_pieces(corpus, skip_invalid=skip_invalid, options=csv_options(map_, None))
    report_load(report)
    skip: set[str] = set()
    for path in labels or []:
        log = read_label_log(path, missing_ok=False)
        for problem in log.problems:
            err.print(f"[yellow]warning:[/] {esc(problem)}", highlight=False)
        skip |= log.labelled_ids(task)
    framer = None
    if not no_model:
        framer = Framer.load(model, trust=trust)
        framer.processor = make_processor(framer.model.spacy_model, cache_dir, no_cache, jobs)
    with progress_bars(quiet) as bars:
        advance = bars("scoring", len(pieces)) if bars and framer else None
        suggestions = suggest(pieces, task, n, framer=framer, skip=skip, uncertainty_kind=uncertainty.value,
                              spread=spread.value, diversity=diversity, max_share=max_share, progress=advance)
    if framer is not None:
        framer.close()
    if not suggestions:
        err.print(f"nothing to suggest: every piece has a {esc(task)} label.")
        return
    if fmt is SuggestFormat.jsonl or output is not None:
        with atomic_output(output) as handle:
            for s in suggestions:
                handle.write(json.dumps(s.to_record(), ensure_ascii=False) + "\n")
        if output is not None:
            err.print(f"wrote {len(suggestions)} suggestions to {esc(output)}", highlight=False)
        return
    table = Table(title=f"label these next for {task} ({len(suggestions)}; uncertainty 1 = the model cannot tell)")
    for column in ("rank", "id", "source", "story", "guess", "conf", "uncert", "title / text"):
        table.add_column(column, justify="right" if column in ("rank", "conf", "uncert") else "left",
                         overflow="fold")
    for s in suggestions:
        p = s.piece
        table.add_row(str(s.rank), p.id, p.source or "", p.story or "", s.guess or "",
                      f"{s.confidence:.2f}" if s.confidence is not None else "", f"{s.uncertainty:.2f}",
                      (p.title or p.text)[:80])
    out.print(table)
