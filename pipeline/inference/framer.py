"""Classifying pieces with a trained model: the records that the CLI prints and notebooks use.

>>> framer = Framer.load("models/default")          # doctest: +SKIP
>>> framer.classify_texts(["Police should keep the tool."])[0]["predictions"]["stance"]["label"]
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ..corpus import Piece
from ..entities import add_author, attach_stance, extract_entities
from ..features.samples import prepare_samples
from ..io import worker_pool
from ..models.framing import FramingModel
from ..models.persist import DEFAULT_MODEL, load_model
from ..nlp.cache import DocCache
from ..nlp.processor import Processor
from ..progress import Advance
from .records import Record, piece_record
from .targets import TargetMatch, TargetMatcher
from .zero_shot import chosen

# A batch smaller than this is classified in this process: handing it to the workers costs more
# than it saves.
MIN_PARALLEL = 64
MIN_PARALLEL_ENTITIES = 16  # NER costs far more per piece


class Framer:
    """A loaded model ready to classify texts or pieces, one batch at a time.

    Args:
        model: A trained model.
        processor: The spaCy processor (default: the model's spaCy model, no cache).
        entity_types: NER labels to list (default: all but dates, times and numbers).
        n_process: Worker processes that tokenise and score batches (default: the processor's).
        zero_shot: Where the stance of a piece whose target the model was not trained on comes
            from: True, the shipped zero-shot stance model (``models/stance-any``, when it is
            there); a folder holding one; False, the model itself (its probabilities then
            relative to its training targets). Used only when its labels map onto the model's
            stance labels (:mod:`pipeline.inference.zero_shot`); :attr:`zero_shot_reason` says
            why not otherwise.
    """

    def __init__(self, model: FramingModel, *, processor: Processor | None = None,
                 entity_types: Iterable[str] | None = None, n_process: int | None = None,
                 zero_shot: bool | str | Path = True) -> None:
        self.model = model
        self.processor = processor or Processor(model.spacy_model)
        self.entity_types = tuple(entity_types) if entity_types else None
        self.n_process = max(1, n_process or self.processor.n_process)
        if _uses_torch(model):
            # PyTorch's thread pool does not survive a fork, and its encoder already uses every core.
            self.n_process = 1
        self._pool: mp.pool.Pool | None = None
        # An any-target model reads every target itself: nothing to match against training targets.
        self.any_target = bool(model.info.get("any_target"))
        self.target_tasks = [] if self.any_target else target_tasks(model)
        self.matcher = TargetMatcher(training_targets(model))
        # what records give as their stance's source: the name it was saved under (framing train
        # --out models/NAME), else "model", the same however it is loaded
        self.name = str(model.info.get("name") or "model")
        self.zero_shot = chosen(zero_shot, model.labels("stance")) if "stance" in self.target_tasks else None

    @property
    def zero_shot_reason(self) -> str | None:
        """Why pieces with an unseen target keep the model's own stance (None: the zero-shot model is
        used, or was not asked for, or the model reads no target)."""
        return self.zero_shot.reason if self.zero_shot is not None else None

    def close(self) -> None:
        """Stop the worker processes (started on the first large batch, then kept)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None
        self.processor.close()

    def __enter__(self) -> Framer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @classmethod
    def load(cls, path: str | Path | None = None, *, trust: bool = False, processor: Processor | None = None,
             entity_types: Iterable[str] | None = None, zero_shot: bool | str | Path = True) -> Framer:
        """Load the model at ``path`` (default ``models/default``), verifying its checksums.

        Args:
            path: The model folder.
            trust: Load even from outside the trusted folders (model files can run code).
            processor: The spaCy processor (default: the model's spaCy model, no cache).
            entity_types: NER labels to list (default: all but dates, times and numbers).
            zero_shot: The zero-shot stance model for unseen targets (see :class:`Framer`).
        """
        return cls(load_model(path or DEFAULT_MODEL, trust=trust), processor=processor,
                   entity_types=entity_types, zero_shot=zero_shot)

    def classify(self, pieces: Iterable[Piece], *, entities: bool = True, batch_size: int = 512,
                 min_confidence: float = 0.0, progress: Advance | None = None, target: str | None = None,
                 story: str | None = None, zero_shot: bool = True) -> Iterator[Record]:
        """Yield one record per piece, in order, processing ``batch_size`` pieces at a time.

        Args:
            pieces: The pieces to classify.
            entities: Also run NER and list the entities of each piece (slower).
            batch_size: Pieces per batch; memory stays flat whatever the input size.
            min_confidence: Below it, a prediction's label is reported as ``"uncertain"``.
            progress: ``advance(n)`` callable, called as pieces are done.
            target: What stance is about, for pieces that carry no ``target`` of their own.
            story: The story, for pieces that carry no ``story`` of their own.
            zero_shot: False: this call keeps the model's own stance for unseen targets too.
        """
        pieces = with_defaults(pieces, target=target, story=story)
        for batch in batched(pieces, batch_size):
            yield from self._classify_batch(batch, entities, min_confidence, progress, zero_shot)

    def classify_texts(self, texts: Iterable[str], *, target: str | None = None, story: str | None = None,
                       **options: Any) -> list[Record]:
        """Classify plain strings; ids are their positions (``"0"``, ``"1"``, ...).

        Args:
            texts: The texts.
            target: What their stance is about (e.g. "police use of facial recognition").
            story: The story they belong to.
            options: As for :meth:`classify`.
        """
        pieces = [Piece(id=str(i), text=t, target=target, story=story) for i, t in enumerate(texts)]
        return list(self.classify(pieces, **options))

    def match_target(self, target: str | None) -> TargetMatch:
        """How ``target`` relates to the model's training targets (see :mod:`pipeline.inference.targets`)."""
        return self.matcher.match(target)

    def _classify_batch(self, pieces: list[Piece], entities: bool, min_confidence: float,
                        progress: Advance | None, zero_shot: bool = True) -> Iterator[Record]:
        matches = [self.matcher.match(p.target) for p in pieces] if self.target_tasks else None
        # A target matched by meaning is read as the training target it matched, so that it gets
        # that target's own weights; the record keeps the piece's own wording.
        routed = pieces if matches is None else [
            replace(p, target=m.target) if m.seen and m.target != p.target else p for p, m in zip(pieces, matches)]
        probas, found = self._analyse(routed, entities)
        from_zero_shot = self._zero_shot_rows(pieces, matches, probas) if zero_shot else set()
        for row, piece in enumerate(pieces):
            predictions = {}
            for task, matrix in probas.items():
                labels = self.model.labels(task)
                probs = {lab: round(float(p), 4) for lab, p in zip(labels, matrix[row])}
                best = max(probs, key=probs.get)
                predictions[task] = {
                    "label": best if probs[best] >= min_confidence else "uncertain",
                    "confidence": probs[best],
                    "probabilities": probs,
                }
                if task == "stance" and row in from_zero_shot:
                    # read toward this very target by the zero-shot model, labels mapped onto ours
                    predictions[task].update(source=self.zero_shot.name, zero_shot=True)
                    continue
                if task == "stance":
                    predictions[task]["source"] = self.name
                if matches is not None and task in self.target_tasks and not matches[row].seen:
                    # learnt toward the training targets only: the numbers say how the text leans
                    # as it would toward those, not toward this target
                    predictions[task]["relative_to_training_targets"] = True
                if self.any_target and task == "stance":
                    predictions[task]["any_target"] = True
                    if not piece.target:  # nothing to be for or against
                        predictions[task].update(label="uncertain", no_target=True)
            yield piece_record(piece, predictions, found[row] if found is not None else None,
                               matches[row] if matches is not None else None)
        if progress:
            progress(len(pieces))

    def _zero_shot_rows(self, pieces: list[Piece], matches: list[TargetMatch] | None,
                        probas: dict[str, np.ndarray]) -> set[int]:
        """Put the zero-shot model's stance into ``probas`` for the pieces whose target is unseen;
        the rows it gave (none when it is not there or cannot be used)."""
        if self.zero_shot is None or not self.zero_shot.usable or matches is None:
            return set()
        rows = [i for i, (p, m) in enumerate(zip(pieces, matches)) if p.target and not m.seen]
        found = self.zero_shot.predict([pieces[i] for i in rows]) if rows else None
        if found is None:
            return set()
        probas["stance"] = probas["stance"].copy()
        probas["stance"][rows] = found
        return set(rows)

    def probabilities(self, pieces: list[Piece]) -> dict[str, np.ndarray]:
        """Each task's probabilities for ``pieces`` (rows, in order) over its labels."""
        return self._analyse(pieces, entities=False)[0]

    def _analyse(self, pieces: list[Piece], entities: bool) -> tuple[dict[str, np.ndarray], list | None]:
        """Probabilities, and the entity records of each piece when ``entities``.

        Large batches are split over the worker processes, each of which does everything for its
        share (tokenising, features, classifiers, NER and entity stance): all of it uses both cores.
        """
        if self.n_process == 1 or len(pieces) < (MIN_PARALLEL_ENTITIES if entities else MIN_PARALLEL):
            return _analyse(self.model, self.processor, self.entity_types, pieces, entities)
        if self._pool is None:
            self._pool = worker_pool(self.n_process, owner=self, initializer=_start_worker,
                                     initargs=(self.model, self.processor, self.entity_types))
        size = -(-len(pieces) // (2 * self.n_process))
        parts = self._pool.map(_analyse_in_worker, [(chunk, entities) for chunk in batched(pieces, size)])
        probas = {task: np.vstack([part[0][task] for part in parts]) for task in self.model.tasks}
        return probas, [found for part in parts for found in part[1]] if entities else None


def with_defaults(pieces: Iterable[Piece], *, target: str | None = None,
                  story: str | None = None) -> Iterator[Piece]:
    """The pieces, each without a target (story) given ``target`` (``story``); others unchanged."""
    for piece in pieces:
        if (target and not piece.target) or (story and not piece.story):
            piece = replace(piece, target=piece.target or target, story=piece.story or story)
        yield piece


def target_tasks(model: FramingModel) -> list[str]:
    """The tasks of ``model`` that read a piece's target (stance, as trained on pieces with targets)."""
    tasks, config = model.info.get("tasks", {}), model.info.get("config")
    out = []
    for t in model.tasks:
        info = tasks.get(t, {})
        if "reads_target" in info:
            if info["reads_target"]:
                out.append(t)
        elif info.get("use_target") and config:  # a model from before reads_target was recorded
            from ..models.factory import reads_target  # imports scikit-learn: only for such models

            if reads_target(model.config.task(t), True):
                out.append(t)
    return out


def training_targets(model: FramingModel) -> dict[str, int]:
    """The targets the model's target-reading tasks were trained on, with their piece counts."""
    out: dict[str, int] = {}
    for task in target_tasks(model):
        for target, n in model.info["tasks"][task].get("targets", {}).items():
            out[target] = out.get(target, 0) + int(n)
    return out


def _uses_torch(model: FramingModel) -> bool:
    """Whether a task of ``model`` runs PyTorch (the ``embeddings`` extra): an embeddings block or a
    fine-tuned encoder. Such models are not forked into worker processes."""
    return model.uses_torch()


def _analyse(model: FramingModel, processor: Processor, entity_types: tuple[str, ...] | None,
             pieces: list[Piece], entities: bool) -> tuple[dict[str, np.ndarray], list | None]:
    if model.info.get("any_target"):  # reads the raw pieces and their targets (pipeline.models.stance_any)
        probas = {task: pipe.predict_pieces(pieces) for task, pipe in model.tasks.items()}
    else:
        probas = model.predict_proba(prepare_samples(pieces, processor, max_tokens=model.max_tokens))
    return probas, _entity_records(model, processor, entity_types, pieces) if entities else None


def _entity_records(model: FramingModel, processor: Processor, entity_types: tuple[str, ...] | None,
                    pieces: list[Piece]) -> list[list[Record]]:
    """Cleaned, merged, attributed entities of each piece, with the stance toward each when the
    model ships an entity-stance classifier."""
    stance_model = model.entity_stance  # its array form when the model has one
    out = []
    for piece, doc in zip(pieces, processor.docs([p.text for p in pieces])):
        entities = extract_entities(doc, types=entity_types)
        if stance_model is not None and entities:
            attach_stance(entities, doc, stance_model)
        if piece.kind == "post" and (entity_types is None or "PERSON" in {t.upper() for t in entity_types}):
            add_author(entities, piece.source, role=piece.meta.get("author_role"))
        out.append([e.to_record() for e in entities])
    return out


_worker: tuple[FramingModel, Processor, tuple[str, ...] | None] | None = None


def _start_worker(model: FramingModel, processor: Processor, entity_types: tuple[str, ...] | None) -> None:
    """Set up a worker: the model (inherited, not copied, with ``fork``) and a one-process
    processor with its own connection to the same doc cache (Ctrl-C is left to the parent:
    :func:`pipeline.io.worker_pool`)."""
    global _worker
    cache = DocCache(processor.cache.path.parent) if processor.cache is not None else None
    _worker = (model, Processor(processor.model, cache=cache, n_process=1, batch_size=processor.batch_size),
               entity_types)


def _analyse_in_worker(job: tuple[list[Piece], bool]) -> tuple[dict[str, np.ndarray], list | None]:
    assert _worker is not None
    return _analyse(*_worker, *job)


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Group ``items`` into lists of ``size`` (the last one shorter), consuming them lazily."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
