"""One annotator's labelling session: which piece comes next, what the page shows of it, and the
labels, skips and undos it appends to the labels file. The web page (:mod:`.server`) only calls it.

Pieces come in suggestion order (:func:`~pipeline.labelling.suggest.suggest` on the first task),
fifty at a time; with ``retrain_every`` the model is refitted in a background thread on the
corpus's own labels plus every label in the file, and the next fifty come from the new model.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from .. import errors
from ..corpus import Piece
from .codebook import definitions_for
from .retrain import retrain_framer
from .spans import entity_spans, ner_entities
from .store import LabelWriter, read_label_log
from .suggest import suggest

# retrain_framer and ner_entities are what the CLI hands a session; importable from here as before.
__all__ = ["KEYS", "AnnotationSession", "entity_spans", "ner_entities", "retrain_framer"]

# Keys that label, in order; u (undo) and space (skip) are left out.
KEYS = "1234567890abcdefghijklmnopqrstvwxyz"
Retrain = Callable[[list[Piece], list[str]], Any]


class AnnotationSession:
    """State of one annotator's session over a corpus; every method is safe to call from threads.

    Args:
        pieces: The corpus.
        tasks: Tasks to label, the first one choosing the order.
        writer: Where labels go (its ``annotator`` is this session's annotator).
        framer: The model that guesses and chooses (anything like :class:`~pipeline.inference.framer.Framer`);
            None orders by diversity alone and shows no guess.
        label_sets: Task -> its labels, for tasks the model does not know.
        codebook: Label -> definition (:func:`~pipeline.labelling.codebook.read_codebook`).
        batch: Pieces suggested at a time.
        retrain_every: Refit the model after this many new labels (0: never).
        retrain: ``retrain(pieces, tasks) -> framer``, run in a background thread.
        entities: A callable ``entities(piece) -> [entity records]`` used when there is no model
            (default: no highlighting without a model).
    """

    def __init__(self, pieces: Iterable[Piece], tasks: Sequence[str], writer: LabelWriter, *, framer: Any = None,
                 label_sets: dict[str, list[str]] | None = None, codebook: dict[str, str] | None = None,
                 batch: int = 50, retrain_every: int = 0, retrain: Retrain | None = None,
                 entities: Callable[[Piece], list[dict]] | None = None) -> None:
        self.pieces = list(pieces)
        self.by_id = {p.id: p for p in self.pieces}
        self.tasks = list(tasks)
        if not self.tasks:
            raise errors.ConfigError.of(errors.SESSION_NO_TASK)
        self.writer = writer
        self.framer = framer
        self.batch = batch
        self.retrain_every = retrain_every
        self.retrain = retrain
        self.entities = entities
        self.codebook = codebook or {}
        self.labels = {task: self._label_set(task, (label_sets or {}).get(task)) for task in self.tasks}
        self._lock = threading.RLock()
        log = read_label_log(writer.path)
        self.problems = log.problems
        self.stack = [r for r in log.entries if r["annotator"] == writer.annotator]
        self.queue: list[str] = []
        self.front: list[str] = []
        self.version = 0
        self.since_retrain = 0
        self.model_status: dict[str, Any] = {"version": 0, "training": False, "error": None, "trained_on": None}
        self._views: dict[str, tuple[int, dict]] = {}
        self._proba: dict[tuple[int, str], dict[str, np.ndarray]] = {}

    def _label_set(self, task: str, given: list[str] | None) -> list[str]:
        if given:
            return list(given)
        if self.framer is not None and task in self.framer.model.tasks:
            return self.framer.model.labels(task)
        seen = sorted({p.labels[task] for p in self.pieces if task in p.labels})
        if len(seen) >= 2:
            return seen
        raise errors.ConfigError.of(errors.SESSION_NO_LABELS, task=task)

    # What is labelled -------------------------------------------------------------------------

    def mine(self) -> dict[tuple[str, str], str]:
        """``(piece id, task) -> label`` for this annotator's labels in force."""
        return {(r["id"], r["task"]): r["label"] for r in self.stack if r["op"] == "label"}

    def _complete(self, pid: str, mine: dict[tuple[str, str], str]) -> bool:
        return all((pid, task) in mine for task in self.tasks)

    def _skipped(self, mine: dict[tuple[str, str], str]) -> list[str]:
        """Skipped, unfinished pieces, the longest ago skipped first."""
        order: dict[str, int] = {}
        for i, r in enumerate(self.stack):
            if r["op"] == "skip":
                order.pop(r["id"], None)
                order[r["id"]] = i
        return [pid for pid in order if not self._complete(pid, mine)]

    def current(self) -> str | None:
        """The id of the piece to show now, or None when every piece is labelled."""
        with self._lock:
            mine = self.mine()
            skipped = set(self._skipped(mine))
            for refill in (False, True):
                if refill:
                    self.front = []
                    self._refill(mine, skipped)
                for pid in [*self.front, *self.queue]:
                    if not self._complete(pid, mine) and pid not in skipped:
                        return pid
            rest = self._skipped(mine)
            return rest[0] if rest else None

    def _refill(self, mine: dict[tuple[str, str], str], skipped: set[str]) -> None:
        done = {pid for (pid, _) in mine if self._complete(pid, mine)}
        framer = self.framer if self.framer is not None and self.tasks[0] in self.framer.model.tasks else None
        chosen = suggest(self.pieces, self.tasks[0], self.batch, framer=_Cached(framer, self) if framer else None,
                         skip=done | skipped)
        self.queue = [s.piece.id for s in chosen]
        if not self.queue:  # corpus labels of the first task do not stop another task being labelled
            self.queue = [p.id for p in self.pieces if p.id not in done and p.id not in skipped][: self.batch]

    # Actions ----------------------------------------------------------------------------------

    def label(self, pid: str, task: str, label: str) -> dict[str, Any]:
        """Append ``label`` for ``task`` of piece ``pid``; returns the record written.

        Raises:
            InputError: For an unknown piece, task or label.
        """
        self._check(pid)
        if task not in self.labels:
            raise errors.InputError.of(errors.SESSION_UNKNOWN_TASK_SESSION, task=task, tasks=self.tasks)
        if label not in self.labels[task]:
            raise errors.InputError.of(errors.SESSION_UNKNOWN_LABEL_USE, task=task, label=label, labels=self.labels[task])
        with self._lock:
            record = self.writer.label(pid, task, label)
            self.stack.append(record)
            self.since_retrain += 1
            self._maybe_retrain()
        return record

    def skip(self, pid: str) -> dict[str, Any]:
        """Append a skip of piece ``pid``: it comes back after every other piece."""
        self._check(pid)
        with self._lock:
            record = self.writer.skip(pid)
            self.stack.append(record)
            self.front = [p for p in self.front if p != pid]
        return record

    def undo(self) -> dict[str, Any] | None:
        """Take back this annotator's last label or skip (appending an undo record); the piece is
        shown again. Returns the record taken back, or None when there is nothing to undo."""
        with self._lock:
            if not self.stack:
                return None
            record = self.stack.pop()
            self.writer.undo(record["key"])
            self.front = [record["id"], *[p for p in self.front if p != record["id"]]]
            if record["op"] == "label":
                self.since_retrain = max(0, self.since_retrain - 1)
            return record

    def _check(self, pid: str) -> None:
        if pid not in self.by_id:
            raise errors.InputError.of(errors.SESSION_UNKNOWN_PIECE_ID, pid=pid)

    # What the page shows ----------------------------------------------------------------------

    def view(self) -> dict[str, Any]:
        """Everything the page shows now: the piece, its entities, each task's labels with their
        keys and definitions, the model's guesses, this annotator's labels, progress."""
        with self._lock:
            pid = self.current()
            mine = self.mine()
            done = sum(self._complete(p.id, mine) for p in self.pieces)
            status = {"annotator": self.writer.annotator, "labelled": done, "total": len(self.pieces),
                      "skipped": len(self._skipped(mine)), "can_undo": bool(self.stack),
                      "model": dict(self.model_status), "file": str(self.writer.path)}
            if pid is None:
                return {"done": True, "status": status}
            piece = self.by_id[pid]
            analysis = self._analysis(piece)
            tasks = []
            for task in self.tasks:
                prediction = analysis["predictions"].get(task)
                tasks.append({
                    "name": task,
                    "definition": self.codebook.get(task.casefold(), ""),
                    "labels": [{"label": lab, "key": KEYS[i] if i < len(KEYS) else "", "definition": d}
                               for i, (lab, d) in enumerate(definitions_for(self.codebook, self.labels[task]).items())],
                    "guess": prediction["label"] if prediction else None,
                    "confidence": prediction["confidence"] if prediction else None,
                    "mine": mine.get((pid, task)),
                })
            active = next((t for t in self.tasks if (pid, t) not in mine), self.tasks[-1])
            return {"done": False, "status": status, "active_task": active, "tasks": tasks,
                    "piece": {k: getattr(piece, k) for k in ("id", "title", "text", "source", "kind", "date",
                                                             "story", "target")},
                    "entities": analysis["spans"]}

    def _analysis(self, piece: Piece) -> dict[str, Any]:
        """The model's predictions and the entity spans of ``piece`` (cached per model version)."""
        cached = self._views.get(piece.id)
        if cached and cached[0] == self.version:
            return cached[1]
        if self.framer is not None:
            record = next(iter(self.framer.classify([piece], entities=True)))
            predictions, entities = record["predictions"], record.get("entities", [])
        else:
            predictions, entities = {}, self.entities(piece) if self.entities else []
        analysis = {"predictions": predictions, "spans": entity_spans(entities, len(piece.text))}
        self._views[piece.id] = (self.version, analysis)
        return analysis

    # Retraining -------------------------------------------------------------------------------

    def _maybe_retrain(self) -> None:
        if not (self.retrain_every and self.retrain) or self.since_retrain < self.retrain_every:
            return
        if self.model_status["training"]:
            return
        self.since_retrain = 0
        self.model_status["training"] = True
        threading.Thread(target=self._retrain, name="framing-retrain", daemon=True).start()

    def _retrain(self) -> None:
        """Refit on the corpus's labels and the file's (all annotators, merged) and swap the model in."""
        from .merge import merge_labels

        try:
            merged = merge_labels(self.pieces, read_label_log(self.writer.path), tasks=self.tasks)
            train_on = [p for p in merged.pieces if any(t in p.labels for t in self.tasks)]
            framer = self.retrain(train_on, self.tasks)
            with self._lock:
                self.framer = framer
                self.version += 1
                self.queue = []  # the next suggestions come from the new model
                self._proba.clear()
                self.model_status.update(version=self.version, error=None, trained_on=len(train_on))
        except Exception as exc:  # a background job: report it on the page instead of losing it
            with self._lock:
                self.model_status["error"] = f"retraining failed: {exc}"
        finally:
            with self._lock:
                self.model_status["training"] = False

    def wait_for_retrain(self, timeout: float = 60.0) -> bool:
        """Block until no retraining runs (for tests and a clean shutdown); False on timeout."""
        for thread in threading.enumerate():
            if thread.name == "framing-retrain":
                thread.join(timeout)
        return not self.model_status["training"]


class _Cached:
    """A framer whose probabilities are remembered per piece for one model version, so that each
    refill of the queue scores only pieces it has not scored before."""

    def __init__(self, framer: Any, session: AnnotationSession) -> None:
        self.framer, self.session, self.model = framer, session, framer.model

    def probabilities(self, pieces: list[Piece]) -> dict[str, np.ndarray]:
        cache = self.session._proba
        version = self.session.version
        todo = [p for p in pieces if (version, p.id) not in cache]
        if todo:
            fresh = self.framer.probabilities(todo)
            for row, p in enumerate(todo):
                cache[version, p.id] = {task: m[row] for task, m in fresh.items()}
        return {task: np.vstack([cache[version, p.id][task] for p in pieces]) for task in self.model.tasks}
