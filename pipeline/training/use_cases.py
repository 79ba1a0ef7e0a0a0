"""Use cases: what ``framing train`` and ``framing evaluate`` do, callable from a notebook.

Each takes pieces already read and returns a dataclass; the CLI parses its options, reads the
corpus, calls one of these and renders the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Config, as_config
from ..corpus import Piece
from ..corpus.labels import check_labels
from ..evaluation.evaluate import evaluate_model
from ..evaluation.metrics import shortcut_gaps
from ..models.framing import FramingModel
from ..models.persist import save_model
from ..nlp.processor import Processor
from ..progress import ProgressFactory
from .entity_stance import train_entity_stance_extra
from .train import corpus_hash, train


@dataclass
class TrainedModel:
    """A model trained, cross-validated and saved by :func:`train_model`.

    Attributes:
        path: The model folder written.
        model: The trained model.
        evaluation: Task -> split scheme -> cross-validated metrics (empty without evaluation).
        warnings: What the caller should be told (e.g. a task trained on few pieces).
        pieces: How many pieces it was trained on.
    """

    path: Path
    model: FramingModel
    evaluation: dict[str, dict[str, Any]]
    warnings: list[str] = field(default_factory=list)
    pieces: int = 0


def train_model(pieces: Sequence[Piece], out: str | Path, *, tasks: list[str] | None = None,
                config: Config | None = None, processor: Processor | None = None, evaluate: bool = True,
                progress: ProgressFactory | None = None, allow_labels: bool = False,
                entity_stance_data: str | Path | None = None, sources: Sequence[str | Path] = (),
                where: str = "the corpus", dask: Any = None) -> TrainedModel:
    """Check the labels, train and cross-validate every task, add the entity-stance extra, save.

    Args:
        pieces: The labelled corpus.
        out: The model folder to write (replaced atomically).
        tasks: Tasks to train (default: every label column present).
        config: Configuration (default: :func:`pipeline.config.load_config`).
        processor: The spaCy processor (default: the config's model, no cache).
        evaluate: Cross-validate before the final fit.
        progress: Progress-bar factory (:mod:`pipeline.progress`).
        allow_labels: Train on labels that look mistaken (case or one-edit variants) as they are.
        entity_stance_data: A NewsMTSC folder: also train the stance-toward-entities model on it.
        sources: The files or folders the pieces came from (recorded in ``model.json``).
        where: How error messages name the corpus (e.g. its paths).
        dask: Fit the folds and tasks, and tokenise, on this Dask cluster (an address, ``local:N``
            or a client; :func:`pipeline.training.distributed.on_dask`). The model is the same.

    Raises:
        TrainingError: When the labels look mistaken, a task is absent or cannot be trained, or
            the NewsMTSC files are missing.
        ClusterError: When the Dask cluster cannot be reached.
    """
    pieces = list(pieces)
    if not allow_labels:
        check_labels(pieces, tasks=tasks, where=where)
    with ExitStack() as stack:
        n_jobs = None
        if dask is not None:
            from .distributed import on_dask

            config = as_config(config)
            processor = processor or Processor(config.spacy.model or None)
            processor, n_jobs = stack.enter_context(on_dask(dask, processor)), -1
        result = train(pieces, tasks=tasks, config=config, processor=processor, evaluate=evaluate,
                       progress=progress, allow_labels=allow_labels, n_jobs=n_jobs)
    if entity_stance_data is not None:
        stance_model, stance_info = train_entity_stance_extra(entity_stance_data)
        result.model.extras["entity_stance"] = stance_model
        result.model.info["entity_stance"] = stance_info
    out = Path(out)
    result.model.info["name"] = out.name
    result.model.info["corpus"]["paths"] = [str(p) for p in sources]
    save_model(result.model, out)
    return TrainedModel(out, result.model, result.evaluation, list(result.warnings), len(pieces))


@dataclass
class Evaluation:
    """A model scored on labelled pieces by :func:`evaluate_on`.

    Attributes:
        held_out: Task -> metrics on the pieces (with per-piece ``predictions``).
        cross_validation: Task -> split scheme -> cross-validated metrics.
        cross_validation_from: Where those come from (this corpus, or the training corpus).
        schemes: Task -> split scheme -> metrics, ``held-out`` included (what the table shows).
        shortcut_gaps: Task -> grouping -> random-split minus grouped macro-F1.
        notes: What the caller should be told.
    """

    held_out: dict[str, Any]
    cross_validation: dict[str, Any]
    cross_validation_from: str
    schemes: dict[str, dict[str, Any]]
    shortcut_gaps: dict[str, dict[str, float]]
    notes: list[str] = field(default_factory=list)


def evaluate_on(model: FramingModel, pieces: Sequence[Piece], processor: Processor, *,
                tasks: Sequence[str] | None = None, cross_validate: bool = False) -> Evaluation:
    """Score ``model`` on labelled ``pieces``, beside its cross-validated scores.

    Args:
        model: The trained model.
        pieces: Labelled pieces, ideally not seen in training.
        processor: The spaCy processor (the model's spaCy model).
        tasks: Tasks to score (default: all the model's tasks).
        cross_validate: Also cross-validate on ``pieces`` with the model's config (slow);
            otherwise the cross-validated scores are those recorded at training.

    Raises:
        TrainingError: When no piece carries a label of the tasks scored.
    """
    pieces = list(pieces)
    notes = []
    if corpus_hash(pieces) == model.info.get("corpus", {}).get("hash"):
        notes.append("this is the corpus the model was trained on: the held-out scores are optimistic. "
                     "The cross-validated scores are the honest ones.")
    results = evaluate_model(model, pieces, processor, tasks=tasks)
    if cross_validate:
        cv = train(pieces, tasks=list(results), config=model.config, processor=processor).evaluation
        origin = "cross-validated on this corpus"
    else:
        cv = {t: model.info.get("metrics", {}).get(t, {}) for t in results}
        origin = "cross-validated on the training corpus"
    schemes = {t: {**cv.get(t, {}), "held-out": {k: v for k, v in m.items() if k != "predictions"}}
               for t, m in results.items()}
    return Evaluation(results, cv, origin, schemes, {t: shortcut_gaps(s) for t, s in cv.items()}, notes)
