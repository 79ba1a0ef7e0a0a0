"""``framing train``: train every task on a corpus, print the cross-validated summary, save."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..config import load_config
from ._common import csv_options, err, load_pieces, make_processor, out, progress_bars, report_load
from ._errors import handles_errors
from ._text import esc
from .tables import evaluation_table, per_target_tables


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
    from ..training.use_cases import train_model

    cfg = load_config(config, overrides={"spacy": {"model": spacy_model}} if spacy_model else None)
    pieces, report = load_pieces(corpus, skip_invalid=skip_invalid, options=csv_options(map_, label),
                                 folder_task=folder_task, train_config=cfg)
    report_load(report)
    processor = make_processor(cfg.spacy.model or None, cache_dir, no_cache, jobs)
    with progress_bars(quiet) as bars:
        result = train_model(pieces, out_dir, tasks=task, config=cfg, processor=processor, evaluate=not no_eval,
                             progress=bars, allow_labels=allow_labels, entity_stance_data=entity_stance_data,
                             sources=corpus, where=", ".join(str(p) for p in corpus), dask=dask)
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
