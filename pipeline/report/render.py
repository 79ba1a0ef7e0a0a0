"""Render HTML reports from Jinja2 templates and write them atomically.

Three reports share one template: classification (pieces, entities, probabilities, story
summary), inspection (adds the terms and shaded sentences behind each prediction) and
evaluation (adds metrics, the confusion matrix and the reliability diagram per task).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..inference.records import Record
from ..inference.summary import entity_summary, story_summary
from ..io import write_text
from .markup import STANCE_SIGNS, entity_note, entity_spans, label_colours, piece_html, shaded_sentences
from .plots import confusion_png, reliability_png

SCHEME_NAMES = {"source": "grouped by source", "story": "grouped by story", "random": "random (stratified)",
                "held-out": "held-out corpus"}


def _environment():
    try:
        import jinja2
    except ImportError:
        raise ImportError("HTML reports need Jinja2: pip install 'framing[report]'") from None
    env = jinja2.Environment(loader=jinja2.PackageLoader("pipeline.report", "templates"),
                             autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True,
                             lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["pct"] = lambda v: "" if v is None else f"{100 * v:.0f}%"
    env.filters["num"] = lambda v, d=3: "" if v is None else f"{v:.{d}f}"
    env.filters["ci"] = lambda v: f"[{v[0]:.3f}, {v[1]:.3f}]" if v else ""
    return env


def render_report(*, title: str, pieces: Sequence[Record] = (), evaluation: Sequence[Record] = (),
                  summary_records: Iterable[Record] | None = None, notes: Sequence[str] = (),
                  model: Mapping[str, Any] | None = None) -> str:
    """The report's HTML. Prefer the ``write_*_report`` functions; this one is their common core.

    Args:
        title: Page heading.
        pieces: Piece views from :func:`piece_view`.
        evaluation: Task views from :func:`evaluation_view`.
        summary_records: Classification records for the story summary (stance, frame... by source).
        notes: Lines shown under the heading (warnings, what the report covers).
        model: Model metadata to show (name, created, spaCy model, corpus).
    """
    summary_records = list(summary_records) if summary_records is not None else None
    summary = story_summary(summary_records) if summary_records is not None else {}
    entities = _entity_rows(summary_records) if summary_records else []
    labels = {lab for by_source in summary.values() for counts in by_source.values() for lab in counts}
    labels |= {lab for p in pieces for pred in p["predictions"].values() for lab in pred["probabilities"]}
    return _environment().get_template("report.html").render(
        title=title, pieces=pieces, evaluation=evaluation, summary=summary, notes=list(notes), model=model,
        entities=entities, colours=label_colours(labels), wide_after=WIDE_AFTER, created=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    )


WIDE_AFTER = 6  # a summary over more labels lists each source's counts in one cell instead of a column each


def _entity_rows(records: Sequence[Record]) -> list[Record]:
    """The entities-by-source table: who mentions whom, quoting them, with which stance."""
    if not any(r.get("entities") for r in records):
        return []
    # Records read back from elsewhere may lack entity ids or carry {"start", "end"} mentions.
    records = [{**r, "entities": [{**e, "id": e.get("id") or f"{e.get('label')}:{e.get('text')}".lower(),
                                   "mentions": [(s["start"], s["end"]) for s in entity_spans(r.get("text") or "", [e])]}
                                  for e in r.get("entities") or []]} for r in records]
    rows = []
    for row in entity_summary(records, top=25):
        cells = []
        for source, cell in sorted(row["by_source"].items(), key=lambda kv: (-kv[1]["pieces"], kv[0])):
            stance = " ".join(f"{STANCE_SIGNS.get(lab, lab)}{n}" for lab, n in sorted(cell["stance"].items()))
            cells.append({"source": source, "pieces": cell["pieces"], "quoted": cell["quoted"], "stance": stance})
        rows.append({**row, "cells": cells})
    return rows


def write_html(path: str | Path, html: str) -> Path:
    """Write ``html`` to ``path`` through a temporary file renamed into place (never half-written)."""
    return write_text(path, html)


def piece_view(record: Record, *, text: str | None = None, explanations: Mapping[str, Record] | None = None,
               note: str | None = None, shade: str | None = None, why: bool = True) -> Record:
    """What the template shows of one classified piece.

    Args:
        record: A classification record (``Framer.classify``); its ``text``, if any, is used
            when ``text`` is not given. Entities are highlighted only when they carry offsets
            (``mentions``); otherwise they are listed.
        text: The piece's body text.
        explanations: Task -> :func:`pipeline.evaluation.explain.explain` result with sentences.
        note: A line about the piece (e.g. why it is listed).
        shade: The task whose explanation shades the sentences of the piece's text (default:
            ``stance`` when explained, else the first explained task).
        why: Show each task's explanation (terms and shaded sentences) under the piece.
    """
    text = text if text is not None else record.get("text")
    entities = record.get("entities") or []
    views = {}
    for task, ex in (explanations or {}).items():
        sentences = ex.get("sentences") or []
        scale = max((abs(s["contribution"]) for s in sentences), default=0.0) or None
        views[task] = {**ex, "body_html": shaded_sentences(text or "", sentences, scale=scale),
                       "title_html": shaded_sentences(record.get("title") or "", sentences, field="title",
                                                      scale=scale)}
    if shade is None and explanations:
        shade = "stance" if "stance" in explanations else next(iter(explanations))
    shading = (explanations or {}).get(shade) if shade else None
    sentences = (shading or {}).get("sentences") or []
    scale = max((abs(s["contribution"]) for s in sentences), default=0.0) or None
    return {
        **{k: record.get(k) for k in ("id", "kind", "source", "date", "story", "title", "target")},
        "gold": record.get("gold") or {},
        "predictions": record.get("predictions") or {},
        "entities": [{**e, "note": entity_note(e)} for e in entities],
        "text_html": piece_html(text, entities, sentences, scale=scale) if text else None,
        "title_html": piece_html(record.get("title") or "", None, sentences, field="title", scale=scale),
        "shade": {"task": shade, "label": shading.get("explained_label")} if shading else None,
        "explanations": views if why else {},
        "note": note,
    }


def evaluation_view(task: str, metrics: Record, *, schemes: Mapping[str, Record] | None = None,
                    heading: str = "held-out") -> Record:
    """What the template shows of one task's evaluation: scores, per class, figures.

    Args:
        task: Task name.
        metrics: :func:`pipeline.evaluation.metrics.classification_metrics` result (with calibration) whose
            per-class table and figures are shown.
        schemes: Scheme -> metrics, for the grouped-vs-random table (default: ``metrics`` only).
        heading: Name of the scheme ``metrics`` comes from.
    """
    rows = []
    for name, m in (schemes or {heading: metrics}).items():
        cal = m.get("calibration") or {}
        rows.append({"name": SCHEME_NAMES.get(name, name), "error": m.get("error"),
                     "macro_f1": m.get("macro_f1"), "macro_f1_ci": m.get("macro_f1_ci"),
                     "accuracy": m.get("accuracy"), "accuracy_ci": m.get("accuracy_ci"),
                     "majority": (m.get("majority_baseline") or {}).get("macro_f1"),
                     "ece": cal.get("ece"), "brier": cal.get("brier"), "gap": m.get("shortcut_gap"),
                     "n": m.get("n"), "folds": m.get("folds"), "warnings": m.get("warnings", [])})
    cal = metrics.get("calibration")
    return {
        "task": task, "heading": SCHEME_NAMES.get(heading, heading), "schemes": rows, "metrics": metrics,
        "confusion_png": confusion_png(metrics["labels"], metrics["confusion"]) if "confusion" in metrics else None,
        "reliability_png": reliability_png(cal["bins"], ece=cal["ece"]) if cal else None,
    }
