"""``framing train``: train every task on a corpus, print the cross-validated summary, save."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich import box
from rich.table import Table

from ..config import load_config
from ..corpus.labels import check_labels
from ..models.persist import save_model
from ..training.train import train
from ..training.entity_stance import train_entity_stance_extra
from ._common import csv_options, err, load_pieces, make_processor, out, progress_bars, report_load
from ._errors import handles_errors
from ._text import esc


@handles_errors
def train_cli(
    corpus: Annotated[list[Path], typer.Argument(help="Corpus files or folders (JSONL, CSV/TSV, .txt/.md).")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Model folder to write, e.g. models/mine.")],
    task: Annotated[Optional[list[str]], typer.Option("--task", "-t", help="Task(s) to train; default: every label column.")] = None,
    config: Annotated[Optional[Path], typer.Option(help="TOML file merged over the default config.")] = None,
    spacy_model: Annotated[Optional[str], typer.Option(help="spaCy model name (default: config, else en_core_web_sm).")] = None,
    no_eval: Annotated[bool, typer.Option("--no-eval", help="Skip cross-validation (faster).")] = False,
    skip_invalid: Annotated[bool, typer.Option(help="Skip invalid records, reporting each, instead of stopping.")] = False,
    map_: Annotated[Optional[list[str]], typer.Option("--map", help="CSV column mapping FIELD=COLUMN.")] = None,
    label: Annotated[Optional[list[str]], typer.Option(help="CSV columns that hold labels.")] = None,
    folder_task: Annotated[Optional[str], typer.Option(help="Folders of .txt: task labelled by sub-folder name.")] = None,
    cache_dir: Annotated[Optional[Path], typer.Option(help="Where processed texts are cached.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the cache.")] = False,
    jobs: Annotated[int, typer.Option(help="Processes for spaCy on large inputs.")] = 2,
    entity_stance_data: Annotated[Optional[Path], typer.Option(help="NewsMTSC folder: also train the stance-toward-entities model on it (scored on its devtest_mt).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the evaluation as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
    dask: Annotated[Optional[str], typer.Option("--dask", help="Fit the cross-validation folds and the tasks, and tokenise, on a Dask cluster: its scheduler (tcp://host:8786), or local / local:N. The model is the same as a local run's.")] = None,
    allow_labels: Annotated[bool, typer.Option("--allow-labels", help="Train on labels that look mistaken (a column 'Stance', labels 'oppose' and 'opose') as they are.")] = False,
) -> None:
    """Train one classifier per task on CORPUS, cross-validate it, and save the model to --out."""
    cfg = load_config(config)
    if spacy_model:
        cfg["spacy"]["model"] = spacy_model
    pieces, report = load_pieces(corpus, skip_invalid=skip_invalid, options=csv_options(map_, label),
                                 folder_task=folder_task)
    report_load(report)
    if not allow_labels:
        check_labels(pieces, tasks=task, where=", ".join(str(p) for p in corpus))
    processor = make_processor(cfg["spacy"]["model"] or None, cache_dir, no_cache, jobs)
    if dask is not None:
        from ..training.distributed import on_dask

        with on_dask(dask, processor) as remote, progress_bars(quiet) as bars:
            result = train(pieces, tasks=task, config=cfg, processor=remote, evaluate=not no_eval, progress=bars,
                           allow_labels=allow_labels, n_jobs=-1)
    else:
        with progress_bars(quiet) as bars:
            result = train(pieces, tasks=task, config=cfg, processor=processor, evaluate=not no_eval,
                           progress=bars, allow_labels=allow_labels)
    if entity_stance_data is not None:
        stance_model, stance_info = train_entity_stance_extra(entity_stance_data)
        result.model.extras["entity_stance"] = stance_model
        result.model.info["entity_stance"] = stance_info
    result.model.info["name"] = out_dir.name
    result.model.info["corpus"]["paths"] = [str(p) for p in corpus]
    save_model(result.model, out_dir)
    for note in result.warnings:
        err.print(f"[yellow]note:[/] {esc(note)}", highlight=False)
    if as_json:
        out.print_json(json.dumps({"model": str(out_dir), "evaluation": result.evaluation}))
        return
    if result.evaluation:
        out.print(evaluation_table(result.evaluation))
        for table in per_target_tables(result.evaluation):
            out.print(table)
    out.print(f"saved {out_dir} ({len(pieces)} pieces; tasks: {', '.join(result.model.tasks)})")
    if "entity_stance" in result.model.info:
        s = result.model.info["entity_stance"]
        out.print(f"stance toward entities: macro-F1 {s['macro_f1']:.3f} on {s['evaluated_on']} "
                  f"(per class {s['per_class_f1']}; {s['published']})", highlight=False)


SCHEME_NAMES = {"source": "by source", "story": "by story", "target": "by target", "random": "random",
                "held-out": "held-out"}
# Targets listed per task in the per-target table; the rest are summed in one line.
MAX_TARGET_ROWS = 20


def per_target_tables(evaluation: dict) -> list[Table]:
    """Per task with several targets: each target's macro-F1 and F1 per label, per split scheme.

    ``by target`` holds each target out in turn (a target the model never saw: the shared
    weights); ``random`` keeps every target on both sides (what per-target weights add).
    """
    tables = []
    for task, schemes in evaluation.items():
        shown = {name: m["per_target"] for name, m in schemes.items() if isinstance(m, dict) and m.get("per_target")}
        if not shown:
            continue
        first = next(iter(shown.values()))
        labels = sorted({lab for per in shown.values() for t in per.values() for lab in t["f1"]})
        table = Table(title=f"{task}: scores per target (macro-F1; F1 per label in the last scheme's columns)",
                      box=box.SIMPLE_HEAD, padding=(0, 1))
        table.add_column("target", overflow="fold")
        table.add_column("n", justify="right")
        for name in shown:
            table.add_column(SCHEME_NAMES.get(name, name), justify="right")
        last = list(shown)[-1]
        for lab in labels:
            table.add_column(f"F1 {lab}", justify="right")
        for k, target in enumerate(first):
            if k == MAX_TARGET_ROWS:
                table.add_row(f"... {len(first) - k} more targets", "", *[""] * (len(shown) + len(labels)))
                break
            cells = [f"{per[target]['macro_f1']:.3f}" if target in per else "" for per in shown.values()]
            f1 = shown[last].get(target, {}).get("f1", {})
            table.add_row(target, str(first[target]["n"]), *cells,
                          *[f"{f1[lab]:.3f}" if lab in f1 else "" for lab in labels])
        tables.append(table)
    return tables


def evaluation_table(evaluation: dict) -> Table:
    """Scores per task and split scheme: macro-F1 with its 95% interval, calibration, shortcut gap.

    Args:
        evaluation: Task -> scheme (``source``, ``story``, ``random``, ``held-out``) -> metrics.
    """
    table = Table(title="Cross-validated scores (grouped splits keep a source or story on one side)",
                  box=box.SIMPLE_HEAD, padding=(0, 0))
    for column in ("task", "split", "macro-F1", "95% CI", "acc", "major", "ECE", "Brier", "gap", "n"):
        table.add_column(column, justify="left" if column in ("task", "split") else "right", no_wrap=True)
    names = SCHEME_NAMES
    notes = []
    for task, schemes in evaluation.items():
        for scheme, m in schemes.items():
            if "error" in m:
                table.add_row(task, names.get(scheme, scheme), "-", *[""] * 7)
                notes.append(f"{task}, {names.get(scheme, scheme)}: {m['error']}")
                continue
            ci = m.get("macro_f1_ci")
            cal = m.get("calibration") or {}
            gap = m.get("shortcut_gap")
            table.add_row(task, names.get(scheme, scheme), f"{m['macro_f1']:.3f}",
                          f"{ci[0]:.2f}-{ci[1]:.2f}" if ci else "",
                          f"{m['accuracy']:.3f}", f"{m['majority_baseline']['macro_f1']:.3f}",
                          f"{cal['ece']:.3f}" if cal else "", f"{cal['brier']:.3f}" if cal else "",
                          f"{gap:+.3f}" if gap is not None else "", str(m["n"]))
            notes.extend(f"{task}, {names.get(scheme, scheme)}: {w}" for w in m.get("warnings", []))
    if any("shortcut_gap" in m for schemes in evaluation.values() for m in schemes.values()):
        notes.insert(0, "gap = shortcut gap: random-split macro-F1 minus the grouped one, how much of the "
                        "random score comes from recognising the outlet or story rather than reading the "
                        "framing. Trust the grouped scores. acc = accuracy; major = macro-F1 of always "
                        "predicting the most frequent label; ECE, Brier: calibration (lower is better).")
    if notes:
        table.caption = "\n".join(notes)
        table.caption_justify = "left"
    return table
