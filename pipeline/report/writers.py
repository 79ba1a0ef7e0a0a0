"""The three HTML reports: classification, inspection and evaluation; each one self-contained file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..inference.records import Record
from .render import evaluation_view, piece_view, render_report, write_html


def write_classify_report(path: str | Path, records: Sequence[Record], *, title: str = "Classification report",
                          texts: Mapping[str, str] | None = None, notes: Sequence[str] = (),
                          max_pieces: int | None = 500,
                          explanations: Mapping[str, Mapping[str, Record]] | None = None) -> Path:
    """Write a report of classified pieces: story summary, then each piece with its entities.

    Args:
        path: The HTML file to write (atomically).
        records: Records from ``Framer.classify`` (all of them feed the story summary).
        title: Page heading.
        texts: Piece id -> body text, for records that do not carry their ``text``.
        notes: Lines shown under the heading.
        max_pieces: Show at most this many pieces (None: all); the summary still counts all.
        explanations: Piece id -> task -> explanation (``pipeline.explain.explain_pieces``):
            the piece's sentences are shaded by their contribution to its stance (or first task).

    Returns:
        The path written.
    """
    records = list(records)
    shown = records[:max_pieces] if max_pieces is not None else records
    views = [piece_view(r, text=(texts or {}).get(r["id"]), explanations=(explanations or {}).get(r["id"]), why=False)
             for r in shown]
    notes = list(notes)
    if len(shown) < len(records):
        notes.append(f"showing the first {len(shown)} of {len(records)} pieces; the summary counts all.")
    return write_html(path, render_report(title=title, pieces=views, summary_records=records, notes=notes))


def write_inspect_report(path: str | Path, records: Sequence[Record], explanations: Sequence[Mapping[str, Record]],
                         *, texts: Mapping[str, str] | None = None, title: str = "Why these labels",
                         notes: Sequence[str] = (), item_notes: Sequence[str | None] | None = None,
                         model: Mapping[str, Any] | None = None) -> Path:
    """Write a report that explains each piece: shaded sentences and terms behind every label.

    Args:
        path: The HTML file to write.
        records: Classification records of the pieces.
        explanations: For each record, task -> explanation (``pipeline.evaluation.explain.explain_pieces``).
        texts: Piece id -> body text, for records without ``text``.
        title: Page heading.
        notes: Lines under the heading.
        item_notes: One line per piece (e.g. "gold economic, predicted morality").
        model: Model metadata to show.
    """
    item_notes = item_notes or [None] * len(records)
    views = [piece_view(r, text=(texts or {}).get(r["id"]), explanations=ex, note=n)
             for r, ex, n in zip(records, explanations, item_notes)]
    return write_html(path, render_report(title=title, pieces=views, summary_records=records, notes=notes,
                                          model=model))


def write_evaluation_report(path: str | Path, metrics: Mapping[str, Record], *,
                            schemes: Mapping[str, Mapping[str, Record]] | None = None,
                            heading: str | Mapping[str, str] = "held-out", records: Sequence[Record] | None = None,
                            error_records: Sequence[Record] = (),
                            error_explanations: Sequence[Mapping[str, Record]] = (),
                            error_notes: Sequence[str] = (), texts: Mapping[str, str] | None = None,
                            title: str = "Evaluation report", notes: Sequence[str] = (),
                            model: Mapping[str, Any] | None = None) -> Path:
    """Write an evaluation report: scores with intervals, confusion matrix and reliability diagram per task.

    Args:
        path: The HTML file to write.
        metrics: Task -> metrics whose per-class table and figures are shown.
        schemes: Task -> scheme (``source``, ``story``, ``random``, ``held-out``) -> metrics,
            for the grouped-vs-random table; default: ``metrics`` under ``heading``.
        heading: The scheme ``metrics`` comes from (one for all tasks, or per task).
        records: Classification records of the evaluated pieces, for the story summary.
        error_records: Records of misclassified pieces to show, most confident first.
        error_explanations: Their explanations (task -> explanation).
        error_notes: One line per misclassified piece.
        texts: Piece id -> body text.
        title: Page heading.
        notes: Lines under the heading.
        model: Model metadata to show.
    """
    tasks = [evaluation_view(t, m, schemes=(schemes or {}).get(t),
                             heading=heading if isinstance(heading, str) else heading[t])
             for t, m in metrics.items()]
    views = [piece_view(r, text=(texts or {}).get(r["id"]), explanations=ex, note=n)
             for r, ex, n in zip(error_records, error_explanations, error_notes or [None] * len(error_records))]
    return write_html(path, render_report(title=title, pieces=views, evaluation=tasks, summary_records=records,
                                          notes=notes, model=model))
