"""``framing corpus merge-labels``: one label per piece and task from several annotators."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ._common import atomic_output, csv_options, err, load_pieces, report_load
from ._errors import handles_errors
from ._text import esc


@handles_errors
def merge_labels_cli(
    corpus: Annotated[list[Path], typer.Argument(help="The corpus the labels were given on.")],
    labels: Annotated[list[Path], typer.Option("--labels", "-l", help="Labels file(s) (JSONL, as framing annotate writes).")],
    output: Annotated[Path, typer.Option("--out", "-o", help="The training corpus to write (JSONL, atomically).")],
    adjudicator: Annotated[Optional[str], typer.Option(help="Annotator whose label decides where given; elsewhere the majority does.")] = None,
    task: Annotated[Optional[list[str]], typer.Option("--task", "-t", help="Task(s) to merge (default: all in the file).")] = None,
    include_unlabelled: Annotated[bool, typer.Option(help="Also write the pieces nobody labelled.")] = False,
    skip_invalid: Annotated[bool, typer.Option(help="Skip invalid corpus records, reporting each.")] = False,
    map_: Annotated[Optional[list[str]], typer.Option("--map", help="CSV column mapping FIELD=COLUMN.")] = None,
) -> None:
    """Resolve the annotators' labels (an adjudicator's choice, else the majority) into a JSONL
    training corpus. Ties are left unlabelled for that task and listed; no piece is dropped."""
    from ..labelling import merge_labels, read_label_log
    from ..labelling.store import LabelLog

    pieces, report = load_pieces(corpus, skip_invalid=skip_invalid, options=csv_options(map_, None))
    report_load(report)
    log = LabelLog()
    for path in labels:
        part = read_label_log(path, missing_ok=False)
        log.labels += part.labels
        log.skips += part.skips
        log.problems += part.problems
    for problem in log.problems:
        err.print(f"[yellow]warning:[/] {esc(problem)}", highlight=False)
    result = merge_labels(pieces, log, tasks=task, adjudicator=adjudicator, include_unlabelled=include_unlabelled)
    with atomic_output(output) as handle:
        for piece in result.pieces:
            handle.write(json.dumps(piece.to_record(), ensure_ascii=False) + "\n")
    how = ", ".join(f"{n} {k}" for k, n in sorted(result.resolved.items())) or "none"
    err.print(f"wrote {len(result.pieces)} pieces to {esc(output)} (labels resolved: {esc(how)}; "
              f"{result.unlabelled} unlabelled corpus pieces left out)", highlight=False)
    for tie in result.ties:
        votes = ", ".join(f"{a}={v}" for a, v in tie["votes"].items())
        err.print(f"[yellow]tie:[/] {esc(tie['id'])} {esc(tie['task'])} ({esc(votes)}): left without a {esc(tie['task'])} label; "
                  "decide with --adjudicator NAME after that annotator labels it", highlight=False)
    for o in result.overridden:
        err.print(f"note: {esc(o['id'])} {esc(o['task'])}: the corpus said {esc(repr(o['corpus']))}, "
                  f"the annotators {esc(repr(o['merged']))}",
                  highlight=False)
    if result.unknown_ids:
        shown = ", ".join(result.unknown_ids[:10]) + (" ..." if len(result.unknown_ids) > 10 else "")
        err.print(f"[yellow]warning:[/] {len(result.unknown_ids)} labelled id(s) are not in the corpus and were not "
                  f"used: {esc(shown)}. Pass the corpus the labels were given on.", highlight=False)
