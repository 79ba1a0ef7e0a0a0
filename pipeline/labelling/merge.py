"""Resolving several annotators' labels into one training corpus: majority vote or an adjudicator."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..corpus import Piece
from .agreement import task_units
from .store import LabelLog


@dataclass
class MergeResult:
    """The merged corpus and everything a person must know about how it was made.

    Attributes:
        pieces: Every corpus piece that has a label after merging or that anyone labelled (a tied
            piece is kept, without the tied task's label), in corpus order.
        ties: ``{"id", "task", "votes"}`` for each piece and task whose vote was tied and that the
            adjudicator did not decide: left unlabelled for that task.
        overridden: ``{"id", "task", "corpus", "merged"}`` where the labels file replaced a label
            the corpus already had.
        unknown_ids: Ids in the labels file that are not in the corpus (their labels are not used).
        resolved: Resolution -> count (``adjudicator``, ``unanimous``, ``majority``, ``single``).
        unlabelled: Corpus pieces left out because nobody labelled them and the corpus had no label.
    """

    pieces: list[Piece] = field(default_factory=list)
    ties: list[dict[str, Any]] = field(default_factory=list)
    overridden: list[dict[str, Any]] = field(default_factory=list)
    unknown_ids: list[str] = field(default_factory=list)
    resolved: Counter = field(default_factory=Counter)
    unlabelled: int = 0


def resolve_votes(votes: dict[str, str], adjudicator: str | None = None) -> tuple[str | None, str]:
    """One label from ``{annotator: label}``: the adjudicator's if they gave one, else the majority.

    Returns:
        ``(label, how)``; ``label`` is None when the vote is tied (``how == "tie"``).
    """
    if adjudicator is not None and adjudicator in votes:
        return votes[adjudicator], "adjudicator"
    counts = Counter(v for a, v in votes.items() if a != adjudicator).most_common()
    if not counts:
        return None, "tie"
    if len(counts) > 1 and counts[0][1] == counts[1][1]:
        return None, "tie"
    how = "single" if len(votes) == 1 else "unanimous" if len(counts) == 1 else "majority"
    return counts[0][0], how


def merge_labels(pieces: Iterable[Piece], log: LabelLog, *, tasks: Sequence[str] | None = None,
                 adjudicator: str | None = None, include_unlabelled: bool = False) -> MergeResult:
    """Give each piece of the corpus one label per task from the labels file.

    Args:
        pieces: The corpus the labels were given on.
        log: The labels file (:func:`~pipeline.labelling.store.read_label_log`).
        tasks: Tasks to merge (default: every task in the file).
        adjudicator: An annotator whose label, where given, decides; elsewhere the majority does.
        include_unlabelled: Also keep the corpus pieces nobody labelled.

    Returns:
        The merged pieces with the ties, overrides and unknown ids reported (never dropped silently).
    """
    tasks = list(tasks or log.tasks())
    units = {task: task_units(log, task) for task in tasks}
    result = MergeResult()
    seen: set[str] = set()
    for piece in pieces:
        seen.add(piece.id)
        labels = dict(piece.labels)
        votes_meta: dict[str, Any] = {}
        voted = False
        for task in tasks:
            votes = units[task].get(piece.id)
            if not votes:
                continue
            voted = True
            label, how = resolve_votes(votes, adjudicator)
            votes_meta[task] = {"votes": dict(Counter(votes.values())), "resolved": how}
            if label is None:
                result.ties.append({"id": piece.id, "task": task, "votes": dict(votes)})
                labels.pop(task, None)  # a corpus label the annotators' tie put in doubt is not kept either
                continue
            result.resolved[how] += 1
            if task in piece.labels and piece.labels[task] != label:
                result.overridden.append({"id": piece.id, "task": task, "corpus": piece.labels[task], "merged": label})
            labels[task] = label
        if not (labels or voted or include_unlabelled):
            result.unlabelled += 1
            continue
        meta = {**piece.meta, "labelling": votes_meta} if votes_meta else piece.meta
        result.pieces.append(replace(piece, labels=labels, meta=meta))
    result.unknown_ids = sorted({pid for task in tasks for pid in units[task]} - seen)
    return result
