"""``framing agreement``: how far the annotators of a labels file agree, and where they do not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from ._common import err, out
from ._errors import handles_errors
from ._text import esc


@handles_errors
def agreement_cli(
    labels: Annotated[Path, typer.Argument(help="The labels file (JSONL, as framing annotate writes it).")],
    task: Annotated[Optional[list[str]], typer.Option("--task", "-t", help="Task(s) to report (default: all).")] = None,
    annotator: Annotated[Optional[list[str]], typer.Option("--annotator", "-a", help="Annotators to compare (default: all; leave an adjudicator out).")] = None,
    show: Annotated[int, typer.Option(min=0, help="Disagreements to list per task.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Per task: Krippendorff's alpha, Cohen's kappa and the confusion of each pair of annotators,
    and the pieces they disagree on (to adjudicate, then resolve with framing corpus merge-labels)."""
    from ..labelling import agreement_report, read_label_log

    log = read_label_log(labels, missing_ok=False)
    for problem in log.problems:
        err.print(f"[yellow]warning:[/] {esc(problem)}", highlight=False)
    report = agreement_report(log, tasks=task, annotators=annotator)
    if as_json:
        out.print_json(json.dumps({"file": str(labels), "tasks": report, "problems": log.problems}))
        return
    if not report:
        err.print(f"{esc(labels)}: no labels in force.")
        return
    for name, r in report.items():
        out.print(f"[bold]{esc(name)}[/]: {r['pieces']} pieces labelled, {r['pieces_compared']} by two or more of "
                  f"{len(r['annotators'])} annotators ({esc(', '.join(r['annotators']))}); Krippendorff's alpha "
                  f"{_num(r['alpha'])}, all agree on {_num(r['observed_agreement'], pct=True)}", highlight=False,
                  markup=True)
        for pair in r["pairs"]:
            first, second = pair["annotators"]
            out.print(f"  {first} vs {second}: {pair['n']} pieces in common, Cohen's kappa {_num(pair['kappa'])}, "
                      f"agreement {_num(pair['agreement'], pct=True)}", highlight=False)
            if pair["n"]:
                out.print(_confusion(first, second, pair["confusion"]))
        if r["disagreements"]:
            table = Table(title=f"{name}: {len(r['disagreements'])} piece(s) with different labels", title_justify="left")
            table.add_column("id")
            for a in r["annotators"]:
                table.add_column(a)
            for d in r["disagreements"][:show]:
                table.add_row(d["id"], *[d["labels"].get(a, "") for a in r["annotators"]])
            if len(r["disagreements"]) > show:
                table.add_row(f"... {len(r['disagreements']) - show} more (--show N, or --json)", *[""] * len(r["annotators"]))
            out.print(table)


def _num(value: float | None, pct: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{100 * value:.1f}%" if pct else f"{value:.3f}"


def _confusion(first: str, second: str, confusion: dict[str, dict[str, int]]) -> Table:
    table = Table(title=f"rows {first}, columns {second}", title_justify="left")
    table.add_column("")
    for label in confusion:
        table.add_column(label, justify="right")
    for label, row in confusion.items():
        table.add_row(label, *[str(v) for v in row.values()])
    return table
