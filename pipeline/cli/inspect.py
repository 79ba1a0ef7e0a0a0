"""``framing inspect``: why pieces got their labels, which pieces a model gets wrong, what it has learned."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.table import Table
from rich.text import Text

from .. import errors
from ..corpus import LoadReport, Piece
from ._common import csv_options, err, load_pieces, make_processor, out, stream_inputs
from ._errors import handles_errors
from ._text import esc
from .tables import evaluation_table

if TYPE_CHECKING:  # annotations only: importing it at start-up would load spaCy and scikit-learn
    from ..inference.framer import Framer


@handles_errors
def inspect_cli(
    inputs: Annotated[Optional[list[str]], typer.Argument(help="Pieces to explain (files, corpora, -). None: the model.")] = None,
    text: Annotated[Optional[str], typer.Option(help="Explain this text.")] = None,
    errors_corpus: Annotated[Optional[list[Path]], typer.Option("--errors", help="Labelled corpus: explain its misclassified pieces, most confident first.")] = None,
    model: Annotated[Optional[Path], typer.Option(help="Model folder (default: models/default).")] = None,
    task: Annotated[Optional[list[str]], typer.Option("--task", "-t", help="Task(s) to show; default: all.")] = None,
    top: Annotated[int, typer.Option(help="How many terms (and sentences) to show each way.")] = 10,
    limit: Annotated[int, typer.Option(help="Explain at most this many pieces (errors).")] = 20,
    min_confidence: Annotated[float, typer.Option(min=0.0, max=1.0, help="Below this probability a prediction is reported as uncertain.")] = 0.0,
    html: Annotated[Optional[Path], typer.Option("--html", help="Also write a self-contained HTML report here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    trust: Annotated[bool, typer.Option(help="Load a model from outside the trusted folders.")] = False,
    cache_dir: Annotated[Optional[Path], typer.Option(help="Where processed texts are cached.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the cache.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Accepted for symmetry: inspect draws no progress bars.")] = False,
) -> None:
    """Explain predictions (terms and sentences that pushed toward and against each label),
    list misclassified pieces (--errors), or summarise a model (no pieces given)."""
    from ..evaluation.explain import explain_pieces, misclassified
    from ..inference.framer import Framer

    framer = Framer.load(model, trust=trust)
    tasks = task or list(framer.model.tasks)
    if not inputs and text is None and not errors_corpus:
        _model_summary(framer, tasks, top, as_json, html)
        return
    framer.processor = make_processor(framer.model.spacy_model, cache_dir, no_cache, 1)
    if errors_corpus:
        pieces, _ = load_pieces(errors_corpus, skip_invalid=False, options=csv_options(None, None))
        found = misclassified(framer.model, pieces, framer.processor, tasks=tasks, k=top, limit=limit)
        shown = [e["piece"] for e in found]
        explanations = [{e["task"]: e["explanation"]} for e in found]
        notes = [f"{e['task']}: gold {e['gold']}, predicted {e['predicted']} with confidence {e['confidence']:.2f}"
                 for e in found]
        if not found:
            err.print("no misclassified piece: every labelled piece got its gold label.")
    else:
        shown = [Piece(id="text", text=text)] if text is not None else []
        for piece in stream_inputs(inputs or [], skip_invalid=False, options=csv_options(None, None),
                                   report=LoadReport()):
            if len(shown) >= limit:
                break
            shown.append(piece)
        explanations = explain_pieces(framer.model, shown, framer.processor, tasks=tasks, k=top,
                                      min_confidence=min_confidence)
        notes = [None] * len(shown)
    if html is not None:
        from ..report import write_inspect_report

        records = list(framer.classify(shown, entities=True, min_confidence=min_confidence))
        for record in records:
            record["predictions"] = {t: p for t, p in record["predictions"].items() if t in tasks}
        title = "Misclassified pieces, most confident first" if errors_corpus else "Why these labels"
        write_inspect_report(html, records, explanations, texts={p.id: p.text for p in shown}, title=title,
                             item_notes=notes, model=_meta(framer.model.info))
        err.print(f"wrote {esc(html)}")
    results = [{"id": p.id, "source": p.source, "kind": p.kind, **({"note": n} if n else {}),
                "explanations": ex} for p, ex, n in zip(shown, explanations, notes)]
    removed = page_removals(inputs or [])
    if as_json:
        out.print_json(json.dumps({"pieces": results, "removed": removed} if removed else results))
        return
    for page, items in removed.items():
        table = Table(title=f"{page}: {len(items)} boilerplate line(s) removed before classifying")
        table.add_column("reason")
        table.add_column("removed text", overflow="fold")
        table.add_column("offsets", justify="right")
        for item in items:
            table.add_row(item["reason"], item["text"], f"{item['start']}-{item['end']}")
        out.print(table)
    for piece, res in zip(shown, results):
        out.rule(f"{piece.id}  {piece.kind}  {piece.source or ''}")
        if res.get("note"):
            out.print(f"[bold red]{esc(res['note'])}[/]", highlight=False, markup=True)
        out.print(piece.text[:300] + ("..." if len(piece.text) > 300 else ""), highlight=False)
        for t, ex in res["explanations"].items():
            print_explanation(t, ex, top)


def page_removals(inputs: list[str]) -> dict[str, list[dict[str, Any]]]:
    """For each text page among ``inputs``, the boilerplate taken out of it and why."""
    from ..corpus.roundup import read_page
    from ..corpus.text_io import read_text

    found = {}
    for item in inputs:
        path = Path(item)
        if item == "-" or not path.is_file() or path.suffix.lower() not in (".txt", ".md"):
            continue
        removed = read_page(read_text(path)).removed
        if removed:
            found[item] = [{"reason": r.reason, "text": r.text, "start": r.start, "end": r.end,
                            **({"confidence": round(r.confidence, 3)} if r.confidence is not None else {})}
                           for r in removed]
    return found


def print_explanation(task: str, ex: dict[str, Any], top: int) -> None:
    """The terms and sentences behind one prediction, as two tables."""
    label = ex["explained_label"]
    verdict = (f"uncertain (best: {label}, p={ex['probability']:.2f})" if ex["label"] == "uncertain"
               else f"{label} (p={ex['probability']:.2f})")
    table = Table(title=f"{task}: {verdict}")
    table.add_column(f"toward {label}")
    table.add_column("contribution", justify="right")
    table.add_column(f"against {label}")
    table.add_column("contribution", justify="right")
    toward, against = ex["toward"], ex["against"]
    for i in range(max(len(toward), len(against))):
        a = toward[i] if i < len(toward) else None
        b = against[i] if i < len(against) else None
        table.add_row(a["term"] if a else "", f"{a['contribution']:+.3f}" if a else "",
                      b["term"] if b else "", f"{b['contribution']:+.3f}" if b else "")
    out.print(table)
    sentences = Table(title=f"{task}: sentences toward and against {label}", show_lines=False)
    sentences.add_column("contribution", justify="right")
    sentences.add_column("sentence", overflow="fold")
    for s in ex.get("toward_sentences", [])[: max(1, top // 3)]:
        sentences.add_row(Text(f"{s['contribution']:+.3f}", style="green"), s["text"])
    for s in ex.get("against_sentences", [])[: max(1, top // 3)]:
        sentences.add_row(Text(f"{s['contribution']:+.3f}", style="red"), s["text"])
    if sentences.row_count:
        out.print(sentences)


def _model_summary(framer: Framer, tasks: list[str], top: int, as_json: bool, html: Path | None) -> None:
    from ..evaluation.metrics import shortcut_gaps

    info = framer.model.info
    metrics = info.get("metrics", {})
    summary = {
        **_meta(info),
        "versions": info.get("versions"),
        "corpus": {k: v for k, v in info.get("corpus", {}).items() if k != "stats"},
        "classifier": framer.model.config.to_dict()["classifier"],
        "tasks": {t: {**info["tasks"][t], "labels": framer.model.labels(t), "metrics": metrics.get(t, {}),
                      "shortcut_gaps": shortcut_gaps(metrics.get(t, {})),
                      **_top_features(framer.model.tasks[t], top)} for t in tasks},
    }
    if html is not None:
        from ..report import write_evaluation_report

        primary = {t: _primary(metrics.get(t, {})) for t in tasks}
        primary = {t: scheme for t, scheme in primary.items() if scheme}
        write_evaluation_report(html, {t: metrics[t][s] for t, s in primary.items()},
                                schemes={t: metrics[t] for t in primary}, heading=primary,
                                title=f"Model {summary['name'] or ''}: cross-validated evaluation",
                                notes=["per-class table and figures: the first grouped split (source, else story)."],
                                model=_meta(info))
        err.print(f"wrote {esc(html)}")
    if as_json:
        out.print_json(json.dumps(summary))
        return
    out.print(f"[bold]{esc(summary['name'])}[/]  created {esc(summary['created'])}  spaCy {esc(summary['spacy_model'])}",
              markup=True)
    out.print(f"corpus: {summary['corpus']}", highlight=False)
    out.print(f"classifier: {summary['classifier']}", highlight=False)
    if any(metrics.get(t) for t in tasks):
        out.print(evaluation_table({t: metrics[t] for t in tasks if metrics.get(t)}))
    else:
        out.print("[dim]no cross-validated metrics: the model was trained with --no-eval.[/]", markup=True)
    for t, s in summary["tasks"].items():
        out.rule(f"{t}: {len(s['labels'])} labels, {s['n']} training pieces {s.get('label_counts', '')}")
        if s["top_features"] is None:
            out.print(f"[dim]no top features: {esc(s['not_linear'])}[/]", highlight=False, markup=True)
            continue
        table = Table(title=f"{t}: top features per label (weight on the calibrated logit scale)")
        table.add_column("label")
        table.add_column("features", overflow="fold")
        for lab, feats in s["top_features"].items():
            table.add_row(lab, ", ".join(f"{name} ({weight:+.2f})" for name, weight in feats))
        out.print(table)


def _top_features(pipeline: Any, top: int) -> dict[str, Any]:
    """``top_features`` of a task; None, with the reason, for a model that is not linear."""
    from ..evaluation.explain import top_features

    try:
        return {"top_features": top_features(pipeline, k=top)}
    except errors.NotLinearError as exc:
        return {"top_features": None, "not_linear": str(exc)}


def _primary(schemes: dict) -> str | None:
    """The scheme whose details to show: grouped by source, else by story, else random."""
    return next((name for name in ("source", "story", "random") if "macro_f1" in schemes.get(name, {})), None)


def _meta(info: dict[str, Any]) -> dict[str, Any]:
    return {k: info.get(k) for k in ("name", "created", "spacy_model")}
