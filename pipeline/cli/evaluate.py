"""``framing evaluate``: score a model on a labelled corpus, beside its grouped and random cross-validation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.table import Table

from ._common import csv_options, err, load_pieces, make_processor, out, report_load
from ._errors import handles_errors
from ._text import esc
from .tables import evaluation_table, per_target_tables

if TYPE_CHECKING:  # annotations only: importing it at start-up would load spaCy
    from ..inference.framer import Framer


@handles_errors
def evaluate_cli(
    corpus: Annotated[list[Path], typer.Argument(help="Labelled corpus files or folders.")],
    model: Annotated[Optional[Path], typer.Option(help="Model folder (default: models/default).")] = None,
    task: Annotated[Optional[list[str]], typer.Option("--task", "-t", help="Task(s) to score; default: all.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
    html: Annotated[Optional[Path], typer.Option("--html", help="Also write a self-contained HTML report here.")] = None,
    cross_validate: Annotated[bool, typer.Option("--cross-validate", help="Also cross-validate on CORPUS (grouped by source and story, and random) with the model's config (slow).")] = False,
    errors_shown: Annotated[int, typer.Option("--show-errors", help="Misclassified pieces shown in the HTML report, most confident first.")] = 20,
    trust: Annotated[bool, typer.Option(help="Load a model from outside the trusted folders.")] = False,
    skip_invalid: Annotated[bool, typer.Option(help="Skip invalid records, reporting each.")] = False,
    map_: Annotated[Optional[list[str]], typer.Option("--map", help="CSV column mapping FIELD=COLUMN.")] = None,
    label: Annotated[Optional[list[str]], typer.Option(help="CSV columns that hold labels.")] = None,
    cache_dir: Annotated[Optional[Path], typer.Option(help="Where processed texts are cached.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the cache.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars (evaluate draws none yet).")] = False,
) -> None:
    """Per-class precision/recall/F1 with 95% intervals, macro-F1, accuracy, majority baseline,
    confusion matrix and calibration (ECE, Brier, reliability) of each task, beside the model's
    cross-validated scores grouped by source/story and random."""
    from ..inference.framer import Framer
    from ..training.use_cases import evaluate_on

    framer = Framer.load(model, trust=trust)
    pieces, report = load_pieces(corpus, skip_invalid=skip_invalid, options=csv_options(map_, label))
    report_load(report)
    processor = make_processor(framer.model.spacy_model, cache_dir, no_cache, 2)
    framer.processor = processor
    scored = evaluate_on(framer.model, pieces, processor, tasks=task, cross_validate=cross_validate)
    results, schemes, origin, notes = scored.held_out, scored.schemes, scored.cross_validation_from, scored.notes
    if html is not None:
        _write_report(html, framer, pieces, results, schemes, errors_shown, [*notes, f"split rows: {origin}."])
        notes.append(f"wrote {html}")
    if as_json:
        payload = {"held_out": results, "cross_validation": scored.cross_validation, "cross_validation_from": origin,
                   "shortcut_gaps": scored.shortcut_gaps, "notes": notes}
        out.print_json(json.dumps(payload))
    else:
        out.print(evaluation_table(schemes))
        out.print(f"[dim]split rows other than 'held-out': {esc(origin)}.[/]", markup=True)
        for table in per_target_tables(schemes):
            out.print(table)
        for name, m in results.items():
            print_metrics(name, m)
    for note in notes:
        err.print(f"[yellow]note:[/] {esc(note)}", highlight=False)


def print_metrics(task: str, m: dict) -> None:
    """Per-class table with intervals, confusion matrix and reliability bins of one task."""
    ci = m.get("macro_f1_ci")
    table = Table(title=f"{task} (held-out): macro-F1 {m['macro_f1']:.3f}"
                        + (f" [95% CI {ci[0]:.3f}-{ci[1]:.3f}]" if ci else "")
                        + f", accuracy {m['accuracy']:.3f}, n={m['n']} "
                        f"(majority baseline '{m['majority_baseline']['label']}': macro-F1 "
                        f"{m['majority_baseline']['macro_f1']:.3f})")
    for column in ("label", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="left" if column == "label" else "right")

    def cell(s: dict, key: str) -> str:
        low_high = s.get(f"{key}_ci")
        return f"{s[key]:.3f}" + (f" [{low_high[0]:.2f}-{low_high[1]:.2f}]" if low_high else "")

    for lab, s in m["per_class"].items():
        table.add_row(lab, cell(s, "precision"), cell(s, "recall"), cell(s, "f1"), str(s["support"]))
    out.print(table)
    confusion = Table(title=f"{task}: confusion (rows gold, columns predicted)")
    confusion.add_column("gold \\ predicted")
    for lab in m["labels"]:
        confusion.add_column(lab[:12], justify="right")
    for lab, row in zip(m["labels"], m["confusion"]):
        confusion.add_row(lab, *map(str, row))
    out.print(confusion)
    if "calibration" in m:
        _print_calibration(task, m["calibration"])
    for lab, n in m.get("unknown_labels", {}).items():
        err.print(f"[yellow]note:[/] {n} piece(s) have the label {esc(repr(lab))}, which the model does not know; "
                  "they count as errors.")


def _print_calibration(task: str, cal: dict) -> None:
    table = Table(title=f"{task}: calibration: ECE {cal['ece']:.3f}, Brier {cal['brier']:.3f} "
                        "(reliability: accuracy should match confidence)")
    for column in ("confidence bin", "pieces", "mean confidence", "accuracy"):
        table.add_column(column, justify="right")
    for b in cal["bins"]:
        if b["count"]:
            table.add_row(f"{b['lower']:.1f}-{b['upper']:.1f}", str(b["count"]), f"{b['confidence']:.2f}",
                          f"{b['accuracy']:.2f}")
    out.print(table)


def _write_report(path: Path, framer: Framer, pieces: list, results: dict, schemes: dict, limit: int,
                  notes: list[str]) -> None:
    from ..evaluation.explain import misclassified
    from ..report import write_evaluation_report

    tasks = list(results)
    records = list(framer.classify(pieces, entities=False))
    errors_found = misclassified(framer.model, pieces, framer.processor, tasks=tasks, limit=limit) if limit else []
    error_records = list(framer.classify([e["piece"] for e in errors_found], entities=True))
    write_evaluation_report(
        path, {t: {k: v for k, v in m.items() if k != "predictions"} for t, m in results.items()},
        schemes=schemes, records=records, error_records=error_records,
        error_explanations=[{e["task"]: e["explanation"]} for e in errors_found],
        error_notes=[_error_note(e) for e in errors_found], texts={p.id: p.text for p in pieces},
        title="Evaluation report", notes=notes, model=_model_meta(framer.model.info))


def _error_note(error: dict[str, Any]) -> str:
    return (f"misclassified {error['task']}: gold {error['gold']}, predicted {error['predicted']} "
            f"with confidence {error['confidence']:.2f}")


def _model_meta(info: dict[str, Any]) -> dict[str, Any]:
    return {k: info.get(k) for k in ("name", "created", "spacy_model")}
