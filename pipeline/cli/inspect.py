"""``framing inspect``: why a piece got its labels, or what a model has learned."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from ..classify import Framer
from ..corpus import LoadReport, Piece
from ..explain import explain, top_features
from ..features import prepare_samples
from ._common import csv_options, out, stream_inputs
from ._errors import handles_errors


@handles_errors
def inspect_cli(
    inputs: Annotated[Optional[list[str]], typer.Argument(help="Pieces to explain (files, corpora, -). None: the model.")] = None,
    text: Annotated[Optional[str], typer.Option(help="Explain this text.")] = None,
    model: Annotated[Optional[Path], typer.Option(help="Model folder (default: models/default).")] = None,
    task: Annotated[Optional[list[str]], typer.Option("--task", "-t", help="Task(s) to show; default: all.")] = None,
    top: Annotated[int, typer.Option(help="How many features to show.")] = 10,
    limit: Annotated[int, typer.Option(help="Explain at most this many pieces.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    trust: Annotated[bool, typer.Option(help="Load a model from outside the trusted folders.")] = False,
) -> None:
    """Explain predictions (features that pushed toward and against each label), or summarise a model."""
    framer = Framer.load(model, trust=trust)
    tasks = task or list(framer.model.tasks)
    if not inputs and text is None:
        _model_summary(framer, tasks, top, as_json)
        return
    pieces: list[Piece] = [Piece(id="text", text=text)] if text is not None else []
    if inputs:
        for piece in stream_inputs(inputs, skip_invalid=False, options=csv_options(None, None), report=LoadReport()):
            pieces.append(piece)
            if len(pieces) >= limit:
                break
    samples = prepare_samples(pieces, framer.processor, max_tokens=framer.model.max_tokens)
    results = [{"id": p.id, "source": p.source, "kind": p.kind,
                "explanations": {t: explain(framer.model.tasks[t], s, k=top) for t in tasks}}
               for p, s in zip(pieces, samples)]
    if as_json:
        out.print_json(json.dumps(results))
        return
    for piece, res in zip(pieces, results):
        out.rule(f"{piece.id}  {piece.kind}  {piece.source or ''}")
        out.print(piece.text[:300] + ("..." if len(piece.text) > 300 else ""), highlight=False)
        for t, ex in res["explanations"].items():
            table = Table(title=f"{t}: {ex['label']} (p={ex['probability']:.2f})")
            table.add_column(f"toward {ex['label']}")
            table.add_column("weight x value", justify="right")
            table.add_column(f"against {ex['label']}")
            table.add_column("weight x value", justify="right")
            for i in range(max(len(ex["toward"]), len(ex["against"]))):
                a = ex["toward"][i] if i < len(ex["toward"]) else ("", "")
                b = ex["against"][i] if i < len(ex["against"]) else ("", "")
                table.add_row(a[0], f"{a[1]:+.3f}" if a[1] != "" else "", b[0], f"{b[1]:+.3f}" if b[1] != "" else "")
            out.print(table)


def _model_summary(framer: Framer, tasks: list[str], top: int, as_json: bool) -> None:
    info = framer.model.info
    summary = {
        "name": info.get("name"),
        "created": info.get("created"),
        "spacy_model": info.get("spacy_model"),
        "versions": info.get("versions"),
        "corpus": {k: v for k, v in info.get("corpus", {}).items() if k != "stats"},
        "tasks": {t: {**info["tasks"][t], "metrics": _headline(info.get("metrics", {}).get(t, {})),
                      "top_features": top_features(framer.model.tasks[t], k=top)} for t in tasks},
    }
    if as_json:
        out.print_json(json.dumps(summary))
        return
    out.print(f"[bold]{summary['name']}[/]  created {summary['created']}  spaCy {summary['spacy_model']}")
    out.print(f"corpus: {summary['corpus']}", highlight=False)
    for t, s in summary["tasks"].items():
        out.rule(f"{t}: {len(s['labels'])} labels, {s['n']} training pieces")
        for scheme, score in s["metrics"].items():
            out.print(f"  cross-validated macro-F1 ({scheme} split): {score}")
        table = Table(title=f"{t}: top features per label")
        labels = list(s["top_features"])
        for lab in labels:
            table.add_column(lab, overflow="fold")
        for i in range(top):
            table.add_row(*(s["top_features"][lab][i][0] if i < len(s["top_features"][lab]) else "" for lab in labels))
        out.print(table)


def _headline(metrics: dict) -> dict:
    return {scheme: round(m["macro_f1"], 3) for scheme, m in metrics.items() if "macro_f1" in m}
